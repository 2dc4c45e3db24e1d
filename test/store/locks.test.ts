import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockBusyError } from '../../src/store/sqlite-locks.js';
import { virtualClock } from '../support/clock.js';
import { spawnScript } from '../support/process.js';
import { tempStorePath } from './fixtures/records.js';
import { storeOpener } from './fixtures/stores.js';

const open = storeOpener();

function contender(path: string, ...args: string[]) {
  const spawned = spawnScript('test/store/fixtures/lock-contender.ts', [path, ...args], { stdin: 'pipe' });
  const said = (text: string) => spawned.waitForOutput((out) => out.includes(text) || undefined, `"${text}"`);
  return { ...spawned, said };
}

describe('SQLite locks', () => {
  it('gives a free lock at once and refuses a held one after the wait, with a message for people', async () => {
    // A clock that moves 5 ms each time it is read: the waiter's polls, not the wall clock, use up its wait.
    let time = 0;
    const store = open(':memory:', { now: () => (time += 5) });
    const lock = await store.locks.acquire('agent:a1', 10_000, 0);
    const started = time;
    const attempt = store.locks.acquire('agent:a1', 10_000, 100);
    await expect(attempt).rejects.toBeInstanceOf(LockBusyError);
    await expect(attempt).rejects.toThrow('agent a1 is being changed by another request; try again');
    expect(time - started).toBeGreaterThanOrEqual(100);
    // Other keys are independent.
    await (await store.locks.acquire('agent:a2', 10_000, 0)).release();
    await lock.release();
    await (await store.locks.acquire('agent:a1', 10_000, 0)).release();
  });

  it('hands the lock to a waiter as soon as it is released', async () => {
    // Time stands still: the waiter's deadline never comes, so only the release can let it in.
    const store = open(':memory:', { now: () => 0 });
    const lock = await store.locks.acquire('agent:a1', 10_000, 0);
    const waiter = store.locks.acquire('agent:a1', 10_000, 5_000);
    await lock.release();
    await (await waiter).release();
  });

  it('lets an expired lock be taken, and a late release of it does not free the new holder', async () => {
    const clock = virtualClock();
    const store = open(':memory:', { now: clock.now });
    const stale = await store.locks.acquire('agent:a1', 50, 0);
    await expect(store.locks.acquire('agent:a1', 10_000, 0)).rejects.toBeInstanceOf(LockBusyError);
    clock.advance(50);
    const fresh = await store.locks.acquire('agent:a1', 10_000, 0);
    await stale.release();
    await expect(store.locks.acquire('agent:a1', 10_000, 0)).rejects.toBeInstanceOf(LockBusyError);
    await fresh.release();
    await fresh.release(); // twice is harmless
    await (await store.locks.acquire('agent:a1', 10_000, 0)).release();
  });

  it('never lets two processes hold the same lock at once', async () => {
    const path = tempStorePath();
    open(path);
    const marker = join(dirname(path), 'inside');
    const rounds = 40;
    const contenders = [contender(path, marker, String(rounds)), contender(path, marker, String(rounds))];
    // Both start together, so they really contend rather than run one after the other.
    await Promise.all(contenders.map((c) => c.said('ready')));
    for (const c of contenders) c.child.stdin!.write('go\n');
    const codes = await Promise.all(contenders.map((c) => c.exited));
    expect(contenders.map((c) => c.stderr())).toEqual(['', '']);
    expect(codes).toEqual([0, 0]);
    expect(contenders.map((c) => c.stdout().trim())).toEqual([`ready\n${rounds}`, `ready\n${rounds}`]);
    const holders = readFileSync(`${marker}.log`, 'utf8').trim().split('\n');
    expect(holders).toHaveLength(2 * rounds);
    const handovers = holders.filter((pid, i) => i > 0 && pid !== holders[i - 1]).length;
    expect(handovers).toBeGreaterThan(1);
  });

  it('frees the lock of a killed process once its ttl has passed', async () => {
    const path = tempStorePath();
    // This side's clock stands at the start until the test moves it; the holder takes its lock for 60 s of real time.
    const clock = virtualClock(Date.now());
    const store = open(path, { now: clock.now });
    const holder = contender(path, 'unused', '1', 'hold-and-wait');
    await holder.said('holding');
    holder.child.kill('SIGKILL');
    await holder.exited;
    await expect(store.locks.acquire('agent:crashy', 10_000, 0)).rejects.toBeInstanceOf(LockBusyError);
    clock.advance(Date.now() + 60_000 - clock.now());
    await (await store.locks.acquire('agent:crashy', 10_000, 0)).release();
  });
});
