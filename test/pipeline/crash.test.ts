/**
 * Crash test of the write path: the app is killed with SIGKILL in the middle of a burst of status changes
 * (some writes landed but unanswered, some never to land, others in flight) and started again at once on
 * the same store. Within a bounded time every change that landed in Genesys has exactly one payroll event,
 * and no write that never landed has one.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/index.js';
import { demoSlackId, demoSlackUsers } from '../../src/demo/index.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/demo/slack-web-api.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { spawnApp, tempDir } from '../support/process.js';
import { postSlashCommand } from '../support/slack-request.js';
import { waitFor } from '../support/wait.js';

const SIGNING_SECRET = 'crash-test-signing-secret';

describe('status changes across a crash', () => {
  let simulator: SimulatorHandle | undefined;
  let slack: SlackStandIn | undefined;
  afterAll(async () => {
    await slack?.close();
    await simulator?.close();
  });

  it('gives every landed change exactly one payroll event after an immediate restart, and no other', async () => {
    simulator = await startSimulator({ port: 0, latencyMs: 20, rateLimit: { requests: 1_000_000, windowSeconds: 60 } });
    slack = await startSlackStandIn({ users: demoSlackUsers(simulator.users()), port: 0 });
    const sim = simulator;
    // Twenty agents in no team whose status allows Meeting next.
    const AGENTS = sim
      .users()
      .map((u) => u.email)
      .filter((e) => /^agent\d+@/.test(e) && ['On Queue', 'Available'].includes(sim.getAgentState(e).presenceLabel))
      .slice(0, 20);
    expect(AGENTS).toHaveLength(20);
    /** Their writes land but are never answered: written, not recorded, when the process dies. */
    const LANDED_UNANSWERED = AGENTS.slice(0, 5);
    /** Their writes never reach Genesys: an intent with nothing behind it when the process dies. */
    const NEVER_LANDED = AGENTS.slice(5, 10);
    const userId = (email: string) => sim.getAgentState(email).userId;
    for (const [emails, kind] of [
      [LANDED_UNANSWERED, 'applied-timeout'],
      [NEVER_LANDED, 'timeout'],
    ] as const) {
      for (const email of emails) {
        sim.injectFault({
          path: `/api/v2/users/${userId(email)}/presences/purecloud`,
          method: 'PATCH',
          kind,
          count: 10,
        });
      }
    }
    const dir = tempDir('write-crash-');
    const storePath = join(dir, 'store.db');
    const store = openSqliteStore(storePath);
    const env = {
      PORT: '0',
      SIDECAR_PORT: '0',
      STORE_URL: `sqlite:${storePath}`,
      DATA_DIR: dir,
      LOG_LEVEL: 'info',
      GENESYS_CLIENT_ID: 'demo-client',
      GENESYS_CLIENT_SECRET: 'demo-secret',
      GENESYS_API_URL: sim.url,
      SLACK_BOT_TOKEN: 'xoxb-crash-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      LOCK_TTL: '12s',
    };

    const first = spawnApp(env);
    const started = await first.waitForLog('agent-status started');
    const url = `http://127.0.0.1:${String(started.slackPort)}/slack/events`;
    const acks = await Promise.all(
      AGENTS.map((email, i) =>
        postSlashCommand(
          url,
          { user_id: demoSlackId(email), user_name: email, text: 'meeting', trigger_id: `crash.${i}` },
          { secret: SIGNING_SECRET },
        ),
      ),
    );
    expect(acks.map((r) => r.status)).toEqual(AGENTS.map(() => 200));
    // Kill once every faulted write has been under way (their calls hang for the client's 10 s timeout; the
    // invariants below hold whether or not some of them ended before the kill).
    const seenPending = new Set<string>();
    await waitFor(
      async () => {
        for (const intent of await store.transitions.pendingIntents()) seenPending.add(intent.agentId);
        return (
          LANDED_UNANSWERED.every((e) => sim.getAgentState(e).presenceLabel === 'Meeting') &&
          [...LANDED_UNANSWERED, ...NEVER_LANDED].every((e) => seenPending.has(userId(e)))
        );
      },
      { timeoutMs: 30_000, what: 'the faulted writes to be under way' },
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);

    sim.clearFaults();
    const second = spawnApp(env);
    await second.waitForLog('agent-status started');
    // The dead process's locks expire after LOCK_TTL; the recovery loop settles its intents within a pass.
    await waitFor(async () => (await store.transitions.pendingIntents()).length === 0, {
      timeoutMs: 60_000,
      what: 'every unfinished change to be settled',
    });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const events = await store.outbox.list();
    expect(new Set(events.map((e) => e.webhookId)).size).toBe(events.length);
    for (const email of AGENTS) {
      const landed = sim.getAgentState(email).presenceLabel === 'Meeting';
      const own = events.filter((e) => e.agentId === userId(email));
      expect(own.length, `${email} (landed: ${landed})`).toBe(landed ? 1 : 0);
      if (landed) expect(own[0]!.event.data.to.presence).toBe('Meeting');
    }
    for (const email of LANDED_UNANSWERED) expect(sim.getAgentState(email).presenceLabel).toBe('Meeting');
    for (const email of NEVER_LANDED) expect(sim.getAgentState(email).presenceLabel).not.toBe('Meeting');
    await store.close();
  }, 120_000);
});
