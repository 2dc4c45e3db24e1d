/**
 * What `/agent-status` costs in Genesys API calls without a notification channel, counted at the simulator while
 * signed slash commands run through the app: an agent's state is one call, a write is confirmed with one read,
 * an agent's team is read with the agent, and the people the policy names are looked up once, at start.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';
import { waitFor } from '../support/wait.js';

const { running, simulator, command, responses, publishesFor, until } = withDemoApp();

beforeAll(async () => {
  await waitFor(
    () =>
      running()
        .logLines()
        .some((line) => line.msg === 'looked up the people the policy names'),
    {
      what: 'the start-up lookup of the people the policy names',
    },
  );
});

/**
 * Genesys REST calls the simulator answered for reads and writes: the token endpoint is not an API call, and the
 * notification channel's own calls (subscribing agents) are counted apart.
 */
const apiCalls = () =>
  simulator()
    .requests({ path: '/api/**' })
    .filter((r) => !r.path.startsWith('/api/v2/notifications/'));

/** Runs a command to its answer and, after an applied change, to the App Home republished with it. */
async function run(email: string, text: string): Promise<string> {
  const user = slackIdOf(email);
  const published = publishesFor(user).length;
  const { responseUrl } = await command(user, text);
  const [answer] = await responses(responseUrl, 1, 20_000);
  const shown = JSON.stringify(answer);
  if (shown.includes('→')) await until(() => publishesFor(user).length > published || undefined, 'App Home');
  return shown;
}

describe('Genesys API calls without a notification channel', () => {
  it('five status commands cost at most 3 calls each on average (the issue measured 7.6)', async () => {
    simulator().clearRequests();
    expect(await run('alice@example.com', 'brb coffee')).toContain('*On Queue* → *Break*');
    expect(await run('carol@example.com', 'break')).toContain('*Available* → *Break*');
    expect(await run('erin@example.com', 'break')).toContain('already has 2 of 2 on Break');
    expect(await run('heidi@example.com', 'queue')).toContain('*Available* → *On Queue*');
    expect(await run('erin@example.com', 'meeting')).toContain('*Available* → *Meeting*');
    const calls = apiCalls().map((r) => `${r.method} ${r.path}`);
    expect(calls.length / 5, calls.join('\n')).toBeLessThanOrEqual(3);
    // The write and its confirmation for each applied change, one read for the refused one; nobody searched.
    expect(calls.filter((c) => c.startsWith('PATCH '))).toHaveLength(4);
    expect(calls.filter((c) => c.includes('/users/search'))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('GET ') && /routingstatus|presences/.test(c))).toEqual([]);
  });

  it('looks a Slack user up in Genesys once: the e-mail → user cache answers the next command', async () => {
    simulator().clearRequests();
    await run('agent05@example.com', 'show');
    const first = apiCalls().map((r) => r.path);
    expect(first.filter((path) => path === '/api/v2/users/search')).toHaveLength(1);
    simulator().clearRequests();
    await run('agent05@example.com', 'show');
    const second = apiCalls().map((r) => r.path);
    expect(second.filter((path) => path === '/api/v2/users/search')).toEqual([]);
    // Its state: one read, or none once a live channel carries the agent.
    expect(second.length).toBeLessThanOrEqual(1);
  });
});
