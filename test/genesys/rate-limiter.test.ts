import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/genesys/rate-limiter.js';
import { virtualClock } from '../support/clock.js';

/** Admission times of `calls` concurrent acquires, relative to the start, on a virtual clock. */
async function admissions(limit: number, windowMs: number, calls: number): Promise<number[]> {
  const clock = virtualClock();
  const started = clock.now();
  const limiter = createRateLimiter({ limit, windowMs, now: clock.now, sleep: clock.sleep });
  const admittedAt: number[] = [];
  await Promise.all(
    Array.from({ length: calls }, async () => {
      await limiter.acquire();
      admittedAt.push(clock.now() - started);
    }),
  );
  return admittedAt;
}

describe('createRateLimiter', () => {
  it('admits `limit` calls at once and holds the next until the window slides', async () => {
    expect(await admissions(3, 300, 7)).toEqual([0, 0, 0, 300, 300, 300, 600]);
  });

  it('admits in arrival order, never more than `limit` within any window, and none later than needed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 30 }),
        async (limit, windowMs, calls) => {
          const admittedAt = await admissions(limit, windowMs, calls);
          expect(admittedAt).toHaveLength(calls);
          // Call i waits exactly until call i - limit has left the window.
          admittedAt.forEach((at, i) => {
            expect(at).toBe(Math.floor(i / limit) * windowMs);
          });
        },
      ),
    );
  });

  it('rejects a non-positive limit', () => {
    expect(() => createRateLimiter({ limit: 0, windowMs: 1000 })).toThrow(/positive integer/);
  });
});
