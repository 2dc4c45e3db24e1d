import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TransitionRecord } from '../../src/pipeline/ports.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { Database } from '../../src/store/sqlite-driver.js';
import { spawnScript } from '../support/process.js';
import { waitFor } from '../support/wait.js';
import { appliedChange, refusedRecord, tempStorePath } from './fixtures/records.js';
import { storeOpener } from './fixtures/stores.js';

const HOUR = 60 * 60 * 1000;

const open = storeOpener();

describe('recordTransition', () => {
  it('records an applied change together with its payroll event', async () => {
    const store = open(':memory:');
    const { record, event } = appliedChange({ agentId: 'a1', requestId: 'r1' });
    await store.transitions.recordTransition(record, event);
    expect(await store.transitions.findOutcome('r1')).toEqual(record);
    const [entry] = await store.outbox.list();
    expect(entry).toMatchObject({
      eventId: 'evt-r1',
      webhookId: 'msg_evt-r1',
      agentId: 'a1',
      state: 'pending',
      attempts: 0,
    });
    expect(entry?.event).toEqual(event);
  });

  const applied = appliedChange({ agentId: 'a1', requestId: 'r1' });
  it.each([
    ['an applied change without an event', applied.record, undefined, /needs exactly one payroll event/],
    ['a refusal with an event', refusedRecord({ agentId: 'a1', requestId: 'r1' }), applied.event, /exactly one/],
    [
      'an event of another request',
      applied.record,
      appliedChange({ agentId: 'a1', requestId: 'other' }).event,
      /belongs to another request/,
    ],
    [
      'an event of another agent',
      applied.record,
      appliedChange({ agentId: 'a2', requestId: 'r1' }).event,
      /belongs to another request or agent/,
    ],
    ['a decidedAt that is no time', { ...applied.record, decidedAt: 'yesterday' }, applied.event, /not an ISO time/],
  ])('refuses %s and writes nothing', async (_, record, event, message) => {
    const store = open(':memory:');
    await expect(store.transitions.recordTransition(record, event)).rejects.toThrow(message);
    expect(await store.transitions.findOutcome('r1')).toBeUndefined();
    expect(await store.outbox.list()).toEqual([]);
  });

  it('is idempotent: recording an applied request again queues no second event and keeps the first record', async () => {
    const store = open(':memory:');
    const first = appliedChange({ agentId: 'a1', requestId: 'r1', decidedAt: '2025-01-01T10:00:00.000Z' });
    await store.transitions.recordTransition(first.record, first.event);
    const again = appliedChange({ agentId: 'a1', requestId: 'r1', decidedAt: '2025-01-01T10:00:05.000Z' });
    await store.transitions.recordTransition(again.record, again.event);
    await store.transitions.recordTransition(again.record, again.event);
    expect(await store.transitions.findOutcome('r1')).toEqual(first.record);
    expect(await store.outbox.list()).toHaveLength(1);
  });

  it('queues one event per request, even once its record has aged out, and forgets the intent', async () => {
    let now = Date.parse('2025-01-01T10:00:00.000Z');
    const store = open(':memory:', { now: () => now, recordTtlMs: 60_000 });
    const first = appliedChange({ agentId: 'a1', requestId: 'r1', eventId: 'evt-1' });
    await store.transitions.recordTransition(first.record, first.event);
    now += 120_000;
    expect(await store.transitions.findOutcome('r1')).toBeUndefined();
    // The same change settled again (a stale intent), even under another event id: nothing new is queued.
    const again = appliedChange({ agentId: 'a1', requestId: 'r1', eventId: 'evt-2' });
    await store.transitions.recordIntent({
      requestId: 'r1',
      agentId: 'a1',
      presenceId: 'p',
      fromVersion: 'v',
      from: { status: 'on-queue', presenceId: 'p0', presenceLabel: 'On Queue', routingStatus: 'IDLE' },
      request: {
        requestId: 'r1',
        actor: { slackUserId: 'U1' },
        target: { genesysUserId: 'a1', email: 'a@x' },
        to: 'break',
        source: 'command',
      },
      createdAt: new Date(now).toISOString(),
    });
    await store.transitions.recordTransition(again.record, again.event);
    expect((await store.outbox.list()).map((e) => e.eventId)).toEqual(['evt-1']);
    expect(await store.transitions.pendingIntents()).toEqual([]);
  });

  it('lets a failed attempt of a request be replaced by its later outcome', async () => {
    const store = open(':memory:');
    const failed: TransitionRecord = {
      ...refusedRecord({ agentId: 'a1', requestId: 'r1' }),
      outcome: { kind: 'failed', retryable: true, message: 'Genesys unavailable' },
    };
    await store.transitions.recordTransition(failed);
    const { record, event } = appliedChange({ agentId: 'a1', requestId: 'r1' });
    await store.transitions.recordTransition(record, event);
    expect((await store.transitions.findOutcome('r1'))?.outcome.kind).toBe('applied');
    expect(await store.outbox.list()).toHaveLength(1);
  });

  it('rolls the transition back when its event cannot be queued (no change without an event)', async () => {
    const store = open(':memory:');
    const first = appliedChange({ agentId: 'a1', requestId: 'r1', eventId: 'same' });
    await store.transitions.recordTransition(first.record, first.event);
    const clash = appliedChange({ agentId: 'a1', requestId: 'r2', eventId: 'same' });
    await expect(store.transitions.recordTransition(clash.record, clash.event)).rejects.toThrow(/UNIQUE/);
    expect(await store.transitions.findOutcome('r2')).toBeUndefined();
    expect(await store.outbox.list()).toHaveLength(1);
  });

  it('rolls the transition back when the outbox write fails for any reason', async () => {
    const path = tempStorePath();
    const store = open(path);
    const raw = new Database(path);
    raw.exec("CREATE TRIGGER outbox_down BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    raw.close();
    const { record, event } = appliedChange({ agentId: 'a1', requestId: 'r1' });
    await expect(store.transitions.recordTransition(record, event)).rejects.toThrow(/disk says no/);
    expect(await store.transitions.findOutcome('r1')).toBeUndefined();
    expect(await store.transitions.history('a1', 10)).toEqual([]);
  });

  it('keeps changes and events paired through any sequence of records (property)', async () => {
    const step = fc.record({
      request: fc.integer({ min: 0, max: 8 }),
      agent: fc.constantFrom('a1', 'a2', 'a3'),
      kind: fc.constantFrom('applied', 'refused', 'failed'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const store = openSqliteStore(':memory:');
        try {
          for (const { request, agent, kind } of steps) {
            const requestId = `r${request}`;
            if (kind === 'applied') {
              const { record, event } = appliedChange({ agentId: agent, requestId });
              await store.transitions.recordTransition(record, event);
            } else {
              const record = refusedRecord({ agentId: agent, requestId });
              await store.transitions.recordTransition(
                kind === 'failed' ? { ...record, outcome: { kind: 'failed', retryable: true, message: 'x' } } : record,
              );
            }
          }
          const events = await store.outbox.list();
          const appliedIds: string[] = [];
          for (let i = 0; i <= 8; i++) {
            const outcome = await store.transitions.findOutcome(`r${i}`);
            if (outcome?.outcome.kind === 'applied') appliedIds.push(`r${i}`);
          }
          expect(events.map((e) => e.event.data.requestId).sort()).toEqual(appliedIds.sort());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('never leaves a change without its event, or an event without its change, when the process is killed mid-write', async () => {
    const path = tempStorePath();
    open(path); // creates the schema before the child starts
    const { child, exited } = spawnScript('test/store/fixtures/record-loop.ts', [path]);
    const raw = new Database(path, { readonly: true });
    const count = raw.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM transitions');
    await waitFor(() => (count.get()?.n ?? 0) >= 300, { what: 'the child to record 300 transitions' });
    raw.close();
    child.kill('SIGKILL');
    await exited;

    const store = open(path);
    const events = await store.outbox.list();
    const appliedRequests: string[] = [];
    for (const agent of ['a0', 'a1', 'a2', 'a3', 'a4']) {
      for (const record of await store.transitions.history(agent, 100_000)) {
        if (record.outcome.kind === 'applied') appliedRequests.push(record.requestId);
      }
    }
    expect(appliedRequests.length).toBeGreaterThanOrEqual(200);
    expect(events.map((e) => e.event.data.requestId).sort()).toEqual(appliedRequests.sort());
  });
});

describe('findOutcome, history and lastAppliedBy', () => {
  it('lists an agent newest first, up to the limit', async () => {
    const store = open(':memory:');
    for (const [i, at] of ['10:00', '10:02', '10:01'].entries()) {
      const { record, event } = appliedChange({ agentId: 'a1', requestId: `r${i}`, decidedAt: `2025-01-01T${at}:00Z` });
      await store.transitions.recordTransition(record, event);
    }
    await store.transitions.recordTransition(refusedRecord({ agentId: 'a2', requestId: 'x' }));
    expect((await store.transitions.history('a1', 10)).map((r) => r.requestId)).toEqual(['r1', 'r2', 'r0']);
    expect((await store.transitions.history('a1', 2)).map((r) => r.requestId)).toEqual(['r1', 'r2']);
    expect(await store.transitions.history('nobody', 10)).toEqual([]);
  });

  it("finds the actor's latest applied change, skipping refusals and other actors", async () => {
    const store = open(':memory:');
    const record = async (requestId: string, actor: string, at: string, applied: boolean) => {
      const decidedAt = `2025-01-01T${at}:00Z`;
      if (applied) {
        const change = appliedChange({ agentId: 'a1', requestId, actor, decidedAt });
        await store.transitions.recordTransition(change.record, change.event);
      } else {
        await store.transitions.recordTransition(refusedRecord({ agentId: 'a1', requestId, actor, decidedAt }));
      }
    };
    await record('old', 'U1', '09:00', true);
    await record('mine', 'U1', '10:00', true);
    await record('refused-later', 'U1', '11:00', false);
    await record('someone-else', 'U2', '12:00', true);
    expect((await store.transitions.lastAppliedBy('U1'))?.requestId).toBe('mine');
    expect((await store.transitions.lastAppliedBy('U3'))?.requestId).toBeUndefined();
  });

  it('forgets records after 24 h and purges them on a later write', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const path = tempStorePath();
    const store = open(path, { now: () => now });
    const { record, event } = appliedChange({ agentId: 'a1', requestId: 'r1', actor: 'U1' });
    await store.transitions.recordTransition(record, event);
    now += 24 * HOUR - 1;
    expect(await store.transitions.findOutcome('r1')).toBeDefined();
    now += 2;
    expect(await store.transitions.findOutcome('r1')).toBeUndefined();
    expect(await store.transitions.history('a1', 10)).toEqual([]);
    expect(await store.transitions.lastAppliedBy('U1')).toBeUndefined();

    // The same request id is a new request once forgotten.
    await store.transitions.recordTransition(refusedRecord({ agentId: 'a2', requestId: 'r2' }));
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT request_id FROM transitions').all()).toEqual([{ request_id: 'r2' }]);
    raw.close();
    // The event outlives the record: delivery does not depend on it.
    expect(await store.outbox.list()).toHaveLength(1);
  });
});
