import { setTimeout as timer } from 'node:timers/promises';

/** Admits at most `limit` calls in any sliding window of `windowMs`; callers wait in arrival order. */
export interface RateLimiter {
  acquire(): Promise<void>;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  /** Default `Date.now`; tests pass a virtual clock together with its `sleep`. */
  now?: () => number;
  /** Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Genesys counts requests per OAuth client per minute, so a sliding window (rather than a token bucket,
 * which allows twice the limit across a window boundary) keeps the client under the org's limit.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs, now = Date.now, sleep = timer } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`rate limit must be a positive integer, got ${limit}`);
  const starts: number[] = [];
  const waiting: Array<() => void> = [];
  let wakeUpPending = false;

  function drain(): void {
    const at = now();
    while (starts.length > 0 && starts[0]! <= at - windowMs) starts.shift();
    while (waiting.length > 0 && starts.length < limit) {
      starts.push(at);
      waiting.shift()!();
    }
    if (waiting.length > 0 && !wakeUpPending) {
      wakeUpPending = true;
      void sleep(starts[0]! + windowMs - at).then(() => {
        wakeUpPending = false;
        drain();
      });
    }
  }

  return {
    acquire() {
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        drain();
      });
    },
  };
}
