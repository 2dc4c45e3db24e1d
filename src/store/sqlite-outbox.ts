import type Database from 'better-sqlite3';
import type { PayrollEvent } from '../domain/payroll-event.js';
import type { OutboxEntry, OutboxStore } from '../pipeline/ports.js';

type State = OutboxEntry['state'];
const STATES: readonly State[] = ['pending', 'delivered', 'dead', 'acknowledged', 'rejected'];

interface OutboxRow {
  event_id: string;
  webhook_id: string;
  agent_id: string;
  event: string;
  state: State;
  attempts: number;
  next_attempt_ms: number;
  created_ms: number;
  delivered_ms: number | null;
  last_error: string | null;
}

/** The `webhook-id` of an event: fixed when it is queued, so every attempt and replay carries the same one. */
export function webhookIdFor(eventId: string): string {
  return `msg_${eventId}`;
}

/**
 * Queues a payroll event, due at once; true when it was queued. Called inside the transition store's transaction
 * so the event and the change it reports are written together or not at all. There a second event with the same
 * id, or for the same request, fails the transaction (UNIQUE), which is the point: an event stands for exactly one
 * change. With `onDuplicate: 'skip'` (events of changes seen in Genesys, whose id derives from the change itself)
 * an event already queued is left alone, so a replayed notification queues nothing.
 */
export function enqueuePayrollEvent(
  db: Database.Database,
  now: () => number,
  onDuplicate: 'fail' | 'skip' = 'fail',
): (event: PayrollEvent) => boolean {
  const insert = db.prepare<[string, string, string, string, string, number, number, number]>(
    `INSERT ${onDuplicate === 'skip' ? 'OR IGNORE ' : ''}INTO outbox
       (event_id, webhook_id, agent_id, request_id, event, state, attempts, next_attempt_ms, created_ms, updated_ms)
     VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
  );
  return (event) => {
    const at = now();
    const { changes } = insert.run(
      event.data.eventId,
      webhookIdFor(event.data.eventId),
      event.data.agentId,
      event.data.requestId,
      JSON.stringify(event),
      at,
      at,
      at,
    );
    return changes > 0;
  };
}

/**
 * The payroll outbox. Order is per agent: an agent's entry is never due while an older entry of the same
 * agent is still pending (waiting for a retry included), so event n+1 cannot overtake event n.
 */
export function sqliteOutboxStore(db: Database.Database, now: () => number, retentionMs: number): OutboxStore {
  const due = db.prepare<[number, number], OutboxRow>(
    `SELECT * FROM outbox o
     WHERE o.state = 'pending' AND o.next_attempt_ms <= ?
       AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.state = 'pending' AND p.agent_id = o.agent_id AND p.seq < o.seq)
     ORDER BY o.seq LIMIT ?`,
  );
  // Each mark records one attempt. Only a pending entry moves: an acknowledgement can arrive before the
  // delivering request has even returned, and must not be overwritten by it.
  const delivered = db.prepare<{ id: string; at: number; now: number }>(
    `UPDATE outbox SET attempts = attempts + 1, delivered_ms = @at, updated_ms = @now,
       last_error = CASE state WHEN 'pending' THEN NULL ELSE last_error END,
       state = CASE state WHEN 'pending' THEN 'delivered' ELSE state END
     WHERE event_id = @id`,
  );
  const retry = db.prepare<{ id: string; next: number; error: string; now: number }>(
    `UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = @next, last_error = @error, updated_ms = @now
     WHERE event_id = @id AND state = 'pending'`,
  );
  const dead = db.prepare<{ id: string; error: string; now: number }>(
    `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = @error, updated_ms = @now
     WHERE event_id = @id AND state = 'pending'`,
  );
  // Acknowledgement states only move forward: pending, delivered or dead → acknowledged | rejected, which are
  // final. A receiver that answers twice (or a forged-but-signed later answer) cannot flip the first answer.
  const acknowledge = db.prepare<{ id: string; state: State; error: string | null; now: number }>(
    `UPDATE outbox SET state = @state, last_error = @error, updated_ms = @now
     WHERE event_id = @id AND state IN ('pending', 'delivered', 'dead')`,
  );
  const stateOf = db.prepare<[string], { state: State }>('SELECT state FROM outbox WHERE event_id = ?');
  const replayOne = db.prepare<{ id: string; now: number }>(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = @now, updated_ms = @now,
       delivered_ms = NULL, last_error = NULL
     WHERE event_id = @id AND state IN ('dead', 'delivered', 'rejected')`,
  );
  const replayDead = db.prepare<{ now: number }>(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = @now, updated_ms = @now, last_error = NULL
     WHERE state = 'dead'`,
  );
  const listAll = db.prepare<[], OutboxRow>('SELECT * FROM outbox ORDER BY seq');
  const listState = db.prepare<[State], OutboxRow>('SELECT * FROM outbox WHERE state = ? ORDER BY seq');
  const counts = db.prepare<[], { state: State; n: number }>('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state');
  const purge = db.prepare<[number]>(
    `DELETE FROM outbox WHERE state IN ('delivered', 'acknowledged', 'rejected') AND updated_ms < ?`,
  );

  const enqueueSeen = enqueuePayrollEvent(db, now, 'skip');
  return {
    async enqueue(event) {
      return enqueueSeen(event);
    },
    async due(at, limit) {
      return due.all(at.getTime(), limit).map(toEntry);
    },
    async markDelivered(eventId, at) {
      const current = now();
      db.transaction(() => {
        // Finished entries age out as new ones are delivered, which keeps the table bounded without a timer.
        purge.run(current - retentionMs);
        delivered.run({ id: eventId, at: at.getTime(), now: current });
      })();
    },
    async markRetry(eventId, nextAttemptAt, error) {
      retry.run({ id: eventId, next: nextAttemptAt.getTime(), error, now: now() });
    },
    async markDead(eventId, error) {
      dead.run({ id: eventId, error, now: now() });
    },
    async acknowledge(eventId, status, message) {
      const state = status === 'processed' ? 'acknowledged' : 'rejected';
      const error = status === 'rejected' ? `rejected by receiver${message ? `: ${message}` : ''}` : null;
      if (acknowledge.run({ id: eventId, state, error, now: now() }).changes > 0) return 'ok';
      const current = stateOf.get(eventId)?.state;
      if (current === undefined) return 'unknown';
      return current === state ? 'ok' : 'settled';
    },
    async replay(eventId) {
      return replayOne.run({ id: eventId, now: now() }).changes > 0;
    },
    async replayAllDead() {
      return replayDead.run({ now: now() }).changes;
    },
    async list(filter) {
      return (filter?.state ? listState.all(filter.state) : listAll.all()).map(toEntry);
    },
    async counts() {
      const result = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<State, number>;
      for (const row of counts.all()) result[row.state] = row.n;
      return result;
    },
  };
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    eventId: row.event_id,
    webhookId: row.webhook_id,
    agentId: row.agent_id,
    // Written by enqueuePayrollEvent from a PayrollEvent, so the shape is known.
    event: JSON.parse(row.event) as PayrollEvent,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_ms).toISOString(),
    createdAt: new Date(row.created_ms).toISOString(),
    ...(row.last_error !== null && { lastError: row.last_error }),
    ...(row.delivered_ms !== null && { deliveredAt: new Date(row.delivered_ms).toISOString() }),
  };
}
