import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { keyvCache } from '../../src/store/cache.js';
import { sqliteKeyvAdapter } from '../../src/store/sqlite-cache.js';
import { Database } from '../../src/store/sqlite-driver.js';
import { virtualClock } from '../support/clock.js';
import { tempStorePath } from './fixtures/records.js';
import { storeOpener } from './fixtures/stores.js';

const open = storeOpener();

describe('SQLite cache (keyv)', () => {
  it.each<[string, unknown]>([
    ['an object', { id: 'u1', email: 'a@example.com', teams: ['billing'] }],
    ['a string', 'hello'],
    ['a number', 42],
    ['false', false],
    ['an empty list', []],
  ])('keeps %s', async (_, value) => {
    const store = open();
    await store.cache.set('k', value, 60_000);
    expect(await store.cache.get('k')).toEqual(value);
  });

  it('forgets an entry after its ttl, and on delete', async () => {
    const clock = virtualClock();
    const store = open(':memory:', { now: clock.now });
    await store.cache.set('short', 1, 60_000);
    await store.cache.set('long', 2, 120_000);
    clock.advance(59_999);
    expect(await store.cache.get('short')).toBe(1);
    clock.advance(1);
    expect(await store.cache.get('short')).toBeUndefined();
    expect(await store.cache.get('long')).toBe(2);
    await store.cache.delete('long');
    expect(await store.cache.get('long')).toBeUndefined();
    expect(await store.cache.get('never-set')).toBeUndefined();
  });

  it('is shared by every store on the same file and survives a reopen', async () => {
    const path = tempStorePath();
    const first = open(path);
    const second = open(path);
    await first.cache.set('user:a@example.com', { id: 'u1' }, 60_000);
    expect(await second.cache.get('user:a@example.com')).toEqual({ id: 'u1' });
    await first.close();
    await second.close();
    expect(await open(path).cache.get('user:a@example.com')).toEqual({ id: 'u1' });
  });

  it("clears only its own keyv namespace's keys", async () => {
    const path = tempStorePath();
    open(path); // creates the schema
    const db = new Database(path);
    const mine = new Keyv({ store: sqliteKeyvAdapter(db, Date.now), namespace: 'mine' });
    const other = keyvCache(sqliteKeyvAdapter(db, Date.now), 'other');
    await mine.set('a', 1);
    await other.set('a', 2, 60_000);
    await mine.clear();
    expect(await mine.get('a')).toBeUndefined();
    expect(await other.get('a')).toBe(2);
    db.close();
  });
});
