/**
 * The pipeline's guarantees under faults (issue 18): a lock cannot outlive what it guarantees, a write whose
 * fate is unknown is said to be so and settled later against evidence of its own write, and every landed
 * change has exactly one payroll event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TransitionOutcome, TransitionRequest } from '../../src/domain/transition.js';
import { payrollEventIdFor } from '../../src/pipeline/steps.js';
import { intentOf } from '../support/intents.js';
import { waitFor } from '../support/wait.js';
import { expectKind, type PipelineHarness, startPipelineHarness } from './harness.js';

const ALICE = 'alice@example.com';
const CAROL = 'carol@example.com';
const DAVE = 'dave@example.com';
const ERIN = 'erin@example.com';
const BILLING = ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => `${n}@example.com`);

const presencePath = (h: PipelineHarness, email: string) =>
  `/api/v2/users/${h.simulator.getAgentState(email).userId}/presences/purecloud`;
const onBreak = (h: PipelineHarness) =>
  BILLING.filter((email) => h.simulator.getAgentState(email).presenceLabel === 'Break');

/** Billing (cap 2 on Break, floor 2 On Queue) with Alice on Break and three On Queue. */
function billingWithAliceOnBreak(h: PipelineHarness) {
  h.simulator.setAgentPresence(ALICE, 'Break');
  h.simulator.setAgentPresence(ERIN, 'On Queue');
}

describe('locks that cannot outlive their guarantee', () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  it('ends a write rate-limited past what its locks cover, truthfully and without a retry; the cap holds', async () => {
    h = await startPipelineHarness();
    billingWithAliceOnBreak(h);
    h.simulator.injectFault({
      path: presencePath(h, CAROL),
      method: 'PATCH',
      kind: 429,
      retryAfterSeconds: 45,
      count: 10,
    });
    const carol = await h.pipeline.submit(h.request(CAROL, CAROL, 'break'));
    expect(carol).toEqual({
      kind: 'failed',
      retryable: true,
      message: 'Genesys is rate limiting; nothing was changed, try again in 45 s.',
    });
    // One PATCH, answered 429: Genesys applied nothing and nothing was tried again.
    expect(h.simulator.requests({ method: 'PATCH', path: presencePath(h, CAROL) }).map((r) => r.status)).toEqual([429]);
    expect(h.simulator.getAgentState(CAROL).presenceLabel).toBe('Available');
    expect(await h.store.transitions.pendingIntents()).toEqual([]);

    // Dave, right after: 1 of 2 on Break, so he gets the slot.
    expectKind(await h.pipeline.submit(h.request(DAVE, DAVE, 'break')), 'applied');
    h.simulator.clearFaults();
    const again = expectKind(await h.pipeline.submit(h.request(CAROL, CAROL, 'break')), 'refused');
    expect(again.code).toBe('cap_reached');
    expect(onBreak(h)).toEqual([ALICE, DAVE]);
    expect((await h.store.outbox.list()).map((e) => e.event.data.email)).toEqual([DAVE]);
  });

  /**
   * A harness whose store clock the test moves, without lock renewal, where one read waits until `resume()`:
   * the team read (`counting`: a change stalls after counting) or the first read after a write (`read-back`:
   * a change stalls after writing) while its locks expire.
   */
  async function stallingHarness(at: 'counting' | 'read-back') {
    const clock = { lockMs: Date.now() };
    let armed = at === 'counting';
    let resume: () => void = () => {};
    let reached: () => void = () => {};
    const hold = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const stalled = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const stall = async <T>(read: Promise<T>): Promise<T> => {
      const value = await read;
      if (armed) {
        armed = false;
        reached();
        await hold;
      }
      return value;
    };
    h = await startPipelineHarness({
      storeNow: () => clock.lockMs,
      // No renewal during the test: the expiry is what is under test.
      deps: { lockTtlMs: 30_000, lockRenewEveryMs: 3_600_000 },
      wrapGenesys: (port) => ({
        ...port,
        getAgentStates: (ids) => stall(port.getAgentStates(ids)),
        getAgentState: (id) => (at === 'read-back' ? stall(port.getAgentState(id)) : port.getAgentState(id)),
        async setPresence(...args) {
          await port.setPresence(...args);
          armed = at === 'read-back';
        },
        async setPresences(...args) {
          const results = await port.setPresences(...args);
          armed = at === 'read-back';
          return results;
        },
      }),
    });
    billingWithAliceOnBreak(h);
    return { clock, stalled, resume };
  }

  it.each([
    ['a single change', (carol: TransitionRequest) => h.pipeline.submit(carol)],
    ['a batch', async (carol: TransitionRequest) => (await h.pipeline.submitBatch([carol]))[0]!],
  ])('stops %s before writing when a lock expired and was taken while it waited, and says so', async (_, submit) => {
    const { clock, stalled, resume } = await stallingHarness('counting');
    const carolDecision = submit(h.request('sam.super@example.com', CAROL, 'break'));
    await stalled;
    // Carol's locks expire while she stalls (she counted 1 of 2); Dave takes them, counts 1 of 2, writes.
    clock.lockMs += 31_000;
    expectKind(await h.pipeline.submit(h.request(DAVE, DAVE, 'break')), 'applied');
    resume();
    const carol = expectKind(await carolDecision, 'failed');
    expect(carol.message).toBe(
      'Another change to this agent or team took over while this one waited. Nothing was changed; try again.',
    );
    expect(h.simulator.requests({ method: 'PATCH', path: presencePath(h, CAROL) })).toEqual([]);
    expect(h.simulator.requests({ method: 'PUT' })).toEqual([]);
    expect(onBreak(h)).toEqual([ALICE, DAVE]);
    expect(await h.store.transitions.pendingIntents()).toEqual([]);
  });

  it.each([
    ['a single change', (carol: TransitionRequest) => h.pipeline.submit(carol)],
    ['a batch', async (carol: TransitionRequest) => (await h.pipeline.submitBatch([carol]))[0]!],
  ])('records %s that lost its locks after writing only through recovery, once', async (_, submit) => {
    const { clock, stalled, resume } = await stallingHarness('read-back');
    const carolDecision = submit(h.request('sam.super@example.com', CAROL, 'break'));
    await stalled;
    clock.lockMs += 31_000;
    // Dave takes the expired team lock and sees Carol's landed write: 2 of 2.
    expect(expectKind(await h.pipeline.submit(h.request(DAVE, DAVE, 'break')), 'refused').code).toBe('cap_reached');
    resume();
    expectKind(await carolDecision, 'unknown');
    expect(await h.store.outbox.list()).toEqual([]);
    expect(await h.pipeline.recover()).toBe(1);
    expect(await h.pipeline.recover()).toBe(0);
    expect((await h.store.outbox.list()).map((e) => e.event.data.email)).toEqual([CAROL]);
    expect(onBreak(h)).toEqual([ALICE, CAROL]);
  });

  it('renews held locks while the holder works, so nobody takes them past their ttl', async () => {
    let lockClock = Date.now();
    let renewals = 0;
    let takenMeanwhile: unknown;
    h = await startPipelineHarness({
      storeNow: () => lockClock,
      deps: { lockTtlMs: 30_000, lockRenewEveryMs: 5 },
      wrapLocks: (locks) => ({
        async acquire(key, ttlMs, waitMs) {
          const lock = await locks.acquire(key, ttlMs, waitMs);
          return {
            release: () => lock.release(),
            renew(ms) {
              renewals += 1;
              return lock.renew(ms);
            },
          };
        },
      }),
      wrapGenesys: (port) => ({
        ...port,
        // Alice's first read lasts 40 s of lock time, with a renewal in between: her lock is still hers.
        async getAgentState(id) {
          if (takenMeanwhile === undefined) {
            lockClock += 20_000;
            const seen = renewals;
            await waitFor(() => renewals > seen, { what: 'a renewal' });
            lockClock += 20_000;
            takenMeanwhile = await h.store.locks.acquire(`agent:${id}`, 30_000, 0).then(
              () => true,
              () => false,
            );
          }
          return port.getAgentState(id);
        },
      }),
    });
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'meeting')), 'applied');
    expect(takenMeanwhile).toBe(false);
  });
});

describe('writes whose fate is unknown', () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  /** Alice's PATCH lands but is never answered; every read of her presence fails from then on. */
  async function landedButUnconfirmed(settled: Array<[TransitionRequest, TransitionOutcome]>) {
    h = await startPipelineHarness({
      client: { requestTimeoutMs: 1_000, maxAttempts: 2 },
      deps: { onSettled: (request, outcome) => settled.push([request, outcome]) },
      wrapGenesys: (port, simulator) => ({
        ...port,
        async setPresence(agentId, presenceId, message, budget) {
          const path = `/api/v2/users/${agentId}/presences/purecloud`;
          simulator.injectFault({ path, method: 'PATCH', kind: 'applied-timeout', count: 2 });
          try {
            await port.setPresence(agentId, presenceId, message, budget);
          } finally {
            simulator.injectFault({ path: `/api/v2/users/${agentId}`, method: 'GET', kind: 503, count: 1_000 });
          }
        },
      }),
    });
    const request = h.request(ALICE, ALICE, 'meeting');
    const first = expectKind(await h.pipeline.submit(request), 'unknown');
    expect(first.message).toMatch(/checking whether Genesys applied it/);
    expect(first.message).not.toMatch(/[Nn]othing was changed/);
    expect(h.simulator.getAgentState(ALICE).presenceLabel).toBe('Meeting');
    expect(await h.store.outbox.list()).toEqual([]);
    expect(await h.store.transitions.pendingIntents()).toHaveLength(1);
    h.simulator.clearFaults();
    return request;
  }

  it('says the fate is unknown, then recovery records it with one event and announces the final outcome', async () => {
    const settled: Array<[TransitionRequest, TransitionOutcome]> = [];
    const request = await landedButUnconfirmed(settled);

    expect(await h.pipeline.recover()).toBe(1);
    expect(settled.map(([r, o]) => [r.requestId, o.kind])).toEqual([[request.requestId, 'applied']]);
    const events = await h.store.outbox.list();
    expect(events.map((e) => [e.eventId, e.webhookId])).toEqual([
      [payrollEventIdFor(request.requestId), `msg_${payrollEventIdFor(request.requestId)}`],
    ]);
    // A retry of the same request answers what happened, and a new one sees the status it already has.
    expect(await h.pipeline.submit(request)).toEqual(settled[0]![1]);
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'meeting')), 'noop');
    expect(await h.pipeline.recover()).toBe(0);
    expect(await h.store.outbox.list()).toHaveLength(1);
  });

  it('answers a retry of the same request truthfully before recovery ran, with one event in all', async () => {
    const settled: Array<[TransitionRequest, TransitionOutcome]> = [];
    const request = await landedButUnconfirmed(settled);

    const retried = expectKind(await h.pipeline.submit(request), 'applied');
    expect(retried.to.presenceLabel).toBe('Meeting');
    expect(await h.pipeline.recover()).toBe(0);
    expect(settled).toEqual([]);
    expect((await h.store.outbox.list()).map((e) => e.event.data.requestId)).toEqual([request.requestId]);
  });
});

describe('settling intents', () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  async function recordMeetingIntent(email: string) {
    const intent = intentOf(h.simulator, h.request(email, email, 'meeting'), 'Meeting');
    await h.store.transitions.recordIntent(intent);
    return intent;
  }

  it('never produces a second event for an intent settled twice', async () => {
    h = await startPipelineHarness();
    const intent = await recordMeetingIntent(ALICE);
    h.simulator.setAgentPresence(ALICE, 'Meeting');
    const passes = await Promise.all([h.pipeline.recover(), h.pipeline.recover()]);
    expect(passes.sort()).toEqual([0, 1]);
    // A stale copy of the intent (another process listed it before it was settled) settles to nothing new.
    await h.store.transitions.recordIntent(intent);
    expect(await h.pipeline.recover()).toBe(0);
    expect((await h.store.outbox.list()).map((e) => e.eventId)).toEqual([payrollEventIdFor(intent.requestId)]);
    expect(await h.store.transitions.pendingIntents()).toEqual([]);
  });

  it('settles an intent against its own write, never against a later change to the same status', async () => {
    h = await startPipelineHarness();
    // A write that never reached Genesys, then a new request for the same status.
    const lost = await recordMeetingIntent(ALICE);
    const later = h.request(ALICE, ALICE, 'meeting');
    expectKind(await h.pipeline.submit(later), 'applied');
    expect(await h.pipeline.recover()).toBe(0);
    expect((await h.store.outbox.list()).map((e) => e.event.data.requestId)).toEqual([later.requestId]);
    expect(await h.store.transitions.findOutcome(lost.requestId)).toBeUndefined();
  });

  it('leaves an agent locked by a live change to a later pass', async () => {
    h = await startPipelineHarness();
    await recordMeetingIntent(ALICE);
    h.simulator.setAgentPresence(ALICE, 'Meeting');
    const lock = await h.store.locks.acquire(`agent:${h.simulator.getAgentState(ALICE).userId}`, 30_000, 0);
    expect(await h.pipeline.recover()).toBe(0);
    expect(await h.store.transitions.pendingIntents()).toHaveLength(1);
    await lock.release();
    expect(await h.pipeline.recover()).toBe(1);
  });
});
