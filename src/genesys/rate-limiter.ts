/** Admits at most `limit` calls in any sliding window of `windowMs`; callers wait in arrival order. */
export interface RateLimiter {
  acquire(): Promise<void>;
}

/**
 * Genesys counts requests per OAuth client per minute, so a sliding window (rather than a token bucket,
 * which allows twice the limit across a window boundary) keeps the client under the org's limit.
 */
export function createRateLimiter(options: { limit: number; windowMs: number }): RateLimiter {
  const { limit, windowMs } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`rate limit must be a positive integer, got ${limit}`);
  const starts: number[] = [];
  const waiting: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;

  function drain(): void {
    const now = Date.now();
    while (starts.length > 0 && starts[0]! <= now - windowMs) starts.shift();
    while (waiting.length > 0 && starts.length < limit) {
      starts.push(now);
      waiting.shift()!();
    }
    if (waiting.length > 0 && timer === undefined) {
      timer = setTimeout(
        () => {
          timer = undefined;
          drain();
        },
        starts[0]! + windowMs - now,
      );
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
