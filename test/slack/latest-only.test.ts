import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestOnly } from '../../src/slack/latest-only.js';

/** A clock that moves only when the throttle sleeps, so the test sees exactly the times it asked for. */
function manualClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => now,
      async sleep(ms: number) {
        sleeps.push(ms);
        now += ms;
      },
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('latestOnly', () => {
  it('sends the first value at once, then only the latest, no sooner than the interval after the last send', async () => {
    const { clock, sleeps } = manualClock();
    const sent: { value: number; at: number }[] = [];
    const updates = latestOnly(
      async (value: number) => {
        sent.push({ value, at: clock.now() });
      },
      1000,
      clock,
    );
    for (let i = 1; i <= 50; i++) updates.push(i);
    await updates.finish(60);
    expect(sent).toEqual([
      { value: 1, at: 0 },
      { value: 60, at: 1000 },
    ]);
    expect(sleeps).toEqual([1000]);
  });

  it('does not wait when the interval has already passed', async () => {
    const { clock, sleeps, advance } = manualClock();
    const sent: number[] = [];
    const updates = latestOnly(
      async (value: number) => {
        sent.push(value);
      },
      1000,
      clock,
    );
    updates.push(1);
    await updates.finish(2);
    advance(5000);
    await updates.finish(3);
    expect(sent).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([1000]);
  });

  it('never sends two values less than the interval apart, whatever the pushes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.nat(3000), burst: fc.integer({ min: 1, max: 5 }) }), { maxLength: 20 }),
        async (steps) => {
          const { clock, advance } = manualClock();
          const times: number[] = [];
          let last = 0;
          const updates = latestOnly(
            async (value: number) => {
              times.push(clock.now());
              last = value;
            },
            1000,
            clock,
          );
          let value = 0;
          for (const { gap, burst } of steps) {
            advance(gap);
            for (let i = 0; i < burst; i++) updates.push(++value);
            await Promise.resolve();
          }
          await updates.finish(++value);
          for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
          expect(last).toBe(value);
        },
      ),
    );
  });
});
