import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/genesys/rate-limiter.js';

describe('createRateLimiter', () => {
  it('admits `limit` calls at once and holds the next until the window slides', async () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 300 });
    const started = Date.now();
    const admittedAt: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, async () => {
        await limiter.acquire();
        admittedAt.push(Date.now() - started);
      }),
    );
    admittedAt.sort((a, b) => a - b);
    expect(admittedAt.slice(0, 3).every((t) => t < 100)).toBe(true);
    expect(admittedAt.slice(3, 6).every((t) => t >= 295)).toBe(true);
    expect(admittedAt[6]).toBeGreaterThanOrEqual(595);
  });

  it('never admits more than `limit` within any window', async () => {
    const limiter = createRateLimiter({ limit: 5, windowMs: 200 });
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, async () => {
        await limiter.acquire();
        times.push(Date.now());
      }),
    );
    times.sort((a, b) => a - b);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(195);
  });

  it('rejects a non-positive limit', () => {
    expect(() => createRateLimiter({ limit: 0, windowMs: 1000 })).toThrow(/positive integer/);
  });
});
