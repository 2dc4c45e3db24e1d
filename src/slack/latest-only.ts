/**
 * Sends only the latest of a stream of values, at most once per interval: a progress message edited in place stays
 * under Slack's per-channel rate (about one message a second) however fast the work reports progress.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface LatestOnly<T> {
  /** Replaces whatever was waiting to be sent. */
  push(value: T): void;
  /** Sends `value` last (still respecting the interval) and resolves once everything is sent. */
  finish(value: T): Promise<void>;
}

/** Time as the throttle sees it; tests pass one they control. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => performance.now(), sleep: (ms) => delay(ms) };

/** `send` must not throw: it is the caller's job to log a failed send. */
export function latestOnly<T>(
  send: (value: T) => Promise<void>,
  intervalMs: number,
  clock: Clock = systemClock,
): LatestOnly<T> {
  let latest: T | undefined;
  let dirty = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;

  async function loop(): Promise<void> {
    try {
      while (dirty) {
        const wait = lastStart + intervalMs - clock.now();
        if (wait > 0) await clock.sleep(wait);
        dirty = false;
        lastStart = clock.now();
        await send(latest as T);
      }
    } finally {
      // Synchronous after the last check of `dirty`: a push arriving now starts a new loop.
      running = undefined;
    }
  }

  function push(value: T): void {
    latest = value;
    dirty = true;
    running ??= loop();
  }

  return {
    push,
    async finish(value) {
      push(value);
      while (running) await running;
    },
  };
}
