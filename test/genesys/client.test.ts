import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoFixture } from '../../src/demo/genesys-simulator/fixture.js';
import { type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/server.js';
import type { GenesysPort } from '../../src/pipeline/ports.js';
import { virtualClock } from '../support/clock.js';
import { waitFor } from '../support/wait.js';
import { capturingLogger, definitionId, failure, fixtureWithAgents, simulatorClient, userId } from './helpers.js';

// Every client in this file logs (at trace) into `logLines`; the last test checks no secret or token leaked.
const { logger, lines: logLines } = capturingLogger();
const SECOND_CLIENT = { clientId: 'second-client', clientSecret: 'second-secret-value' };

let sim: SimulatorHandle;
let bigSim: SimulatorHandle;
const secondSims: SimulatorHandle[] = [];

beforeAll(async () => {
  sim = await startSimulator();
  const big = fixtureWithAgents(120);
  bigSim = await startSimulator({ fixture: { ...big, oauthClients: [...big.oauthClients, SECOND_CLIENT] } });
});
afterAll(async () => {
  await Promise.all([sim.close(), bigSim.close(), ...secondSims.map((s) => s.close())]);
});
beforeEach(() => {
  sim.reset();
  bigSim.reset();
});

function client(overrides: Parameters<typeof simulatorClient>[1] = {}, target = sim): GenesysPort {
  return simulatorClient(target, { logger, ...overrides });
}

/** The user read (presence and routing status expanded): the one call of `getAgentState`, which the token, retry and fault tests below watch. */
const USER_READ = '/api/v2/users/*';

const statuses = (target: SimulatorHandle, path: string) => target.requests({ path }).map((r) => r.status);

/** A simulator of its own and a client of it that share one virtual clock (expiry, rate windows, retry waits). */
async function onVirtualTime(options: Parameters<typeof startSimulator>[0] = {}) {
  const clock = virtualClock();
  const own = await startSimulator({ ...options, now: clock.now, sleep: clock.sleep });
  secondSims.push(own);
  return { clock, sim: own, client: client({ now: clock.now, sleep: clock.sleep }, own) };
}

describe('reads and writes against the simulator', () => {
  it('lists presence definitions as domain types, On Queue normalized, labels from en_US', async () => {
    const definitions = await client().listPresenceDefinitions();
    expect(definitions).toHaveLength(12);
    expect(definitions.find((d) => d.label === 'On Queue')).toMatchObject({
      systemPresence: 'ON_QUEUE',
      kind: 'system',
      deactivated: false,
    });
    expect(definitions.find((d) => d.label === 'Lunch')).toMatchObject({ systemPresence: 'MEAL', kind: 'secondary' });
    expect(definitions.find((d) => d.label === 'Coaching')).toMatchObject({ systemPresence: 'TRAINING' });
  });

  it('caches presence definitions and refreshes them in the background once stale', async () => {
    const path = '/api/v2/presence/definitions';
    const clock = virtualClock();
    const genesys = client({ presenceCacheTtlMs: 100, requestTimeoutMs: 1_000, now: clock.now, sleep: clock.sleep });
    const first = await genesys.listPresenceDefinitions();
    await genesys.listPresenceDefinitions();
    expect(statuses(sim, path)).toEqual([200]);
    clock.advance(100);
    // The refresh hangs until the client gives up on it: an answer that waited for it would come after it.
    sim.injectFault({ path, kind: 'timeout' });
    expect(await genesys.listPresenceDefinitions()).toEqual(first);
    expect(statuses(sim, path)).toEqual([200]);
    await waitFor(() => statuses(sim, path).filter((status) => status === 200).length === 2, { what: 'the refresh' });
  });

  it("reads an agent's state: presence, normalized system presence, routing status, modifiedDate", async () => {
    const alice = userId(sim, 'alice@example.com');
    const state = await client().getAgentState(alice);
    const truth = sim.getAgentState(alice);
    expect(state).toEqual({
      agentId: alice,
      presenceId: truth.presenceId,
      systemPresence: 'ON_QUEUE',
      routingStatus: 'IDLE',
      modifiedDate: truth.modifiedDate,
    });
  });

  it('reads all 42 demo agents with one user listing, presence and routing status expanded', async () => {
    const ids = sim.users().map((u) => u.id);
    const states = await client().getAgentStates([...ids, ids[0]!, 'unknown-user']);
    expect(states.map((s) => s.agentId)).toEqual(ids);
    expect(states.find((s) => s.agentId === userId(sim, 'heidi@example.com'))).toMatchObject({
      systemPresence: 'AVAILABLE',
      routingStatus: 'OFF_QUEUE',
    });
    expect(sim.requests({ path: '/api/v2/users' })).toHaveLength(1);
    expect(sim.requests({ path: '/api/**' })).toHaveLength(1);
  });

  it('chunks bulk reads at 50 ids per call', async () => {
    const ids = bigSim.users().map((u) => u.id);
    expect(ids).toHaveLength(162);
    const states = await client({}, bigSim).getAgentStates(ids);
    expect(states).toHaveLength(162);
    expect(bigSim.requests({ path: '/api/v2/users' })).toHaveLength(Math.ceil(162 / 50));
    expect(bigSim.requests({ path: '/api/**' })).toHaveLength(Math.ceil(162 / 50));
  });

  it('sets a presence; routing status follows On Queue', async () => {
    const erin = userId(sim, 'erin@example.com');
    const genesys = client();
    await genesys.setPresence(erin, definitionId(sim, 'On Queue'), 'back from training');
    expect(sim.getAgentState(erin)).toMatchObject({
      presenceLabel: 'On Queue',
      routingStatus: 'IDLE',
      message: 'back from training',
    });
    expect((await genesys.getAgentState(erin)).routingStatus).toBe('IDLE');
  });

  it('sets 120 presences with ceil(120/50) bulk calls', async () => {
    const lunch = definitionId(bigSim, 'Lunch');
    const changes = bigSim
      .users()
      .slice(0, 120)
      .map((u) => ({ agentId: u.id, presenceId: lunch }));
    const results = await client({}, bigSim).setPresences(changes);
    expect(results).toEqual(changes.map((c) => ({ agentId: c.agentId, ok: true })));
    expect(bigSim.requests({ method: 'PUT', path: '/api/v2/users/presences/bulk' })).toHaveLength(3);
    expect(bigSim.requests({ method: 'PATCH', path: '/api/v2/users/*/presences/purecloud' })).toHaveLength(0);
    expect(changes.every((c) => bigSim.getAgentState(c.agentId).presenceLabel === 'Lunch')).toBe(true);
  });

  it('falls back to per-user PATCH when the bulk write answers 404, and then skips it', async () => {
    sim.injectFault({ path: '/api/v2/users/presences/bulk', kind: 404 });
    const breakId = definitionId(sim, 'Break');
    const ids = ['carol@example.com', 'erin@example.com', 'heidi@example.com'].map((e) => userId(sim, e));
    const genesys = client();
    const results = await genesys.setPresences(ids.map((agentId) => ({ agentId, presenceId: breakId })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(ids.every((id) => sim.getAgentState(id).presenceLabel === 'Break')).toBe(true);
    expect(sim.requests({ method: 'PATCH' })).toHaveLength(3);
    await genesys.setPresences([{ agentId: ids[0]!, presenceId: definitionId(sim, 'Available') }]);
    expect(sim.requests({ method: 'PUT' })).toHaveLength(1);
  });

  it('isolates a bad entry of a refused bulk write with per-user PATCH', async () => {
    const available = definitionId(sim, 'Available');
    const carol = userId(sim, 'carol@example.com');
    const heidi = userId(sim, 'heidi@example.com');
    const results = await client().setPresences([
      { agentId: carol, presenceId: available },
      { agentId: heidi, presenceId: 'not-a-definition' },
    ]);
    expect(results[0]).toEqual({ agentId: carol, ok: true });
    expect(results[1]).toMatchObject({ agentId: heidi, ok: false, error: expect.stringContaining('not-a-definition') });
  });

  it('finds a user by e-mail (case-insensitive), caches the answer, and returns undefined for strangers', async () => {
    const genesys = client();
    const grace = await genesys.findUserByEmail('Grace@Example.com');
    expect(grace).toEqual({
      id: userId(sim, 'grace@example.com'),
      name: 'Grace Garcia',
      email: 'grace@example.com',
      state: 'active',
    });
    expect(await genesys.findUserByEmail('grace@example.com')).toEqual(grace);
    expect(await genesys.findUserByEmail('nobody@example.com')).toBeUndefined();
    expect(await genesys.findUserByEmail('nobody@example.com')).toBeUndefined();
    expect(sim.requests({ path: '/api/v2/users/search' })).toHaveLength(2);
  });
});

describe('token cache', () => {
  it('reuses one token across calls', async () => {
    const genesys = client();
    await genesys.checkReady();
    await genesys.listPresenceDefinitions();
    await genesys.findUserByEmail('bob@example.com');
    await genesys.getAgentState(userId(sim, 'bob@example.com'));
    expect(sim.tokenRequestCount()).toBe(1);
  });

  it('makes exactly one token request for 100 concurrent calls', async () => {
    const genesys = client();
    const bob = userId(sim, 'bob@example.com');
    const states = await Promise.all(Array.from({ length: 100 }, () => genesys.getAgentState(bob)));
    expect(states).toHaveLength(100);
    expect(sim.tokenRequestCount()).toBe(1);
  });

  it('renews the token before it expires (no 401 on the way)', async () => {
    const { clock, sim: shortLived, client: genesys } = await onVirtualTime({ tokenExpiresInSeconds: 1 });
    const bob = userId(shortLived, 'bob@example.com');
    // The default 60 s margin is capped at half the 1 s lifetime: renewal is due at 500 ms.
    await genesys.getAgentState(bob);
    clock.advance(499);
    await genesys.getAgentState(bob);
    expect(shortLived.tokenRequestCount()).toBe(1);
    clock.advance(1);
    await genesys.getAgentState(bob);
    expect(shortLived.tokenRequestCount()).toBe(2);
    clock.advance(1_000); // the first token has expired by now, and the second is due for renewal
    await genesys.getAgentState(bob);
    expect(shortLived.tokenRequestCount()).toBe(3);
    expect(shortLived.requests().filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('drops a refused token, fetches a new one and retries once', async () => {
    const genesys = client();
    const bob = userId(sim, 'bob@example.com');
    await genesys.getAgentState(bob);
    sim.expireTokens();
    await genesys.getAgentState(bob);
    expect(sim.tokenRequestCount()).toBe(2);
    expect(statuses(sim, USER_READ)).toEqual([200, 401, 200]);
  });

  it('gives up with unauthorized when a fresh token is refused too', async () => {
    sim.injectFault({ path: USER_READ, kind: 401, count: 2 });
    const error = await failure(client().getAgentState(userId(sim, 'bob@example.com')));
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false });
    expect(sim.tokenRequestCount()).toBe(2);
  });

  it('names the environment when the credentials are wrong; checkReady rejects with it', async () => {
    const genesys = client({ clientSecret: 'wrong-secret' });
    const expected = `Genesys rejected the OAuth client credentials for 127.0.0.1:${sim.port}`;
    const ready = await failure(genesys.checkReady());
    expect(ready).toMatchObject({ kind: 'unauthorized', message: expected, retryable: false });
    expect((await failure(genesys.findUserByEmail('x@example.com'))).message).toBe(expected);
    expect(sim.tokenRequestCount()).toBe(2); // no retries of a refusal
  });

  it('keeps two clients in one process on their own tokens', async () => {
    const first = client({}, bigSim);
    const second = client(SECOND_CLIENT, bigSim);
    const bob = userId(bigSim, 'bob@example.com');
    await Promise.all([first, second, first, second].map((genesys) => genesys.getAgentState(bob)));
    expect(bigSim.tokenRequestCount()).toBe(2);
    const byClient = bigSim.requests({ path: USER_READ }).map((r) => r.clientId);
    expect(byClient.filter((c) => c === 'demo-client')).toHaveLength(2);
    expect(byClient.filter((c) => c === SECOND_CLIENT.clientId)).toHaveLength(2);
  });
});

describe('rate limits and faults', () => {
  it('honours Retry-After on a 429', async () => {
    const { clock, sim: limited, client: genesys } = await onVirtualTime();
    limited.injectFault({ path: USER_READ, kind: 429, retryAfterSeconds: 30 });
    await genesys.getAgentState(userId(limited, 'bob@example.com'));
    expect(statuses(limited, USER_READ)).toEqual([429, 200]);
    // 30 s, plus up to retryBaseDelayMs (5 ms) of jitter so that clients do not all come back at once.
    expect(clock.slept).toHaveLength(1);
    expect(clock.slept[0]).toBeGreaterThanOrEqual(30_000);
    expect(clock.slept[0]).toBeLessThan(30_005);
  });

  it("recovers from the simulator's own per-client rate limit", async () => {
    // Each state read is one call: the third read goes over two.
    const {
      clock,
      sim: limited,
      client: genesys,
    } = await onVirtualTime({ rateLimit: { requests: 2, windowSeconds: 1 } });
    const bob = userId(limited, 'bob@example.com');
    for (let i = 0; i < 3; i++) await genesys.getAgentState(bob);
    expect(statuses(limited, USER_READ)).toEqual([200, 200, 429, 200]);
    expect(clock.slept).toHaveLength(1);
    expect(clock.slept[0]).toBeGreaterThanOrEqual(1_000);
  });

  it('retries transient 5xx and succeeds', async () => {
    sim.injectFault({ path: USER_READ, kind: 503, count: 2 });
    const state = await client().getAgentState(userId(sim, 'bob@example.com'));
    expect(state.systemPresence).toBe('ON_QUEUE');
    expect(statuses(sim, USER_READ)).toEqual([503, 503, 200]);
  });

  it('gives up on persistent 5xx with a typed error naming the attempt count', async () => {
    sim.injectFault({ path: USER_READ, kind: 500, count: 100 });
    const error = await failure(client().getAgentState(userId(sim, 'bob@example.com')));
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true, status: 500 });
    expect(error.message).toMatch(/after 4 attempts/);
    expect(statuses(sim, USER_READ)).toEqual([500, 500, 500, 500]);
    const fewer = await failure(client({ maxAttempts: 2 }).getAgentState(userId(sim, 'bob@example.com')));
    expect(fewer.message).toMatch(/after 2 attempts/);
  });

  it('retries a call that times out, and reports persistent timeouts as such', async () => {
    const bob = userId(sim, 'bob@example.com');
    // Generous, so that only the injected hang times out on a loaded machine.
    const patient = client({ requestTimeoutMs: 1_000 });
    await patient.checkReady();
    sim.injectFault({ path: USER_READ, kind: 'timeout' });
    expect((await patient.getAgentState(bob)).agentId).toBe(bob);
    expect(statuses(sim, USER_READ)).toContain(200);

    const hasty = client({ requestTimeoutMs: 200 });
    sim.injectFault({ path: USER_READ, kind: 'timeout', count: 4 });
    const error = await failure(hasty.getAgentState(bob));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toMatch(/within 200 ms after 4 attempts/);
  });

  it('retries a dropped connection', async () => {
    sim.injectFault({ path: USER_READ, kind: 'reset' });
    const bob = userId(sim, 'bob@example.com');
    expect((await client().getAgentState(bob)).agentId).toBe(bob);
    expect(statuses(sim, USER_READ)).toEqual([0, 200]);
  });

  it('does not retry 403 and names the missing permission', async () => {
    sim.injectFault({ path: '/api/v2/users/*/presences/purecloud', method: 'PATCH', kind: 403 });
    const bob = userId(sim, 'bob@example.com');
    const write = await failure(client().setPresence(bob, definitionId(sim, 'Break')));
    expect(write).toMatchObject({ kind: 'forbidden', retryable: false, status: 403 });
    expect(write.message).toContain('presence:userPresence:edit');
    sim.injectFault({ path: USER_READ, kind: 403 });
    expect((await failure(client().getAgentState(bob))).message).toContain('directory:user:view');
    expect(sim.requests({ method: 'PATCH' })).toHaveLength(1);
  });

  it('maps 404 to not_found and 400 to bad_request with Genesys’s message', async () => {
    const genesys = client();
    expect(await failure(genesys.getAgentState('no-such-user'))).toMatchObject({ kind: 'not_found', retryable: false });
    const bad = await failure(genesys.setPresence(userId(sim, 'bob@example.com'), 'no-such-definition'));
    expect(bad).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(bad.message).toBe('Presence definition no-such-definition does not exist or is deactivated.');
    expect(sim.requests({ method: 'PATCH' })).toHaveLength(1);
  });
});

describe('logs', () => {
  it('never contain the client secret or an access token', async () => {
    // A run with a token failure and retries, so the interesting log lines exist.
    const second = await startSimulator({ fixture: { ...demoFixture(), oauthClients: [SECOND_CLIENT] } });
    secondSims.push(second);
    second.injectFault({ path: USER_READ, kind: 503 });
    await client(SECOND_CLIENT, second).getAgentState(userId(second, 'bob@example.com'));
    await failure(client({ ...SECOND_CLIENT, clientSecret: 'wrong-secret-value' }, second).checkReady());

    const text = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(5);
    expect(text).toContain('genesys call failed; retrying');
    const secrets = [
      'demo-secret',
      SECOND_CLIENT.clientSecret,
      'wrong-secret-value',
      Buffer.from(`demo-client:demo-secret`).toString('base64'),
      Buffer.from(`${SECOND_CLIENT.clientId}:${SECOND_CLIENT.clientSecret}`).toString('base64'),
    ];
    const tokens = [sim, bigSim, ...secondSims].flatMap((s) => s.issuedTokens());
    expect(tokens.length).toBeGreaterThan(10);
    for (const secret of [...secrets, ...tokens]) expect(text).not.toContain(secret);
  });
});
