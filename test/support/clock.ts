import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Virtual time for code that takes `now` and `sleep` seams. `sleep(ms)` lets everything already runnable run
 * (one event-loop turn), then moves the clock to the time the sleeper asked to wake at, and returns: a test of
 * a 60 s Retry-After or of a sliding window runs at once and can assert exact times. `slept` lists every wait
 * asked for, in order.
 */
export interface VirtualClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Moves time on without anyone sleeping (an expiry, a cache going stale). */
  advance(ms: number): void;
  slept: number[];
}

export function virtualClock(start = 1_700_000_000_000): VirtualClock {
  let time = start;
  const slept: number[] = [];
  return {
    now: () => time,
    async sleep(ms) {
      slept.push(ms);
      const wakeAt = time + Math.max(0, ms);
      await nextTurn();
      time = Math.max(time, wakeAt);
    },
    advance(ms) {
      time += ms;
    },
    slept,
  };
}
