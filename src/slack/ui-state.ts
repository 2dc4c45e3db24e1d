import type { CacheStore, LockStore } from '../pipeline/ports.js';
import type { SlackUiState } from './deps.js';

/** Slack's UI state kept in the app's store: values in its cache, claims as locks that are never released. */
export function storeUiState(store: { cache: CacheStore; locks: LockStore }): SlackUiState {
  return {
    get: (key) => store.cache.get<unknown>(key),
    set: (key, value, ttlMs) => store.cache.set(key, value, ttlMs),
    async claim(key, ttlMs) {
      try {
        await store.locks.acquire(key, ttlMs, 0);
        return true;
      } catch {
        return false;
      }
    },
  };
}
