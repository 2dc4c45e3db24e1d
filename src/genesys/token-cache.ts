import type { Logger } from 'pino';
import { z } from 'zod';
import { GenesysError } from '../pipeline/ports.js';
import { AttemptFailure } from './attempt.js';

export interface TokenCache {
  /** A valid access token: the cached one, or one fetched now (one request however many callers wait). */
  get(): Promise<string>;
  /** Forgets `token` after Genesys refused it; a no-op when a newer token has replaced it already. */
  invalidate(token: string): void;
}

export interface TokenCacheOptions {
  tokenUrl: string;
  /** The environment as operators name it, for error messages. */
  label: string;
  clientId: string;
  clientSecret: string;
  /** Renew this long before `expires_in` runs out, so no call goes out with a token about to expire. */
  safetyMarginSeconds: number;
  requestTimeoutMs: number;
  logger: Logger;
  now: () => number;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
});

/**
 * Client-credentials tokens, fetched with `fetch` rather than the SDK's `loginClientCredentialsGrant`:
 * the SDK stores the token on its client as a side effect, has no single-flight (100 callers at expiry
 * would make 100 requests) and rejects with a raw HTTP error whose config holds the Basic credentials.
 * Here one promise is shared by all callers while a request is in flight, and failures are typed.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { logger, now } = options;
  let current: { value: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');

  async function requestToken(): Promise<string> {
    let response: Response;
    try {
      response = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new AttemptFailure({
        kind: timedOut ? 'timeout' : 'network',
        retryable: true,
        message: timedOut
          ? `the Genesys login service (${options.label}) did not answer within ${options.requestTimeoutMs} ms`
          : `the Genesys login service (${options.label}) could not be reached (${networkCode(error)})`,
      });
    }
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new GenesysError(
        'unauthorized',
        `Genesys rejected the OAuth client credentials for ${options.label}`,
        false,
        response.status,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AttemptFailure({
        kind: response.status === 429 ? 'rate_limited' : 'http',
        status: response.status,
        retryable: response.status === 429 || response.status >= 500,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
        message: `the Genesys login service (${options.label}) answered ${response.status}`,
      });
    }
    const parsed = tokenResponse.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new GenesysError(
        'unavailable',
        `the Genesys login service (${options.label}) answered without a usable token`,
        false,
        response.status,
      );
    }
    const { access_token: value, expires_in: expiresIn } = parsed.data;
    // A margin larger than half the lifetime (short-lived test tokens) would renew on every call.
    const margin = Math.min(options.safetyMarginSeconds, expiresIn / 2);
    current = { value, renewAt: now() + (expiresIn - margin) * 1000 };
    logger.debug({ expiresInSeconds: expiresIn, environment: options.label }, 'genesys access token obtained');
    return value;
  }

  return {
    get() {
      if (current !== undefined && now() < current.renewAt) return Promise.resolve(current.value);
      inFlight ??= requestToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      if (current?.value === token) current = undefined;
    },
  };
}

/** `Retry-After` in seconds (Genesys never sends the HTTP-date form); undefined when absent or invalid. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function networkCode(error: unknown): string {
  if (error instanceof Error) {
    const cause: unknown = error.cause;
    if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') {
      return cause.code;
    }
    return error.message;
  }
  return String(error);
}
