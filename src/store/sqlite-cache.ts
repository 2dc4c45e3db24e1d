import type Database from 'better-sqlite3';
import type { KeyvStoreAdapter } from 'keyv';

/**
 * A keyv storage adapter over the `cache` table. Keyv serialises values (with their expiry) to strings;
 * the row's own `expires_ms` lets expired rows be skipped and purged without parsing them.
 */
export function sqliteKeyvAdapter(db: Database.Database, now: () => number): KeyvStoreAdapter {
  const get = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM cache WHERE key = ? AND (expires_ms IS NULL OR expires_ms > ?)',
  );
  const set = db.prepare<[string, string, number | null]>(
    `INSERT INTO cache (key, value, expires_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms`,
  );
  const purge = db.prepare<[number]>('DELETE FROM cache WHERE expires_ms <= ?');
  const remove = db.prepare<[string]>('DELETE FROM cache WHERE key = ?');
  const clearPrefix = db.prepare<[number, string]>('DELETE FROM cache WHERE substr(key, 1, ?) = ?');
  const clearAll = db.prepare('DELETE FROM cache');

  const adapter: KeyvStoreAdapter = {
    opts: {},
    namespace: undefined,
    on() {
      return adapter;
    },
    async get<Value>(key: string) {
      // Keyv deserialises the string it stored.
      return get.get(key, now())?.value as Value | undefined;
    },
    async set(key: string, value: unknown, ttl?: number) {
      if (typeof value !== 'string') throw new TypeError('the SQLite cache stores keyv-serialised strings only');
      const at = now();
      purge.run(at);
      set.run(key, value, typeof ttl === 'number' && ttl > 0 ? at + ttl : null);
    },
    async delete(key: string) {
      return remove.run(key).changes > 0;
    },
    async clear() {
      // Keyv sets `namespace` on its adapter; clear only that namespace's keys (`<namespace>:<key>`).
      const prefix = adapter.namespace ? `${adapter.namespace}:` : '';
      if (prefix) clearPrefix.run(prefix.length, prefix);
      else clearAll.run();
    },
  };
  return adapter;
}
