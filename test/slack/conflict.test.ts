/**
 * Conflict buttons end to end. The race is real: the Home tab shows a version, the simulator changes the agent
 * "from the Genesys UI", then the quick button is clicked with the version the page showed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningApp, startTestApp } from '../support/app.js';
import { interact, slackIdOf } from '../support/slack-e2e.js';
import { postSigned } from '../support/slack-request.js';

type Args = Record<string, unknown>;

let running: RunningApp;
const simulator = () => running.app.simulator!;
const standIn = () => running.app.slackStandIn!;

beforeAll(async () => {
  running = await startTestApp();
});
afterAll(async () => {
  await running.stop();
});
beforeEach(() => {
  simulator().reset();
});

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const callsFor = (method: string, key: string, value: string) =>
  standIn()
    .callsTo(method)
    .filter((c) => c.args[key] === value);

async function openHome(slackUserId: string): Promise<Args> {
  const before = callsFor('views.publish', 'user_id', slackUserId).length;
  const body = JSON.stringify({
    token: 'x',
    team_id: 'T0DEMO',
    api_app_id: 'A0DEMO',
    type: 'event_callback',
    event_id: `Ev${randomUUID().slice(0, 8)}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'app_home_opened', user: slackUserId, channel: `D${slackUserId}`, tab: 'home', event_ts: '1.1' },
  });
  const res = await postSigned(running.slackUrl, body, {
    secret: running.config.slack.signingSecret,
    contentType: 'application/json',
  });
  expect(res.status).toBe(200);
  const publish = await until(() => callsFor('views.publish', 'user_id', slackUserId)[before], 'views.publish');
  return publish.args.view as Args;
}

let clicks = 0;
function click(options: { user: string; actionId: string; value: string; view?: Args; responseUrl?: string }) {
  clicks += 1;
  const surface = options.view
    ? { container: { type: 'view', view_id: 'VHOME' }, view: { id: 'VHOME', type: 'home', ...options.view } }
    : {
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: `D${options.user}` },
        channel: { id: `D${options.user}`, name: 'directmessage' },
        message: { type: 'message', ts: '1700000000.000100', text: '' },
        response_url: options.responseUrl,
      };
  return interact(running, {
    type: 'block_actions',
    team: { id: 'T0DEMO', domain: 'demo' },
    user: { id: options.user, username: options.user.toLowerCase(), team_id: 'T0DEMO' },
    api_app_id: 'A0DEMO',
    token: 'x',
    trigger_id: `trigger-${randomUUID()}`,
    ...surface,
    actions: [
      {
        type: 'button',
        action_id: options.actionId,
        block_id: 'b',
        value: options.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: `1700000000.${String(clicks).padStart(6, '0')}`,
      },
    ],
  });
}

/** The conflict message's token: the value every one of its buttons carries. */
function tokenOf(message: Args): string {
  const actions = (message.blocks as Args[]).find((b) => b.type === 'actions') as { elements: { value: string }[] };
  const values = new Set(actions.elements.map((e) => e.value));
  expect(values.size).toBe(1);
  return [...values][0]!;
}

/**
 * Carol's Home tab shows Available; Genesys then moves her to Busy; she clicks "Break" on the stale page.
 * Returns the conflict message the app sent her.
 */
async function raceOnHome(email = 'carol@example.com', status = 'break'): Promise<Args> {
  const user = slackIdOf(email);
  const view = await openHome(user);
  simulator().setAgentPresence(email, 'Busy');
  const before = callsFor('chat.postMessage', 'channel', user).length;
  const res = await click({ user, actionId: `home_set_status:${status}`, value: status, view });
  expect(res.status).toBe(200);
  const posted = await until(() => callsFor('chat.postMessage', 'channel', user)[before], 'the conflict message');
  return posted.args;
}

async function press(user: string, actionId: string, token: string): Promise<Args> {
  const responseUrl = `${standIn().responseUrlBase}${randomUUID()}`;
  const res = await click({ user, actionId, value: token, responseUrl });
  expect(res.status).toBe(200);
  const path = new URL(responseUrl).pathname;
  const answer = await until(
    () =>
      standIn()
        .callsTo('response_url')
        .find((c) => c.args.path === path),
    `an answer on ${path}`,
  );
  return answer.args;
}

const shown = (message: Args) => JSON.stringify(message.blocks ?? message.text);
const carol = slackIdOf('carol@example.com');

describe('conflict buttons', () => {
  it('shows what the user saw and what Genesys has now, with three buttons carrying one token', async () => {
    const conflict = await raceOnHome();
    expect(shown(conflict)).toContain('You saw *Available*, it is now *Busy* (changed <!date^');
    expect(shown(conflict)).toContain('You asked for *Break*');
    const actions = (conflict.blocks as Args[]).find((b) => b.type === 'actions') as { elements: Args[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      'conflict_apply_anyway',
      'conflict_keep_current',
      'conflict_refresh',
    ]);
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');
  });

  it('Apply anyway writes the requested status over the newer one, once', async () => {
    const token = tokenOf(await raceOnHome());
    const applied = await press(carol, 'conflict_apply_anyway', token);
    expect(applied.replace_original).toBe(true);
    expect(shown(applied)).toContain('Your status: *Busy* → *Break*');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Break');

    const again = await press(carol, 'conflict_apply_anyway', token);
    expect(again.replace_original).toBe(false);
    expect(shown(again)).toContain('This conflict was already handled (Apply anyway was chosen).');
    const other = await press(carol, 'conflict_keep_current', token);
    expect(shown(other)).toContain('already handled');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Break');
  });

  it('lets exactly one of two simultaneous clicks decide', async () => {
    const token = tokenOf(await raceOnHome());
    const answers = await Promise.all([
      press(carol, 'conflict_apply_anyway', token),
      press(carol, 'conflict_keep_current', token),
    ]);
    const decided = answers.filter((a) => a.replace_original === true);
    const refused = answers.filter((a) => shown(a).includes('This conflict was already handled'));
    expect(decided).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const label = simulator().getAgentState('carol@example.com').presenceLabel;
    expect(shown(decided[0]!)).toContain(label === 'Break' ? '*Busy* → *Break*' : 'Kept your status at *Busy*');
  });

  it('Keep current changes nothing and says so', async () => {
    const token = tokenOf(await raceOnHome());
    const kept = await press(carol, 'conflict_keep_current', token);
    expect(kept.replace_original).toBe(true);
    expect(shown(kept)).toContain('Kept your status at *Busy*; *Break* was not applied.');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');

    const again = await press(carol, 'conflict_apply_anyway', token);
    expect(shown(again)).toContain('This conflict was already handled (Keep current was chosen).');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');
  });

  it('Refresh offers the choice again against the newest state, with a new token', async () => {
    const token = tokenOf(await raceOnHome());
    simulator().setAgentPresence('carol@example.com', 'Available');
    const refreshed = await press(carol, 'conflict_refresh', token);
    expect(refreshed.replace_original).toBe(true);
    expect(shown(refreshed)).toContain('You saw *Busy*, it is now *Available*');
    const next = tokenOf(refreshed);
    expect(next).not.toBe(token);
    expect(shown(await press(carol, 'conflict_apply_anyway', token))).toContain('already handled (it was refreshed)');

    // The new token applies over the state Refresh showed.
    const applied = await press(carol, 'conflict_apply_anyway', next);
    expect(shown(applied)).toContain('Your status: *Available* → *Break*');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Break');
  });

  it('Refresh reports that nothing is left to do when the agent already has the requested status', async () => {
    const token = tokenOf(await raceOnHome());
    simulator().setAgentPresence('carol@example.com', 'Break');
    const refreshed = await press(carol, 'conflict_refresh', token);
    expect(shown(refreshed)).toContain('Your status is already *Break*; nothing changed.');
  });

  it('refuses a click by anyone but the person who asked, and leaves the token usable', async () => {
    const token = tokenOf(await raceOnHome());
    const intruder = await press(slackIdOf('sam.super@example.com'), 'conflict_apply_anyway', token);
    expect(intruder.replace_original).toBe(false);
    expect(shown(intruder)).toContain(`Only <@${carol}> can answer this conflict`);
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');

    const kept = await press(carol, 'conflict_keep_current', token);
    expect(shown(kept)).toContain('Kept your status at *Busy*');
  });

  it('answers a token it does not know (expired or forged) without doing anything', async () => {
    const answer = await press(carol, 'conflict_apply_anyway', 'not-a-real-token');
    expect(shown(answer)).toContain('This choice has expired');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Available');
  });
});
