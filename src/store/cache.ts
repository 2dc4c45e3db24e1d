import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type { CacheStore } from '../pipeline/ports.js';

/**
 * A `CacheStore` on keyv. With no adapter keyv keeps entries in memory; the SQLite store passes its own
 * adapter so cached entries survive restarts and are shared by processes on the same file.
 */
export function keyvCache(adapter?: KeyvStoreAdapter | Map<unknown, unknown>, namespace = 'cache'): CacheStore {
  const keyv = new Keyv({ store: adapter ?? new Map(), namespace });
  return {
    async get<T>(key: string) {
      return (await keyv.get<T>(key)) ?? undefined;
    },
    async set<T>(key: string, value: T, ttlMs: number) {
      await keyv.set(key, value, ttlMs);
    },
    async delete(key: string) {
      await keyv.delete(key);
    },
  };
}
