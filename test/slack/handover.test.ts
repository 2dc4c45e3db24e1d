/**
 * Shift handovers end to end: signed commands and view submissions into the running app, the Slack stand-in
 * recording the modal, the progress message and the channel post, the Genesys simulator holding states.
 *
 * The 50-agent handover runs against its own simulator (the demo fixture plus 50 agents), its own Slack stand-in
 * and a policy with a 50-member team, wired in through the same environment variables a deployment uses.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { demoFixture, type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/index.js';
import { demoSlackId } from '../../src/demo/index.js';
import { type RecordedCall, type SlackStandIn, startSlackStandIn } from '../../src/demo/slack-web-api.js';
import { HANDOVER_MODAL_CALLBACK_ID, HANDOVER_MODAL_IDS } from '../../src/slack/views/handover-modal.js';
import { type RunningApp, startTestApp } from '../support/app.js';
import { waitForLiveChannel } from '../support/presence-channel.js';
import { ROOT, tempDir } from '../support/process.js';
import { inputBlock, slackDriver, withDemoApp } from '../support/slack-e2e.js';
import { assertWithinSlackLimits } from './views/limits.js';

type Args = Record<string, unknown>;

/** Handovers touch many agents: every wait here allows longer than the default. */
const WAIT_MS = 20_000;

interface HandoverForm {
  off?: { value: string; label: string }[];
  offStatus?: string;
  on?: { value: string; label: string }[];
  onStatus?: string;
  incomingSupervisor?: string;
  notes?: string;
}

function handoverValues(form: HandoverForm): Args {
  const ids = HANDOVER_MODAL_IDS;
  const option = (value: string, label = value) => ({ text: { type: 'plain_text', text: label }, value });
  const many = (picked: HandoverForm['off']) => ({
    type: 'multi_static_select',
    selected_options: (picked ?? []).map((p) => option(p.value, p.label)),
  });
  const one = (value: string | undefined) => ({ type: 'static_select', selected_option: value ? option(value) : null });
  return {
    [ids.outgoing.block]: { [ids.outgoing.action]: many(form.off) },
    [ids.outgoingStatus.block]: { [ids.outgoingStatus.action]: one(form.offStatus ?? 'offline') },
    [ids.incoming.block]: { [ids.incoming.action]: many(form.on) },
    [ids.incomingStatus.block]: { [ids.incomingStatus.action]: one(form.onStatus ?? 'on-queue') },
    [ids.incomingSupervisor.block]: {
      [ids.incomingSupervisor.action]: { type: 'users_select', selected_user: form.incomingSupervisor ?? null },
    },
    [ids.notes.block]: { [ids.notes.action]: { type: 'plain_text_input', value: form.notes ?? null } },
  };
}

function groupsOf(view: types.ModalView, blockId: string): { label: string; values: string[] }[] {
  const element = inputBlock(view, blockId)?.element;
  if (element?.type !== 'multi_static_select') return [];
  return (element.option_groups ?? []).map((g) => ({
    label: g.label.text,
    values: g.options.map((o) => o.value ?? ''),
  }));
}

const sectionTexts = (call: RecordedCall) =>
  (call.args.blocks as Args[]).map((b) => (b.text as { text?: string } | undefined)?.text ?? '');

// ---------------------------------------------------------------- the demo org

describe('handover in the demo org', () => {
  const slack = withDemoApp(WAIT_MS);
  const { simulator, standIn } = slack;
  const idOf = (name: string) => simulator().getAgentState(`${name}@example.com`).userId;

  it('refuses people who do not supervise the team, and names the supervisors', async () => {
    for (const user of ['UALICE', 'USUELEAD']) {
      const { responseUrl, triggerId } = await slack.command(user, 'handover billing');
      const [answer] = await slack.responses(responseUrl);
      expect(answer?.text).toBe('Only a supervisor of Billing (sam.super@example.com) or an admin can hand it over.');
      expect(slack.callsTo('views.open', 'trigger_id', triggerId)).toHaveLength(0);
    }
  });

  it('answers the command when Slack does not open the modal', async () => {
    const updates = standIn().callsTo('views.update').length;
    standIn().failNext('views.open', 'expired_trigger_id');
    const { responseUrl } = await slack.command('USAMSUPER', 'handover billing');
    const [answer] = await slack.responses(responseUrl);
    expect(answer?.text).toBe(
      ':warning: Slack did not open the handover form (expired_trigger_id). Run the command again.',
    );
    expect(standIn().callsTo('views.update')).toHaveLength(updates);
  });

  it('lists the known teams for an unknown one', async () => {
    const { responseUrl } = await slack.command('USAMSUPER', 'handover nope');
    const [answer] = await slack.responses(responseUrl);
    expect(answer?.text).toBe('There is no team "nope". Teams: `billing` (Billing) and `support` (Support).');
  });

  it('shows the team with current statuses, and answers field errors without changing anything', async () => {
    const { viewId, view } = await slack.openModal('USAMSUPER', 'handover billing');
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(HANDOVER_MODAL_CALLBACK_ID);
    expect(groupsOf(view, HANDOVER_MODAL_IDS.outgoing.block).map((g) => g.label)).toEqual([
      'On Queue (3)',
      'Available (2)',
    ]);
    expect(inputBlock(view, HANDOVER_MODAL_IDS.incomingSupervisor.block)?.element.type).toBe('users_select');
    expect(inputBlock(view, HANDOVER_MODAL_IDS.outgoingStatus.block)?.element).toMatchObject({
      initial_option: { value: 'offline' },
    });

    const nobody = await slack.submitView('USAMSUPER', viewId, view, handoverValues({}));
    expect(nobody).toEqual({
      status: 200,
      body: {
        response_action: 'errors',
        errors: { [HANDOVER_MODAL_IDS.outgoing.block]: 'Pick who goes off shift, who comes on, or both.' },
      },
    });
    const carol = { value: idOf('carol'), label: 'Carol Clark' };
    const twice = await slack.submitView(
      'USAMSUPER',
      viewId,
      view,
      handoverValues({ off: [carol, { value: idOf('bob'), label: 'Bob Brown' }], on: [carol] }),
    );
    expect(twice.body).toEqual({
      response_action: 'errors',
      errors: { [HANDOVER_MODAL_IDS.incoming.block]: 'Also going off shift: Carol Clark. Pick each person once.' },
    });
    expect(simulator().requests({ method: 'PATCH' })).toHaveLength(0);
    expect(slack.messagesTo('USAMSUPER')).toHaveLength(0);
  });

  it('tells the supervisor to invite the app when it is not in the team channel', async () => {
    const { viewId, view } = await slack.openModal('USAMSUPER', 'handover billing');
    const dms = slack.messagesTo('USAMSUPER').length;
    // Slow Genesys down so the channel post comes well after the progress message (several calls in between).
    simulator().setLatency(100);
    await slack.submitView(
      'USAMSUPER',
      viewId,
      view,
      handoverValues({ off: [{ value: idOf('carol'), label: 'Carol' }] }),
    );
    await slack.until(() => slack.messagesTo('USAMSUPER')[dms], 'the progress message');
    standIn().failNext('chat.postMessage', 'not_in_channel');

    const warning = await slack.until(() => slack.messagesTo('USAMSUPER')[dms + 1], 'the DM');
    expect(sectionTexts(warning)[0]).toBe(
      ':warning: I could not post this handover summary in <#C0BILLING01>. I am not a member of <#C0BILLING01>: invite me there with `/invite @agent-status` and the next handover will post there.',
    );
    expect(sectionTexts(warning)[2]).toBe('<@USAMSUPER> handed *Billing* over to the next shift: 1 change.');
    expect(slack.messagesTo('C0BILLING01')).toHaveLength(1);
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Offline');
  });

  it('posts in the channel after Slack rate-limited the first try', async () => {
    const { viewId, view } = await slack.openModal('USAMSUPER', 'handover billing');
    const posts = slack.messagesTo('C0BILLING01').length;
    const dms = slack.messagesTo('USAMSUPER').length;
    simulator().setLatency(100);
    await slack.submitView('USAMSUPER', viewId, view, handoverValues({ on: [{ value: idOf('erin'), label: 'Erin' }] }));
    await slack.until(() => slack.messagesTo('USAMSUPER')[dms], 'the progress message');
    standIn().rateLimit('chat.postMessage', 1, 0);

    const post = await slack.until(() => {
      const tries = slack.messagesTo('C0BILLING01').slice(posts);
      return tries.length === 2 && tries[1]?.result?.ok === true ? tries[1] : undefined;
    }, 'the retried channel post');
    expect(sectionTexts(post)[1]).toBe('<@USAMSUPER> handed *Billing* over to the next shift: 1 change.');
    expect(slack.messagesTo('USAMSUPER')).toHaveLength(dms + 1);
    expect(simulator().getAgentState('erin@example.com').presenceLabel).toBe('On Queue');
  });
});

// ---------------------------------------------------------------- 50 agents

const FLOOR = Array.from({ length: 50 }, (_, i) => String(i + 1).padStart(2, '0'));

function floorPresence(n: number): string {
  if (n <= 30) return 'On Queue';
  if (n <= 45) return 'Offline';
  if (n <= 49) return 'Available';
  return 'Meeting';
}

describe('a 50-agent handover', () => {
  let simulator: SimulatorHandle;
  let standIn: SlackStandIn;
  let running: RunningApp;
  const slack = slackDriver(
    () => running,
    () => standIn,
    WAIT_MS,
  );

  beforeAll(async () => {
    const demo = demoFixture();
    const floor = FLOOR.map((n) => ({
      id: `f1000000-0000-4000-8000-0000000000${n}`,
      name: `Floor Agent ${n}`,
      email: `floor${n}@example.com`,
      presence: floorPresence(Number(n)),
    }));
    const fixture = { ...demo, users: [...demo.users, ...floor] };
    simulator = await startSimulator({ fixture, rateLimit: { requests: 10_000, windowSeconds: 60 } });
    standIn = await startSlackStandIn({
      users: fixture.users.map((u) => ({ id: demoSlackId(u.email), name: u.name, email: u.email })),
    });
    const policy = parse(await readFile(join(ROOT, 'policy/default.yaml'), 'utf8')) as {
      transitions: Record<string, string[]>;
      teams: Record<string, unknown>;
    };
    // Meeting may only go to Available here, so sending Floor Agent 50 off shift is refused by the matrix.
    policy.transitions.meeting = ['available'];
    policy.teams.floor = {
      name: 'Floor',
      channel: 'C0FLOOR001',
      supervisors: ['sam.super@example.com'],
      members: floor.map((u) => u.email),
    };
    const policyFile = join(tempDir(), 'policy.yaml');
    writeFileSync(policyFile, stringify(policy));
    running = await startTestApp({
      POLICY_FILE: policyFile,
      GENESYS_API_URL: simulator.url,
      GENESYS_CLIENT_ID: 'demo-client',
      GENESYS_CLIENT_SECRET: 'demo-secret',
      GENESYS_REQUESTS_PER_MINUTE: '10000',
      SLACK_API_URL: standIn.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
    });
  });
  afterAll(async () => {
    await running?.stop();
    await standIn?.close();
    await simulator?.close();
  });

  const agent = (n: string) => ({ value: `f1000000-0000-4000-8000-0000000000${n}`, label: `Floor Agent ${n}` });
  const presenceWrites = () =>
    simulator.requests().filter((r) => r.path.includes('/presences') && (r.method === 'PATCH' || r.method === 'PUT'));

  it('changes everyone, updates the progress message and posts the exact summary in the team channel', async () => {
    const { viewId, view } = await slack.openModal('USAMSUPER', 'handover floor');
    assertWithinSlackLimits(view);
    expect(groupsOf(view, HANDOVER_MODAL_IDS.outgoing.block).map((g) => g.label)).toEqual([
      'On Queue (30)',
      'Available (4)',
      'Meeting (1)',
      'Offline (15)',
    ]);
    expect(groupsOf(view, HANDOVER_MODAL_IDS.incoming.block).flatMap((g) => g.values)).toHaveLength(50);

    // Opening the modal read the team, so the notification channel watches it: once it carries everyone, the
    // handover reads the team from the mirror and its writes are confirmed by their notifications.
    await waitForLiveChannel(running.sidecarUrl, 50);
    simulator.clearRequests();
    // A little Genesys latency so the progress message has something to show between start and end.
    simulator.setLatency(10);
    const off = [...FLOOR.slice(0, 30), '50'].map(agent);
    const on = FLOOR.slice(30, 49).map(agent);
    const answer = await slack.submitView(
      'USAMSUPER',
      viewId,
      view,
      handoverValues({ off, on, incomingSupervisor: 'USUELEAD', notes: 'Queue 3 is <slow> & noisy' }),
    );
    expect(answer).toEqual({ status: 200, body: undefined });

    const post = await slack.until(() => slack.messagesTo('C0FLOOR001')[0], 'the post', 60_000);
    const row = (label: string, before: string, after: string) =>
      `${label.padEnd(20)} ${before.padStart(6)} ${after.padStart(6)}`;
    const table = [
      row('Status', 'Before', 'After'),
      row('On Queue', '30', '19'),
      row('Offline', '15', '30'),
      row('Available', '4', '0'),
      row('Meeting', '1', '1'),
    ];
    expect(post.args.text).toBe('Shift handover Floor: Sam Super → Sue Lead, 49 changed, 1 failed');
    expect(post.args.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Shift handover · Floor', emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '<@USAMSUPER> handed *Floor* over to <@USUELEAD>: 49 changes, 1 failed.' },
      },
      { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`\n${table.join('\n')}\n\`\`\`` } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Notes*\nQueue 3 is &lt;slow&gt; &amp; noisy' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: "*Failed (1)*\n• Floor Agent 50: You can't go from Meeting to Offline. From Meeting you can go to Available.",
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: expect.stringMatching(/^Completed <!date\^\d+\^\{date_short_pretty\} \{time\}\|[\d-]+ [\d:]+ UTC>$/),
          },
        ],
      },
    ]);

    // At most one read for the 50 agents (a confirmation whose notification came late), and the bulk write.
    const rest = simulator.requests({ path: '/api/**' }).filter((r) => !r.path.startsWith('/api/v2/notifications/'));
    expect(rest.filter((r) => r.method === 'GET').length, JSON.stringify(rest.map((r) => r.path))).toBeLessThanOrEqual(
      1,
    );
    expect(rest.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /api/v2/users/presences/bulk',
    ]);

    // The progress message: posted at 0/50 in the supervisor's DM, edited in place, counting up (how often it is
    // edited is the throttle's business: latest-only.test.ts tests it with a clock of its own).
    const [progress] = slack.messagesTo('USAMSUPER');
    expect(progress?.args.text).toBe('Handover Floor: 0/50 done');
    const ts = String(progress?.result?.ts);
    const updates = slack.callsTo('chat.update', 'ts', ts);
    expect(updates.at(-1)?.args.text).toBe('Handover Floor: 50/50 done · 1 failed');
    const done = updates.map((u) => Number(/: (\d+)\/50 done/.exec(String(u.args.text))?.[1]));
    expect(done).toEqual([...done].sort((a, b) => a - b));

    for (const n of FLOOR) {
      const expected = Number(n) <= 30 ? 'Offline' : Number(n) <= 49 ? 'On Queue' : 'Meeting';
      expect(simulator.getAgentState(`floor${n}@example.com`).presenceLabel).toBe(expected);
    }

    // The same submission delivered again changes nobody a second time.
    const writes = presenceWrites().length;
    await slack.submitView('USAMSUPER', viewId, view, handoverValues({ off, on }));
    await slack.until(() => slack.messagesTo('C0FLOOR001')[1], 'the second post', 60_000);
    expect(presenceWrites().length).toBe(writes);
  }, 90_000);
});
