/**
 * What `/agent-status`, boards and App Home cost in Genesys API calls, counted at the simulator while signed Slack
 * requests run through the app: without a notification channel an agent's state is one call, a write is confirmed
 * with one read and an agent's team is read with the agent; with a live channel reads come from the mirror and a
 * write is confirmed by its notification. The people the policy names are looked up once, at start.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { waitForLiveChannel } from '../support/presence-channel.js';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';
import { waitFor } from '../support/wait.js';

type DemoApp = ReturnType<typeof withDemoApp>;

function measuring(app: DemoApp) {
  const { running, simulator, command, responses, publishesFor, until } = app;
  return {
    /**
     * Genesys REST calls the simulator answered for reads and writes: the token endpoint is not an API call, and
     * the notification service's own calls (channels, subscriptions) are counted apart.
     */
    calls: () =>
      simulator()
        .requests({ path: '/api/**' })
        .filter((r) => !r.path.startsWith('/api/v2/notifications/'))
        .map((r) => `${r.method} ${r.path}`),

    /** Runs a command to its answer and, after an applied change, to the App Home republished with it. */
    async run(email: string, text: string): Promise<string> {
      const user = slackIdOf(email);
      const published = publishesFor(user).length;
      const { responseUrl } = await command(user, text);
      const [answer] = await responses(responseUrl, 1, 20_000);
      const shown = JSON.stringify(answer);
      if (shown.includes('→')) await until(() => publishesFor(user).length > published || undefined, 'App Home');
      return shown;
    },

    /** Waits until the app has looked up the people the policy names (a start-up task). */
    lookedUpAtStart: () =>
      waitFor(
        () =>
          running()
            .logLines()
            .some((line) => line.msg === 'looked up the people the policy names'),
        {
          what: 'the start-up lookup of the people the policy names',
        },
      ),
  };
}

/** Five commands as a new user would try them: four changes, one refused by Billing's cap on Break. */
async function fiveCommands(run: (email: string, text: string) => Promise<string>): Promise<void> {
  expect(await run('alice@example.com', 'brb coffee')).toContain('*On Queue* → *Break*');
  expect(await run('carol@example.com', 'break')).toContain('*Available* → *Break*');
  expect(await run('erin@example.com', 'break')).toContain('already has 2 of 2 on Break');
  expect(await run('heidi@example.com', 'queue')).toContain('*Available* → *On Queue*');
  expect(await run('erin@example.com', 'meeting')).toContain('*Available* → *Meeting*');
}

describe('Genesys API calls without a notification channel', () => {
  const app = withDemoApp();
  const { calls, run, lookedUpAtStart } = measuring(app);
  /** The notification service refuses every call: no channel goes live, so every read goes to Genesys. */
  const refuseChannels = () =>
    app.simulator().injectFault({ path: '/api/v2/notifications/**', kind: 503, count: 1_000_000 });
  beforeAll(lookedUpAtStart);

  it('five status commands cost at most 3 calls each on average (the issue measured 7.6)', async () => {
    refuseChannels();
    await fiveCommands(run);
    const made = calls();
    expect(made.length / 5, made.join('\n')).toBeLessThanOrEqual(3);
    // The write and its confirmation for each change, the agent with its team for each command; nobody searched.
    expect(made.filter((c) => c.startsWith('PATCH '))).toHaveLength(4);
    expect(made.filter((c) => c.includes('/users/search'))).toEqual([]);
    expect(made.filter((c) => c.startsWith('GET ') && /routingstatus|presences/.test(c))).toEqual([]);
  });

  it('looks a Slack user up in Genesys once: the e-mail → user cache answers the next command', async () => {
    refuseChannels();
    await run('agent05@example.com', 'show');
    expect(calls().filter((c) => c === 'POST /api/v2/users/search')).toHaveLength(1);
    app.simulator().clearRequests();
    await run('agent05@example.com', 'show');
    expect(calls()).toEqual([`GET /api/v2/users/${app.simulator().getAgentState('agent05@example.com').userId}`]);
  });
});

describe('Genesys API calls with a live notification channel', () => {
  const app = withDemoApp();
  const { calls, run, lookedUpAtStart } = measuring(app);
  const sam = slackIdOf('sam.super@example.com');

  beforeAll(async () => {
    await lookedUpAtStart();
    // What the app reads, the channel watches: the teams' boards and the supervisors' own App Home.
    await run('sam.super@example.com', 'show billing');
    await run('sue.lead@example.com', 'show support');
    await app.openHome(sam);
    await waitForLiveChannel(app.running().sidecarUrl, 10);
  });

  it('five status commands cost at most 2 calls each on average: the write, and a read only when needed', async () => {
    app.simulator().clearRequests();
    await fiveCommands(run);
    const made = calls();
    expect(made.length / 5, made.join('\n')).toBeLessThanOrEqual(2);
    expect(made.filter((c) => c.startsWith('PATCH '))).toHaveLength(4);
  });

  it('a team board and an App Home refresh cost no call', async () => {
    app.simulator().clearRequests();
    expect(await run('sam.super@example.com', 'show billing')).toContain('Billing');
    await app.openHome(sam);
    expect(calls()).toEqual([]);
  });
});
