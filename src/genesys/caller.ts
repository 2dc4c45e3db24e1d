import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { GenesysError, type WriteBudget } from '../pipeline/ports.js';
import { AttemptFailure, type OperationInfo, toGenesysError } from './attempt.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SdkClients } from './sdk.js';
import { retryAfterMs, type TokenCache } from './token-cache.js';

/** Runs one SDK call with token, rate limit, timeout, retries and response validation around it. */
export interface GenesysCaller {
  /**
   * `invoke` starts the SDK call; it runs synchronously right after the access token is set on the
   * SDK client, so concurrent calls never pick up each other's token.
   */
  call<T>(
    operation: OperationInfo,
    schema: z.ZodType<T>,
    invoke: () => Promise<unknown>,
    budget?: WriteBudget,
  ): Promise<T>;
  /** Resolves when a token can be had now (readiness); rejects with the token error. */
  ensureToken(): Promise<void>;
}

export interface CallerOptions {
  sdk: SdkClients;
  tokens: TokenCache;
  limiter: RateLimiter;
  logger: Logger;
  maxAttempts: number;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Waits between tries. */
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds, for what a write's budget has left. */
  now: () => number;
}

interface HttpOutcome {
  status: number;
  headers: unknown;
  body: unknown;
}

/** Genesys asks for at most a minute; a longer `Retry-After` would outlive any Slack interaction anyway. */
const MAX_RETRY_AFTER_MS = 60_000;

export function createGenesysCaller(options: CallerOptions): GenesysCaller {
  const { sdk, tokens, limiter, logger } = options;
  const perRequestTimeout = timeout(options.requestTimeoutMs, TimeoutStrategy.Aggressive);

  async function send(invoke: () => Promise<unknown>, token: string): Promise<HttpOutcome> {
    let raw: unknown;
    try {
      raw = await perRequestTimeout.execute(() => {
        sdk.apiClient.setAccessToken(token);
        return invoke();
      });
    } catch (rejection) {
      const answered = asHttpOutcome(rejection);
      if (answered !== undefined) return answered;
      throw transportFailure(rejection, options.requestTimeoutMs);
    }
    const answered = asHttpOutcome(raw);
    if (answered === undefined) {
      throw new GenesysError('unavailable', 'the Genesys SDK returned no HTTP response', false);
    }
    return answered;
  }

  async function attempt(operation: OperationInfo, invoke: () => Promise<unknown>): Promise<unknown> {
    await limiter.acquire();
    const token = await tokens.get();
    let outcome = await send(invoke, token);
    if (outcome.status === 401) {
      // Revoked or expired early: one fresh token, one more try; a second 401 is not a token problem.
      tokens.invalidate(token);
      logger.info({ operation: operation.description }, 'genesys refused the access token; fetching a new one');
      const fresh = await tokens.get();
      await limiter.acquire();
      outcome = await send(invoke, fresh);
      if (outcome.status === 401) {
        throw new AttemptFailure({
          kind: 'unauthorized',
          retryable: false,
          status: 401,
          message: 'Genesys refused a freshly issued access token',
        });
      }
    }
    if (outcome.status >= 200 && outcome.status < 300) return outcome.body;
    throw statusFailure(outcome);
  }

  function backoffDelay(attemptNumber: number, failure: AttemptFailure): number {
    const jitter = Math.random() * options.retryBaseDelayMs;
    if (failure.retryAfterMs !== undefined) {
      return Math.min(failure.retryAfterMs, MAX_RETRY_AFTER_MS) + jitter;
    }
    const ceiling = Math.min(options.retryMaxDelayMs, options.retryBaseDelayMs * 2 ** (attemptNumber - 1));
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  /**
   * Retries retryable failures; `maxAttempts` counts every try, the first included. With a `budget` no retry
   * is made that could still be running when the budget ends: the write would otherwise land after the locks
   * that made it safe have expired.
   */
  async function withRetries<T>(operation: OperationInfo, fn: () => Promise<T>, budget?: WriteBudget): Promise<T> {
    const started = options.now();
    let mayHaveApplied = false;
    for (let attempts = 1; ; attempts++) {
      try {
        return await fn();
      } catch (error) {
        if (error instanceof AttemptFailure) mayHaveApplied ||= error.mayHaveApplied;
        if (!(error instanceof AttemptFailure && error.retryable) || attempts >= options.maxAttempts) {
          throw toGenesysError(error, operation, attempts, mayHaveApplied);
        }
        const delayMs = backoffDelay(attempts, error);
        const context = { operation: operation.description, attempt: attempts, kind: error.kind, status: error.status };
        if (budget && options.now() - started + delayMs + options.requestTimeoutMs > budget.withinMs) {
          logger.warn(
            { ...context, delayMs: Math.round(delayMs) },
            'genesys call failed; a retry would outlast its budget',
          );
          throw toGenesysError(error, operation, attempts, mayHaveApplied);
        }
        logger.warn(context, 'genesys call failed; retrying');
        await options.sleep(delayMs);
      }
    }
  }

  return {
    async call(operation, schema, invoke, budget) {
      if (budget && budget.withinMs < options.requestTimeoutMs) {
        // Not even one attempt would be over in time: not sending it is the only way to know it had no effect.
        throw new GenesysError(
          'timeout',
          `Could not ${operation.description}: no time left to wait for Genesys (${Math.round(budget.withinMs)} ms)`,
          true,
        );
      }
      const body = await withRetries(operation, () => attempt(operation, invoke), budget);
      const parsed = schema.safeParse(body);
      if (parsed.success) return parsed.data;
      const where = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ');
      throw new GenesysError(
        'unavailable',
        `Could not ${operation.description}: Genesys answered with an unexpected shape (${where})`,
        false,
      );
    },
    async ensureToken() {
      await withRetries({ description: 'obtain a Genesys access token', subject: 'the OAuth client' }, () =>
        tokens.get(),
      );
    },
  };
}

/** The SDK's extended response (`setReturnExtendedResponses(true)`), for answers and HTTP errors alike. */
function asHttpOutcome(value: unknown): HttpOutcome | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const status: unknown = Reflect.get(value, 'status');
  if (typeof status !== 'number' || !('body' in value)) return undefined;
  return { status, headers: Reflect.get(value, 'headers'), body: Reflect.get(value, 'body') };
}

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value: unknown = Reflect.get(headers, name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function genesysMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message: unknown = Reflect.get(body, 'message');
  return typeof message === 'string' && message !== '' ? message : undefined;
}

function statusFailure(outcome: HttpOutcome): AttemptFailure {
  const message = genesysMessage(outcome.body);
  const common = {
    status: outcome.status,
    message: `Genesys answered ${outcome.status}${message === undefined ? '' : `: ${message}`}`,
    ...(message === undefined ? {} : { genesysMessage: message }),
  };
  if (outcome.status === 429) {
    const wait =
      retryAfterMs(header(outcome.headers, 'retry-after')) ??
      retryAfterMs(header(outcome.headers, 'inin-ratelimit-reset'));
    return new AttemptFailure({
      ...common,
      kind: 'rate_limited',
      retryable: true,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    });
  }
  return new AttemptFailure({ ...common, kind: 'http', retryable: outcome.status >= 500 });
}

/** No HTTP answer: our deadline, the HTTP client's deadline, or the connection failed. */
function transportFailure(rejection: unknown, requestTimeoutMs: number): AttemptFailure | GenesysError {
  if (rejection instanceof GenesysError || rejection instanceof AttemptFailure) return rejection;
  const code = typeof rejection === 'object' && rejection !== null ? Reflect.get(rejection, 'code') : undefined;
  if (rejection instanceof TaskCancelledError || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new AttemptFailure({
      kind: 'timeout',
      retryable: true,
      message: `Genesys did not answer within ${requestTimeoutMs} ms`,
    });
  }
  if (typeof rejection === 'string') {
    // The SDK throws plain strings for missing required parameters: a bug on our side, not Genesys's.
    return new GenesysError('bad_request', rejection, false);
  }
  return new AttemptFailure({
    kind: 'network',
    retryable: true,
    message: `Genesys could not be reached (${typeof code === 'string' ? code : 'connection failed'})`,
  });
}
