/**
 * A write's retry budget (the time its locks cover) and what a failed write says about its fate: the
 * pipeline relies on both to answer "nothing was changed" only when it is true.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/server.js';
import { definitionId, failure, simulatorClient, userId } from './helpers.js';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

const presencePath = (email: string) => `/api/v2/users/${userId(sim, email)}/presences/purecloud`;

describe('writes within a budget', () => {
  it('does not wait out a Retry-After longer than the budget: one try, known not applied, with the wait', async () => {
    const bob = userId(sim, 'bob@example.com');
    sim.injectFault({
      path: presencePath('bob@example.com'),
      method: 'PATCH',
      kind: 429,
      retryAfterSeconds: 45,
      count: 5,
    });
    const error = await failure(
      simulatorClient(sim).setPresence(bob, definitionId(sim, 'Break'), undefined, { withinMs: 20_000 }),
    );
    expect(error.kind).toBe('rate_limited');
    expect(error.details).toEqual({ retryAfterMs: 45_000 });
    expect(sim.requests({ method: 'PATCH' }).map((r) => r.status)).toEqual([429]);
  });

  it('retries within the budget as usual', async () => {
    const bob = userId(sim, 'bob@example.com');
    sim.injectFault({ path: presencePath('bob@example.com'), method: 'PATCH', kind: 503, count: 1 });
    await simulatorClient(sim).setPresence(bob, definitionId(sim, 'Break'), undefined, { withinMs: 20_000 });
    expect(sim.requests({ method: 'PATCH' }).map((r) => r.status)).toEqual([503, 200]);
  });

  it('sends nothing when not even one attempt fits in the budget', async () => {
    const bob = userId(sim, 'bob@example.com');
    const error = await failure(
      simulatorClient(sim).setPresence(bob, definitionId(sim, 'Break'), undefined, { withinMs: 500 }),
    );
    expect(error.details).toEqual({});
    expect(sim.requests({ method: 'PATCH' })).toEqual([]);
  });

  it('says a write may have been applied when an attempt timed out, even if the last one was refused', async () => {
    const bob = userId(sim, 'bob@example.com');
    sim.injectFault({ path: presencePath('bob@example.com'), method: 'PATCH', kind: 'applied-timeout', count: 1 });
    sim.injectFault({ path: presencePath('bob@example.com'), method: 'PATCH', kind: 429, count: 5 });
    const error = await failure(
      simulatorClient(sim, { requestTimeoutMs: 1_000, maxAttempts: 2 }).setPresence(bob, definitionId(sim, 'Break')),
    );
    expect(error.kind).toBe('rate_limited');
    expect(error.details.mayHaveApplied).toBe(true);
    expect(sim.getAgentState('bob@example.com').presenceLabel).toBe('Break');
  });
});
