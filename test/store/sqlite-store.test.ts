import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSqliteStore, sqlitePathFromStoreUrl } from '../../src/store/sqlite.js';
import { Database } from '../../src/store/sqlite-driver.js';
import { appliedChange, tempStorePath } from './fixtures/records.js';
import { storeOpener } from './fixtures/stores.js';

const open = storeOpener();

describe('openSqliteStore', () => {
  it('creates the parent directory and the file in WAL mode at the current schema version', async () => {
    const path = tempStorePath();
    const store = open(path);
    await store.ping();
    expect(existsSync(path)).toBe(true);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(4);
    raw.close();
  });

  it('keeps data across reopen and is shared with another connection on the same file', async () => {
    const path = tempStorePath();
    const first = open(path);
    const second = open(path);
    const { record, event } = appliedChange({ agentId: 'a1', requestId: 'r1' });
    await first.transitions.recordTransition(record, event);
    expect(await second.transitions.findOutcome('r1')).toEqual(record);
    await first.close();
    await second.close();
    const reopened = open(path);
    expect((await reopened.outbox.list()).map((e) => e.eventId)).toEqual(['evt-r1']);
  });

  it('works in memory', async () => {
    const store = open(':memory:');
    const { record, event } = appliedChange({ agentId: 'a1', requestId: 'r1' });
    await store.transitions.recordTransition(record, event);
    expect((await store.outbox.counts()).pending).toBe(1);
  });

  it('refuses a file written by a newer schema instead of guessing', () => {
    const path = tempStorePath();
    open(path);
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openSqliteStore(path)).toThrow(/schema version 99 is newer/);
  });

  it('fails without creating anything when the file must exist', () => {
    const path = tempStorePath();
    expect(() => openSqliteStore(path, { fileMustExist: true })).toThrow();
    expect(existsSync(path)).toBe(false);
  });

  it('ping rejects once closed', async () => {
    const store = open(':memory:');
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});

describe('sqlitePathFromStoreUrl', () => {
  it.each([
    ['sqlite:./data/agent-status.db', './data/agent-status.db'],
    ['sqlite:/var/lib/x.db', '/var/lib/x.db'],
    ['sqlite::memory:', ':memory:'],
    ['redis://localhost:6379', undefined],
    ['sqlite:', undefined],
  ])('%s → %s', (url, path) => {
    expect(sqlitePathFromStoreUrl(url)).toBe(path);
  });
});
