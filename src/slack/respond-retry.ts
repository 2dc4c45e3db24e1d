/**
 * `response_url` posts that fail for a passing reason (network error, 429, 5xx) are tried again briefly, so a
 * person is not left with only the "⏳" of the ack. Bounded: three tries within about a second and a half,
 * well inside the work-after-ack budget and Slack's 30-minute `response_url` lifetime.
 */
import { RespondError } from '@slack/bolt';

/** Waits between tries: after the first failure, after the second. */
export const RESPOND_RETRY_DELAYS_MS = [250, 1_000] as const;

export interface RetryOptions {
  delaysMs?: readonly number[];
  /** Injected by tests, which count waits instead of taking them. */
  sleep?: (ms: number) => Promise<void>;
}

/** Runs `post`, again after each delay while it fails for a reason that may pass; rethrows the last failure. */
export async function respondWithRetries<T>(post: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const delays = options.delaysMs ?? RESPOND_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await post();
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined || !mayPass(error)) throw error;
      await sleep(delay);
    }
  }
}

/** Bolt's RespondError carries the HTTP status; anything else (a network error) may pass too. */
function mayPass(error: unknown): boolean {
  if (!(error instanceof RespondError)) return true;
  return error.statusCode === 429 || error.statusCode >= 500;
}
