import type Database from 'better-sqlite3';
import type { PayrollEvent } from '../domain/payroll-event.js';
import type { TransitionIntent, TransitionRecord, TransitionStore } from '../pipeline/ports.js';
import { enqueuePayrollEvent } from './sqlite-outbox.js';

interface RecordRow {
  record: string;
}

/**
 * Transition records, kept `ttlMs` for idempotency, history and undo. Expired records are invisible at
 * once and deleted lazily on the next write.
 */
export function sqliteTransitionStore(db: Database.Database, now: () => number, ttlMs: number): TransitionStore {
  const findKind = db.prepare<[string, number], { outcome_kind: string }>(
    'SELECT outcome_kind FROM transitions WHERE request_id = ? AND recorded_ms >= ?',
  );
  const upsert = db.prepare<[string, string, string, string, number, number, string]>(
    `INSERT INTO transitions (request_id, actor_slack_id, agent_id, outcome_kind, decided_ms, recorded_ms, record)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (request_id) DO UPDATE SET
       actor_slack_id = excluded.actor_slack_id, agent_id = excluded.agent_id, outcome_kind = excluded.outcome_kind,
       decided_ms = excluded.decided_ms, recorded_ms = excluded.recorded_ms, record = excluded.record`,
  );
  const purge = db.prepare<[number]>('DELETE FROM transitions WHERE recorded_ms < ?');
  const byRequest = db.prepare<[string, number], RecordRow>(
    'SELECT record FROM transitions WHERE request_id = ? AND recorded_ms >= ?',
  );
  const byAgent = db.prepare<[string, number, number], RecordRow>(
    `SELECT record FROM transitions WHERE agent_id = ? AND recorded_ms >= ?
     ORDER BY decided_ms DESC, rowid DESC LIMIT ?`,
  );
  const lastApplied = db.prepare<[string, number], RecordRow>(
    `SELECT record FROM transitions WHERE actor_slack_id = ? AND outcome_kind = 'applied' AND recorded_ms >= ?
     ORDER BY decided_ms DESC, rowid DESC LIMIT 1`,
  );
  const enqueue = enqueuePayrollEvent(db, now);
  const eventQueuedFor = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM outbox WHERE request_id = ?');
  const putIntent = db.prepare<[string, number, string]>(
    'INSERT OR REPLACE INTO intents (request_id, created_ms, intent) VALUES (?, ?, ?)',
  );
  const getIntent = db.prepare<[string], { intent: string }>('SELECT intent FROM intents WHERE request_id = ?');
  const allIntents = db.prepare<[], { intent: string }>('SELECT intent FROM intents ORDER BY created_ms, rowid');
  const deleteIntent = db.prepare<[string]>('DELETE FROM intents WHERE request_id = ?');

  const record = db.transaction((entry: TransitionRecord, event: PayrollEvent | undefined) => {
    const at = now();
    purge.run(at - ttlMs);
    // An applied record is final: its event is already queued, and a later retry of the same request must
    // neither queue a second event nor leave the first one without its change.
    // An event already queued for the request is this change, recorded before (its record may have aged out
    // since). Settling it again only forgets the intent.
    const recorded =
      findKind.get(entry.requestId, at - ttlMs)?.outcome_kind === 'applied' ||
      (event !== undefined && eventQueuedFor.get(entry.requestId) !== undefined);
    if (recorded) {
      deleteIntent.run(entry.requestId);
      return;
    }
    upsert.run(
      entry.requestId,
      entry.actorSlackId,
      entry.agentId,
      entry.outcome.kind,
      decidedMs(entry),
      at,
      JSON.stringify(entry),
    );
    if (event) enqueue(event);
    deleteIntent.run(entry.requestId);
  });

  const cutoff = () => now() - ttlMs;
  return {
    async findOutcome(requestId) {
      return parse(byRequest.get(requestId, cutoff()));
    },
    async recordTransition(entry, event) {
      if ((entry.outcome.kind === 'applied') !== (event !== undefined)) {
        throw new Error(
          `transition ${entry.requestId}: an applied change needs exactly one payroll event, any other outcome none`,
        );
      }
      if (event && (event.data.requestId !== entry.requestId || event.data.agentId !== entry.agentId)) {
        throw new Error(`transition ${entry.requestId}: the payroll event belongs to another request or agent`);
      }
      // IMMEDIATE: the transaction reads before it writes; a deferred one could not upgrade to a write
      // lock if another process wrote in between.
      record.immediate(entry, event);
    },
    async history(agentId, limit) {
      return byAgent.all(agentId, cutoff(), limit).map((row) => parse(row)!);
    },
    async lastAppliedBy(actorSlackId) {
      return parse(lastApplied.get(actorSlackId, cutoff()));
    },
    async recordIntent(intent) {
      putIntent.run(intent.requestId, now(), JSON.stringify(intent));
    },
    async findIntent(requestId) {
      const row = getIntent.get(requestId);
      return row ? (JSON.parse(row.intent) as TransitionIntent) : undefined;
    },
    async pendingIntents(agentId) {
      // Few at any time (one per write in progress or interrupted), so filtering here costs nothing.
      const intents = allIntents.all().map((row) => JSON.parse(row.intent) as TransitionIntent);
      return agentId === undefined ? intents : intents.filter((intent) => intent.agentId === agentId);
    },
    async dropIntent(requestId) {
      deleteIntent.run(requestId);
    },
  };
}

function decidedMs(entry: TransitionRecord): number {
  const ms = Date.parse(entry.decidedAt);
  if (Number.isNaN(ms)) throw new Error(`transition ${entry.requestId}: decidedAt is not an ISO time`);
  return ms;
}

function parse(row: RecordRow | undefined): TransitionRecord | undefined {
  // Written by this module from a TransitionRecord, so the shape is known.
  return row ? (JSON.parse(row.record) as TransitionRecord) : undefined;
}
