import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PipelineHarness, startPipelineHarness } from './harness.js';

const SAM = 'sam.super@example.com';
const ADA = 'ada.admin@example.com';
const AGENTS = Array.from({ length: 30 }, (_, i) => `agent${String(i + 1).padStart(2, '0')}@example.com`);

describe('batch transitions (shift handovers)', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('validates entries against the evolving team state and writes them with one bulk call', async () => {
    // carol and erin are Available; alice, bob and dave On Queue. Break allows 2.
    const order = ['carol', 'erin', 'alice', 'bob', 'dave'].map((n) => `${n}@example.com`);
    const requests = order.map((email) => h.request(SAM, email, 'break'));
    const progress: number[] = [];
    const outcomes = await h.pipeline.submitBatch(requests, (done, total) => {
      expect(total).toBe(5);
      progress.push(done);
    });
    expect(outcomes.map((o) => (o.kind === 'refused' ? o.code : o.kind))).toEqual([
      'applied',
      'applied',
      'cap_reached',
      'cap_reached',
      'cap_reached',
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(h.simulator.requests({ method: 'PUT', path: '/api/v2/users/presences/bulk' })).toHaveLength(1);
    expect(h.simulator.requests({ method: 'PATCH' })).toHaveLength(0);
    const events = await h.store.outbox.list();
    expect(events.map((e) => e.event.data.email).sort()).toEqual(['carol@example.com', 'erin@example.com']);
  });

  it('keeps the staffing floor across the batch', async () => {
    // alice, bob and dave are On Queue; the floor is 2, so only one of them may leave.
    const outcomes = await h.pipeline.submitBatch(
      ['alice', 'bob', 'dave'].map((n) => h.request(SAM, `${n}@example.com`, 'meeting')),
    );
    expect(outcomes.map((o) => (o.kind === 'refused' ? o.code : o.kind))).toEqual([
      'applied',
      'staffing_floor',
      'staffing_floor',
    ]);
  });

  it('moves 30 agents with one bulk write, reports progress to the end, and is idempotent', async () => {
    const requests = AGENTS.map((email) => h.request(ADA, email, 'offline'));
    let last = 0;
    const outcomes = await h.pipeline.submitBatch(requests, (done) => {
      expect(done).toBeGreaterThan(last);
      last = done;
    });
    expect(last).toBe(30);
    const kinds = outcomes.map((o) => (o.kind === 'refused' ? o.code : o.kind));
    // agent21 starts Offline already; agent07 (Break) and agent13 (Lunch) have not stayed their minimum.
    expect(kinds.filter((k) => k === 'applied')).toHaveLength(27);
    expect(kinds.filter((k) => k === 'noop')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'dwell')).toHaveLength(2);
    const offline = AGENTS.filter((email) => h.simulator.getAgentState(email).presenceLabel === 'Offline');
    expect(offline).toHaveLength(28);
    expect(h.simulator.requests({ method: 'PUT' })).toHaveLength(1);
    expect(await h.store.outbox.list()).toHaveLength(27);

    expect(await h.pipeline.submitBatch(requests)).toEqual(outcomes);
    expect(h.simulator.requests({ method: 'PUT' })).toHaveLength(1);
    expect(await h.store.outbox.list()).toHaveLength(27);
  });

  it('costs one read before, one bulk write and one read to confirm 30 agents (no notification channel)', async () => {
    await h.genesys.listPresenceDefinitions();
    h.simulator.clearRequests();
    const outcomes = await h.pipeline.submitBatch(AGENTS.map((email) => h.request(ADA, email, 'offline')));
    expect(outcomes.filter((o) => o.kind === 'applied')).toHaveLength(27);
    expect(h.simulator.requests({ path: '/api/**' }).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/users',
      'PUT /api/v2/users/presences/bulk',
      'GET /api/v2/users',
    ]);
  });

  it('reports each entry that Genesys did not take, and records nothing for it', async () => {
    h.simulator.injectFault({ path: '/api/v2/users/presences/bulk', method: 'PUT', kind: 500, count: 100 });
    h.simulator.injectFault({ path: '/api/v2/users/*/presences/purecloud', method: 'PATCH', kind: 500, count: 100 });
    const outcomes = await h.pipeline.submitBatch(AGENTS.slice(0, 3).map((email) => h.request(ADA, email, 'meeting')));
    for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'failed', retryable: true });
    expect(await h.store.outbox.list()).toHaveLength(0);
    expect(await h.store.transitions.pendingIntents()).toHaveLength(0);
  });
});
