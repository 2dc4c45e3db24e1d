import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { PresenceMirrorStore } from '../pipeline/live-presence.js';
import type { CacheStore, LockStore, OutboxStore, Store, TransitionStore } from '../pipeline/ports.js';
import { keyvCache } from './cache.js';
import { sqliteKeyvAdapter } from './sqlite-cache.js';
import { Database } from './sqlite-driver.js';
import { sqliteLockStore } from './sqlite-locks.js';
import { sqlitePresenceMirror } from './sqlite-mirror.js';
import { sqliteOutboxStore } from './sqlite-outbox.js';
import { sqliteTransitionStore } from './sqlite-transitions.js';

export interface SqliteStoreOptions {
  /** How long transition records answer `findOutcome`, `history` and `lastAppliedBy` (default 24 h). */
  recordTtlMs?: number;
  /** How long delivered, acknowledged and rejected outbox entries are kept (default 30 days). */
  outboxRetentionMs?: number;
  /** How long a statement waits for another process's write before failing (default 5 s). */
  busyTimeoutMs?: number;
  /** Fail instead of creating an empty store (the payroll CLI must not invent one from a typo). */
  fileMustExist?: boolean;
  /** Milliseconds since the epoch; tests move it to age records. */
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Schema versions, applied in order and counted in `PRAGMA user_version`. Append only: a released
 * migration never changes, so every file can be brought forward from whatever version it is at.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE transitions (
    request_id TEXT PRIMARY KEY,
    actor_slack_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    outcome_kind TEXT NOT NULL,
    decided_ms INTEGER NOT NULL,
    recorded_ms INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX transitions_by_agent ON transitions (agent_id, decided_ms);
  CREATE INDEX transitions_by_actor ON transitions (actor_slack_id, outcome_kind, decided_ms);
  CREATE INDEX transitions_by_age ON transitions (recorded_ms);

  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    webhook_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    event TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead', 'acknowledged', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    delivered_ms INTEGER,
    last_error TEXT
  );
  CREATE INDEX outbox_by_agent ON outbox (state, agent_id, seq);
  CREATE INDEX outbox_by_age ON outbox (state, updated_ms);

  CREATE TABLE locks (
    key TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
  );

  CREATE TABLE cache (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_ms INTEGER
  );
  CREATE INDEX cache_by_expiry ON cache (expires_ms);
  `,
  `
  CREATE TABLE intents (
    request_id TEXT PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    intent TEXT NOT NULL
  );
  `,
  // One payroll event per request, enforced by the store. Rows queued before this version keep a NULL
  // request id (not backfilled: older versions could queue a second event for one request, and the index
  // must not fail on them).
  `
  ALTER TABLE outbox ADD COLUMN request_id TEXT;
  CREATE UNIQUE INDEX outbox_one_event_per_request ON outbox (request_id);
  `,
  `
  CREATE TABLE presence_mirror (
    agent_id TEXT PRIMARY KEY,
    presence_id TEXT,
    system_presence TEXT,
    message TEXT,
    modified_date TEXT,
    routing_status TEXT,
    routing_changed_at TEXT,
    source TEXT NOT NULL,
    observed_at TEXT NOT NULL
  );
  `,
];

/** The embedded store: one SQLite file (WAL) that the app, the payroll CLI and tests can open together. */
export class SqliteStore implements Store {
  readonly transitions: TransitionStore;
  readonly locks: LockStore;
  readonly outbox: OutboxStore;
  readonly cache: CacheStore;
  readonly mirror: PresenceMirrorStore;

  constructor(
    private readonly db: BetterSqlite3.Database,
    options: SqliteStoreOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.outbox = sqliteOutboxStore(db, now, options.outboxRetentionMs ?? 30 * DAY_MS);
    this.transitions = sqliteTransitionStore(db, now, options.recordTtlMs ?? DAY_MS);
    this.locks = sqliteLockStore(db, now);
    this.cache = keyvCache(sqliteKeyvAdapter(db, now));
    this.mirror = sqlitePresenceMirror(db);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * Opens (creating it and its directory if needed) the SQLite file at `path`, or an in-memory database for
 * `:memory:`, and brings its schema up to date.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const memory = path === ':memory:';
  if (!memory && !options.fileMustExist) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, {
    fileMustExist: options.fileMustExist === true,
    timeout: options.busyTimeoutMs ?? 5000,
  });
  try {
    if (!memory) db.pragma('journal_mode = WAL');
    // FULL: an applied change and its payroll event must survive a power cut, not only a process crash.
    db.pragma('synchronous = FULL');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStore(db, options);
}

/** `sqlite:<path>` (STORE_URL) → `<path>`; `sqlite::memory:` → `:memory:`. Undefined for any other scheme. */
export function sqlitePathFromStoreUrl(url: string): string | undefined {
  const match = /^sqlite:(.+)$/.exec(url);
  return match?.[1];
}

function migrate(db: BetterSqlite3.Database): void {
  // IMMEDIATE: two processes opening a new file at once must not both run the same migration.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true });
    if (typeof version !== 'number' || version > MIGRATIONS.length) {
      throw new Error(
        `store schema version ${String(version)} is newer than this program knows (${MIGRATIONS.length})`,
      );
    }
    for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
