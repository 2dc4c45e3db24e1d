/**
 * Where changes made in Genesys show in Slack: the published Home tabs that show the changed agent, republished
 * once per burst, and the team channel's limit alert with its "resolved" edit. Slack is the stand-in, reached
 * through Bolt's own Web API client; the read side is the pipeline's, over the simulator.
 */
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoSlackId, demoSlackUsers } from '../../src/demo/index.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/demo/slack-web-api.js';
import { publishHome } from '../../src/slack/home.js';
import { slackIdentity } from '../../src/slack/identity.js';
import { LiveSurfaces, type Schedule } from '../../src/slack/live-surfaces.js';
import { openHomes } from '../../src/slack/open-homes.js';
import { type PipelineHarness, startPipelineHarness } from '../pipeline/harness.js';

let h: PipelineHarness;
let standIn: SlackStandIn;
let surfaces: LiveSurfaces;
let publishHomeOf: (slackUserId: string) => Promise<void>;
/** The gathered refresh, run when the test says (what the timer would do after `gatherMs`). */
let due: (() => void)[];
let background: Promise<void>[];

beforeEach(async () => {
  h = await startPipelineHarness();
  standIn = await startSlackStandIn({ users: demoSlackUsers(h.simulator.users()) });
  const client = new webApi.WebClient('xoxb-test', { slackApiUrl: standIn.apiUrl });
  due = [];
  background = [];
  const schedule: Schedule = (run) => {
    due.push(run);
    return { cancel: () => due.splice(due.indexOf(run), 1) };
  };
  const deps = {
    policy: h.policy,
    logger: pino({ level: 'silent' }),
    identity: slackIdentity(client, h.genesys, h.store.cache),
    queries: h.queries,
    openHomes: openHomes(),
    background: (task: () => Promise<void>) => {
      background.push(task());
    },
  };
  surfaces = new LiveSurfaces({ deps, client, schedule });
  publishHomeOf = (slackUserId) => publishHome(deps, client, slackUserId);
});

afterEach(async () => {
  surfaces.stop();
  await Promise.all(background);
  await standIn.close();
  await h.close();
});

const ivan = demoSlackId('ivan@example.com');

/** Runs the gathered refresh and waits for it. */
async function runDue(): Promise<void> {
  for (const run of due.splice(0)) run();
  await Promise.all(background.splice(0));
}

const publishedTo = () => standIn.callsTo('views.publish').map((call) => call.args.user_id);

describe('Home tabs after changes made in Genesys', () => {
  it('republishes, once per burst, the open tabs that show a changed agent: theirs and their team boards’', async () => {
    const open = ['ivan@example.com', 'sue.lead@example.com', 'ada.admin@example.com', 'sam.super@example.com'];
    for (const email of [...open, 'carol@example.com']) await publishHomeOf(demoSlackId(email));
    const before = publishedTo().length;
    const ivanId = h.simulator.getAgentState('ivan@example.com').userId;
    const grace = h.simulator.getAgentState('grace@example.com').userId;

    surfaces.agentChanged({ agentId: ivanId, teamIds: ['support'] });
    surfaces.agentChanged({ agentId: grace, teamIds: ['support'] });
    surfaces.agentChanged({ agentId: ivanId, teamIds: ['support'] });
    expect(due).toHaveLength(1);
    expect(publishedTo()).toHaveLength(before);

    await runDue();
    // Ivan's own tab, and the Support board of its supervisor and the admin; not Sam (Billing) nor Carol (whose tab
    // shows her own status only).
    expect(publishedTo().slice(before).sort()).toEqual(
      [ivan, demoSlackId('sue.lead@example.com'), demoSlackId('ada.admin@example.com')].sort(),
    );
  });

  it('publishes nothing for a tab nobody has open, and schedules again after a refresh', async () => {
    const ivanId = h.simulator.getAgentState('ivan@example.com').userId;
    surfaces.agentChanged({ agentId: ivanId, teamIds: ['support'] });
    await runDue();
    expect(publishedTo()).toEqual([]);

    surfaces.agentChanged({ agentId: ivanId, teamIds: ['support'] });
    expect(due).toHaveLength(1);
  });
});

describe('the team channel’s limit alert', () => {
  const alert = {
    teamId: 'support',
    teamName: 'Support',
    change: 'ivan@example.com: Available → Break',
    breaches: ['2 on Break (cap 1): frank@example.com, ivan@example.com'],
  };

  it('is posted in the team’s channel naming who and what, then edited in place to "resolved"', async () => {
    const ref = await surfaces.postLimitAlert(alert);
    const [posted] = standIn.callsTo('chat.postMessage');
    expect(posted!.args.channel).toBe('C0SUPPORT01');
    expect(JSON.stringify(posted!.args.blocks)).toContain('ivan@example.com: Available → Break');
    expect(JSON.stringify(posted!.args.blocks)).toContain('2 on Break (cap 1): frank@example.com, ivan@example.com');

    await surfaces.resolveLimitAlert({ ...alert, change: 'ivan@example.com: Break → Available', breaches: [] }, ref!);
    const [edited] = standIn.callsTo('chat.update');
    expect(edited!.args).toMatchObject({ channel: 'C0SUPPORT01', ts: posted!.result!.ts });
    expect(String(edited!.args.text)).toContain('Resolved: Support is back within its limits');
    expect(standIn.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
