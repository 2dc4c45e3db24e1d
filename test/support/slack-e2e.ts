/**
 * Drives the running app as Slack would: signed slash commands, Events API bodies, block actions and view
 * submissions, with `response_url` pointing at the Slack stand-in so answers can be read back, and the stand-in's
 * log of Web API calls (views.open, chat.postMessage, …) to wait on.
 */
import { randomUUID } from 'node:crypto';
import type { types } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { SimulatorHandle } from '../../src/demo/genesys-simulator/index.js';
import { demoSlackId } from '../../src/demo/index.js';
import type { RecordedCall, SlackStandIn } from '../../src/demo/slack-web-api.js';
import { type RunningApp, startTestApp } from './app.js';
import { postSigned, postSlashCommand } from './slack-request.js';

type Args = Record<string, unknown>;

/** The demo Slack user id of a simulator user, e.g. `alice@example.com` → `UALICE`. */
export const slackIdOf = demoSlackId;

/** Polls `probe` until it returns a value (bounded), for waiting on conditions rather than sleeping. */
export async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The fields Slack puts on every interactivity payload (`block_actions`, `view_submission`) from `user`. */
export function interactionFrom(type: string, user: string, triggerId = `trigger-${randomUUID()}`): Args {
  return {
    type,
    team: { id: 'T0DEMO', domain: 'demo' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0DEMO' },
    api_app_id: 'A0DEMO',
    token: 'x',
    trigger_id: triggerId,
  };
}

let buttonsClicked = 0;
/** A clicked button as listed in a `block_actions` payload; each click gets its own `action_ts`. */
function clickedButton(actionId: string, value?: string): Args {
  buttonsClicked += 1;
  return {
    type: 'button',
    action_id: actionId,
    block_id: 'b',
    ...(value ? { value } : {}),
    text: { type: 'plain_text', text: 'x' },
    action_ts: `1700000000.${String(buttonsClicked).padStart(6, '0')}`,
  };
}

/** A modal as Slack sends it back with an interaction: the view the app drew, Slack's fields, the input state. */
export function slackView(viewId: string, view: types.ModalView, values: Args = {}): Args {
  return {
    ...view,
    id: viewId,
    team_id: 'T0DEMO',
    app_id: 'A0DEMO',
    hash: `hash-${randomUUID()}`,
    root_view_id: viewId,
    previous_view_id: null,
    state: { values },
  };
}

export function inputBlock(view: types.ModalView, blockId: string): types.InputBlock | undefined {
  return view.blocks.find((b): b is types.InputBlock => b.type === 'input' && b.block_id === blockId);
}

export interface CommandResult {
  /** The immediate HTTP answer (the ack), parsed when it is JSON. */
  body: unknown;
  responseUrl: string;
  triggerId: string;
}

export type SlackDriver = ReturnType<typeof slackDriver>;

/** What the driver needs of an app: where it listens and the secret it checks signatures with. */
export type DrivenApp = Pick<RunningApp, 'slackUrl'> & { settings: { slack: { signingSecret: string } } };

/**
 * Drives one running app (in this process or another) through the Slack stand-in its Web API calls land in. Both
 * are read when first used, so a driver can be made before `beforeAll` starts them. `waitMs` bounds every wait
 * that is not given its own.
 */
export function slackDriver(running: () => DrivenApp, standIn: () => SlackStandIn, waitMs = 10_000) {
  const wait = <T>(probe: () => T | undefined, what: string, timeoutMs = waitMs) => until(probe, what, timeoutMs);
  const secret = () => running().settings.slack.signingSecret;

  /** The stand-in's recorded calls to `method` whose argument `key` is `value`, oldest first. */
  const callsTo = (method: string, key: string, value: unknown): RecordedCall[] =>
    standIn()
      .callsTo(method)
      .filter((c) => c.args[key] === value);
  const publishesFor = (user: string) => callsTo('views.publish', 'user_id', user);
  const messagesTo = (channel: string) => callsTo('chat.postMessage', 'channel', channel);

  /** `/agent-status <text>` typed by the Slack user `user`; Slack must ack it with 200. */
  async function command(user: string, text: string): Promise<CommandResult> {
    const responseUrl = `${standIn().responseUrlBase}${randomUUID()}`;
    const triggerId = `trigger-${randomUUID()}`;
    const res = await postSlashCommand(
      running().slackUrl,
      { text, user_id: user, user_name: user.toLowerCase(), response_url: responseUrl, trigger_id: triggerId },
      { secret: secret() },
    );
    expect(res.status).toBe(200);
    const raw = await res.text();
    return { body: raw.startsWith('{') ? JSON.parse(raw) : raw, responseUrl, triggerId };
  }

  /** Posts an interactivity payload (block_actions, view_submission, …) form-encoded as `payload=`. */
  function interact(payload: Args): Promise<Response> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return postSigned(running().slackUrl, body, { secret: secret() });
  }

  /** Waits for the `response_url` posts made for one command/action and returns their bodies. */
  async function responses(responseUrl: string, count = 1, timeoutMs = waitMs): Promise<Args[]> {
    const path = new URL(responseUrl).pathname;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = callsTo('response_url', 'path', path);
      if (found.length >= count) return found.map((c) => c.args);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} response(s) on ${path}, saw ${found.length}`);
      await standIn()
        .waitForCalls('response_url', standIn().callsTo('response_url').length + 1, left)
        .catch(() => {});
    }
  }

  /** The signed Events API body Slack sends when `user` opens the app's `tab`. */
  function appHomeOpened(user: string, tab = 'home'): Promise<Response> {
    const body = JSON.stringify({
      token: 'x',
      team_id: 'T0DEMO',
      api_app_id: 'A0DEMO',
      type: 'event_callback',
      event_id: `Ev${randomUUID().slice(0, 8)}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user, channel: `D${user}`, tab, event_ts: '1.1' },
    });
    return postSigned(running().slackUrl, body, { secret: secret(), contentType: 'application/json' });
  }

  /** Waits for the publish number `index` (0-based) of a user's Home tab and returns its view. */
  async function publishNumber(user: string, index: number): Promise<Args> {
    const call = await wait(() => publishesFor(user)[index], `views.publish #${index + 1} for ${user}`);
    return call.args.view as Args;
  }

  /** Opens the Home tab and returns the view published for it. */
  async function openHome(user: string): Promise<Args> {
    const index = publishesFor(user).length;
    const res = await appHomeOpened(user);
    expect(res.status).toBe(200);
    return publishNumber(user, index);
  }

  /** Clicks a button on the Home tab as `view` showed it. */
  async function clickOnHome(user: string, view: Args, actionId: string, value?: string) {
    const triggerId = `trigger-${randomUUID()}`;
    const res = await interact({
      ...interactionFrom('block_actions', user, triggerId),
      container: { type: 'view', view_id: 'VHOME' },
      view: { id: 'VHOME', type: 'home', ...view },
      actions: [clickedButton(actionId, value)],
    });
    return { status: res.status, triggerId };
  }

  /** Clicks a button in a message posted in `channel` (the user's DM by default); returns the answer to it. */
  async function pressInMessage(
    user: string,
    actionId: string,
    value?: string,
    channel = { id: `D${user}`, name: 'directmessage' },
  ): Promise<Args> {
    const responseUrl = `${standIn().responseUrlBase}${randomUUID()}`;
    const res = await interact({
      ...interactionFrom('block_actions', user),
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: channel.id },
      channel,
      message: { type: 'message', ts: '1700000000.000100', text: '' },
      response_url: responseUrl,
      actions: [clickedButton(actionId, value)],
    });
    expect(res.status).toBe(200);
    const [answer] = await responses(responseUrl);
    return answer!;
  }

  /** Runs a command that ends in a modal and waits for the real modal (the update of the loading one). */
  async function openModal(user: string, text: string) {
    const { triggerId } = await command(user, text);
    const open = await wait(() => callsTo('views.open', 'trigger_id', triggerId)[0], 'views.open');
    const viewId = String((open.result?.view as Args | undefined)?.id);
    const update = await wait(() => callsTo('views.update', 'view_id', viewId)[0], 'views.update');
    return { viewId, view: update.args.view as types.ModalView, triggerId };
  }

  /** Submits the modal `viewId` as drawn in `view` with the input state `values`; returns the ack. */
  async function submitView(user: string, viewId: string, view: types.ModalView, values: Args) {
    const res = await interact({
      ...interactionFrom('view_submission', user),
      view: slackView(viewId, view, values),
      response_urls: [],
    });
    const raw = await res.text();
    return { status: res.status, body: raw ? (JSON.parse(raw) as Args) : undefined };
  }

  return {
    until: wait,
    callsTo,
    publishesFor,
    messagesTo,
    command,
    interact,
    responses,
    appHomeOpened,
    publishNumber,
    openHome,
    clickOnHome,
    pressInMessage,
    openModal,
    submitView,
  };
}

/**
 * The demo app (embedded Genesys simulator and Slack stand-in) for the enclosing suite: started before its tests,
 * stopped after them, the simulator reset before each test. Returns accessors and a driver for it.
 */
export function withDemoApp(waitMs?: number) {
  let started: RunningApp | undefined;
  const running = (): RunningApp => {
    if (started === undefined) throw new Error('the demo app starts in beforeAll');
    return started;
  };
  const simulator = (): SimulatorHandle => running().app.demo.simulator!;
  const standIn = (): SlackStandIn => running().app.demo.slackStandIn!;
  beforeAll(async () => {
    started = await startTestApp();
  });
  afterAll(async () => {
    await started?.stop();
  });
  beforeEach(() => {
    simulator().reset();
  });
  return { running, simulator, standIn, ...slackDriver(running, standIn, waitMs) };
}
