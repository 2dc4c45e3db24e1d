import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { Lock, LockStore } from '../pipeline/ports.js';

/** The lock could not be had within the wait; the message is fit to show the person who asked. */
export class LockBusyError extends Error {
  constructor(readonly key: string) {
    const agent = /^agent:(.+)$/.exec(key)?.[1];
    super(
      agent
        ? `agent ${agent} is being changed by another request; try again`
        : `${key} is held by another request; try again`,
    );
    this.name = 'LockBusyError';
  }
}

const FIRST_BACKOFF_MS = 2;
const MAX_BACKOFF_MS = 20;

/**
 * Expiring locks in a table, so they hold across every process that opens the same file. A row names its
 * owner (a random token) and expiry; taking a lock is one upsert that succeeds only when the row is absent
 * or expired, which SQLite's write lock makes atomic between processes.
 */
export function sqliteLockStore(db: Database.Database, now: () => number): LockStore {
  const take = db.prepare<{ key: string; owner: string; expires: number; now: number }>(
    `INSERT INTO locks (key, owner, expires_ms) VALUES (@key, @owner, @expires)
     ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_ms = excluded.expires_ms
     WHERE locks.expires_ms <= @now`,
  );
  const release = db.prepare<[string, string]>('DELETE FROM locks WHERE key = ? AND owner = ?');
  // A row that still names us was never taken by anyone else (taking it rewrites the owner), even if it
  // expired meanwhile: so renewing it is safe, and failing to is the proof that we lost it.
  const renew = db.prepare<{ key: string; owner: string; expires: number }>(
    'UPDATE locks SET expires_ms = @expires WHERE key = @key AND owner = @owner',
  );

  return {
    async acquire(key, ttlMs, waitMs) {
      const owner = randomUUID();
      const deadline = now() + waitMs;
      let backoff = FIRST_BACKOFF_MS;
      for (;;) {
        const at = now();
        if (take.run({ key, owner, expires: at + ttlMs, now: at }).changes > 0) return heldLock(key, owner);
        const left = deadline - now();
        if (left <= 0) throw new LockBusyError(key);
        // Jittered so that waiters in several processes do not poll in lock-step.
        await sleep(Math.min(left, backoff * (0.5 + Math.random())));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    },
  };

  function heldLock(key: string, owner: string): Lock {
    return {
      async renew(ttlMs) {
        return renew.run({ key, owner, expires: now() + ttlMs }).changes > 0;
      },
      // Deletes only our own row: after expiry the lock may already belong to someone else.
      async release() {
        release.run(key, owner);
      },
    };
  }
}
