import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/pipeline/ports.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { appliedChange, tempStorePath } from './fixtures/records.js';
import { storeOpener } from './fixtures/stores.js';

const open = storeOpener();

async function enqueue(store: SqliteStore, agentId: string, id: string): Promise<void> {
  const { record, event } = appliedChange({ agentId, requestId: id, eventId: id });
  await store.transitions.recordTransition(record, event);
}

const ids = (entries: OutboxEntry[]) => entries.map((e) => e.eventId);
const FAR = new Date('2100-01-01T00:00:00Z');

describe('outbox due()', () => {
  it('returns due entries oldest first, one per agent, the oldest of each', async () => {
    const store = open(':memory:');
    await enqueue(store, 'a1', 'e1');
    await enqueue(store, 'a2', 'e2');
    await enqueue(store, 'a1', 'e3');
    await enqueue(store, 'a3', 'e4');
    expect(ids(await store.outbox.due(FAR, 10))).toEqual(['e1', 'e2', 'e4']);
    expect(ids(await store.outbox.due(FAR, 2))).toEqual(['e1', 'e2']);
    await store.outbox.markDelivered('e1', new Date());
    expect(ids(await store.outbox.due(FAR, 10))).toEqual(['e2', 'e3', 'e4']);
  });

  it("holds an agent's later entries while an older one waits for its retry", async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const store = open(':memory:', { now: () => now });
    await enqueue(store, 'a1', 'e1');
    await enqueue(store, 'a1', 'e2');
    await enqueue(store, 'a2', 'e3');
    await store.outbox.markRetry('e1', new Date(now + 5000), 'HTTP 503');
    expect(ids(await store.outbox.due(new Date(now), 10))).toEqual(['e3']);
    now += 5000;
    expect(ids(await store.outbox.due(new Date(now), 10))).toEqual(['e1', 'e3']);
    await store.outbox.markDead('e1', 'HTTP 410');
    // A dead letter no longer holds the line; it is the operator's to replay.
    expect(ids(await store.outbox.due(new Date(now), 10))).toEqual(['e2', 'e3']);
  });

  it('keeps per-agent order through any sequence of enqueues and delivery outcomes (property)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('enqueue' as const), agent: fc.constantFrom('a1', 'a2', 'a3') }),
      fc.record({
        kind: fc.constant('deliver' as const),
        limit: fc.integer({ min: 1, max: 4 }),
        outcomes: fc.array(fc.constantFrom('delivered', 'retry-now', 'retry-later', 'dead'), {
          minLength: 4,
          maxLength: 4,
        }),
      }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        let now = Date.parse('2025-01-01T00:00:00Z');
        const store = openSqliteStore(':memory:', { now: () => now });
        try {
          let next = 0;
          const order = new Map<string, number>(); // eventId → enqueue position
          const delivered = new Map<string, number[]>(); // agent → positions in delivery order
          for (const step of ops) {
            if (step.kind === 'tick') now += step.ms;
            if (step.kind === 'enqueue') {
              const id = `e${next}`;
              order.set(id, next++);
              await enqueue(store, step.agent, id);
            }
            if (step.kind !== 'deliver') continue;
            const due = await store.outbox.due(new Date(now), step.limit);
            const pending = await store.outbox.list({ state: 'pending' });
            expect(due.length).toBeLessThanOrEqual(step.limit);
            expect(new Set(due.map((e) => e.agentId)).size).toBe(due.length);
            expect(due.map((e) => order.get(e.eventId))).toEqual(
              due.map((e) => order.get(e.eventId)).sort((a, b) => a! - b!),
            );
            for (const entry of due) {
              expect(Date.parse(entry.nextAttemptAt)).toBeLessThanOrEqual(now);
              const olderPending = pending.filter(
                (p) => p.agentId === entry.agentId && order.get(p.eventId)! < order.get(entry.eventId)!,
              );
              expect(olderPending).toEqual([]);
            }
            for (const [i, entry] of due.entries()) {
              const outcome = step.outcomes[i];
              if (outcome === 'delivered') {
                await store.outbox.markDelivered(entry.eventId, new Date(now));
                delivered.set(entry.agentId, [...(delivered.get(entry.agentId) ?? []), order.get(entry.eventId)!]);
              } else if (outcome === 'dead') {
                await store.outbox.markDead(entry.eventId, 'HTTP 410');
              } else {
                await store.outbox.markRetry(
                  entry.eventId,
                  new Date(now + (outcome === 'retry-now' ? 0 : 1000)),
                  'HTTP 503',
                );
              }
            }
          }
          for (const positions of delivered.values()) {
            expect(positions).toEqual([...positions].sort((a, b) => a - b));
          }
          const counts = await store.outbox.counts();
          expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(next);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('outbox states', () => {
  it('records attempts, errors and delivery time, and keeps the webhook-id fixed at enqueue', async () => {
    const store = open(':memory:');
    await enqueue(store, 'a1', 'e1');
    const [queued] = await store.outbox.list();
    await store.outbox.markRetry('e1', new Date(Date.now() - 1), 'HTTP 503: busy');
    expect((await store.outbox.list())[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'HTTP 503: busy',
    });
    const at = new Date('2025-06-01T12:00:00.000Z');
    await store.outbox.markDelivered('e1', at);
    const [done] = await store.outbox.list();
    expect(done).toMatchObject({
      state: 'delivered',
      attempts: 2,
      deliveredAt: at.toISOString(),
      webhookId: queued?.webhookId,
    });
    expect(done?.lastError).toBeUndefined();
  });

  type Step = (store: SqliteStore) => Promise<unknown>;
  const deliver: Step = (s) => s.outbox.markDelivered('e1', new Date());
  const kill: Step = (s) => s.outbox.markDead('e1', 'HTTP 410');
  const ack: Step = (s) => s.outbox.acknowledge('e1', 'processed');
  const reject: Step = (s) => s.outbox.acknowledge('e1', 'rejected', 'unknown agent');
  const cases: Array<{ name: string; steps: Step[]; state: OutboxEntry['state']; attempts: number }> = [
    { name: 'delivered', steps: [deliver], state: 'delivered', attempts: 1 },
    { name: 'dead', steps: [kill], state: 'dead', attempts: 1 },
    { name: 'delivered then acknowledged', steps: [deliver, ack], state: 'acknowledged', attempts: 1 },
    { name: 'delivered then rejected', steps: [deliver, reject], state: 'rejected', attempts: 1 },
    { name: 'acknowledged before the delivery returned', steps: [ack, deliver], state: 'acknowledged', attempts: 1 },
    {
      name: 'acknowledged before a failed attempt was recorded',
      steps: [ack, kill],
      state: 'acknowledged',
      attempts: 0,
    },
    { name: 'dead then acknowledged', steps: [kill, ack], state: 'acknowledged', attempts: 1 },
    // Acknowledged and rejected are final: a later, different answer does not move the state back or sideways.
    { name: 'acknowledged, then a rejection', steps: [deliver, ack, reject], state: 'acknowledged', attempts: 1 },
    { name: 'rejected, then an acknowledgement', steps: [deliver, reject, ack], state: 'rejected', attempts: 1 },
    { name: 'acknowledged, then delivered again', steps: [ack, deliver, kill], state: 'acknowledged', attempts: 1 },
  ];
  it.each(cases)('$name → $state', async ({ steps, state, attempts }) => {
    const store = open(':memory:');
    await enqueue(store, 'a1', 'e1');
    for (const step of steps) await step(store);
    expect((await store.outbox.list())[0]).toMatchObject({ state, attempts });
    expect(await store.outbox.due(FAR, 10)).toEqual([]);
  });

  it("keeps the receiver's reason for a rejection", async () => {
    const store = open(':memory:');
    await enqueue(store, 'a1', 'e1');
    await store.outbox.markDelivered('e1', new Date());
    expect(await store.outbox.acknowledge('e1', 'rejected', 'unknown agent')).toBe('ok');
    expect((await store.outbox.list())[0]?.lastError).toBe('rejected by receiver: unknown agent');
  });

  it('answers settled to a different answer after a final one, and ok to the same one again', async () => {
    const store = open(':memory:');
    await enqueue(store, 'a1', 'e1');
    expect(await store.outbox.acknowledge('e1', 'processed')).toBe('ok');
    expect(await store.outbox.acknowledge('e1', 'rejected', 'late')).toBe('settled');
    expect(await store.outbox.acknowledge('e1', 'processed')).toBe('ok');
    expect((await store.outbox.list())[0]).toMatchObject({ state: 'acknowledged' });
    expect((await store.outbox.list())[0]?.lastError).toBeUndefined();
  });

  it('answers unknown for an acknowledgement of an event it never had', async () => {
    const store = open(':memory:');
    expect(await store.outbox.acknowledge('nope', 'processed')).toBe('unknown');
  });

  it.each<{ state: OutboxEntry['state']; steps: Step[]; replayed: boolean }>([
    { state: 'dead', steps: [kill], replayed: true },
    { state: 'delivered', steps: [deliver], replayed: true },
    { state: 'rejected', steps: [deliver, reject], replayed: true },
    { state: 'pending', steps: [], replayed: false },
    { state: 'acknowledged', steps: [deliver, ack], replayed: false },
  ])('replay of a $state entry → $replayed', async ({ steps, replayed }) => {
    const store = open(':memory:');
    await enqueue(store, 'a1', 'e1');
    for (const step of steps) await step(store);
    const before = (await store.outbox.list())[0]!;
    expect(await store.outbox.replay('e1')).toBe(replayed);
    const after = (await store.outbox.list())[0]!;
    if (replayed) {
      expect(after).toMatchObject({ state: 'pending', attempts: 0, webhookId: before.webhookId });
      expect(after.lastError).toBeUndefined();
      expect(ids(await store.outbox.due(new Date(), 10))).toEqual(['e1']);
    } else {
      expect(after).toEqual(before);
    }
  });

  it('replays every dead letter at once, and reports how many', async () => {
    const store = open(':memory:');
    for (const id of ['e1', 'e2', 'e3']) await enqueue(store, `agent-${id}`, id);
    await store.outbox.markDead('e1', 'x');
    await store.outbox.markDead('e3', 'x');
    await store.outbox.markDelivered('e2', new Date());
    expect(await store.outbox.counts()).toEqual({ pending: 0, delivered: 1, dead: 2, acknowledged: 0, rejected: 0 });
    expect(await store.outbox.replayAllDead()).toBe(2);
    expect(await store.outbox.counts()).toEqual({ pending: 2, delivered: 1, dead: 0, acknowledged: 0, rejected: 0 });
    expect(ids(await store.outbox.list({ state: 'pending' }))).toEqual(['e1', 'e3']);
    expect(await store.outbox.replayAllDead()).toBe(0);
  });

  it('sees a replay made by another process on the same file', async () => {
    const path = tempStorePath();
    const app = open(path);
    const operator = open(path);
    await enqueue(app, 'a1', 'e1');
    await app.outbox.markDead('e1', 'HTTP 410');
    expect(await operator.outbox.replay('e1')).toBe(true);
    expect(ids(await app.outbox.due(new Date(), 10))).toEqual(['e1']);
  });

  it('drops finished entries past the retention as new ones are delivered', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const store = open(':memory:', { now: () => now, outboxRetentionMs: 1000 });
    for (const id of ['e1', 'e2', 'e3', 'e4']) await enqueue(store, `agent-${id}`, id);
    await store.outbox.markDelivered('e1', new Date(now));
    await store.outbox.acknowledge('e1', 'processed');
    await store.outbox.markDead('e2', 'x');
    now += 1001;
    await store.outbox.markDelivered('e3', new Date(now));
    expect(ids(await store.outbox.list())).toEqual(['e2', 'e3', 'e4']);
  });
});
