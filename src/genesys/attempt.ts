import { GenesysError, type GenesysErrorDetails } from '../pipeline/ports.js';

export type AttemptFailureKind = 'http' | 'rate_limited' | 'timeout' | 'network' | 'unauthorized';

/**
 * One failed try of one Genesys call. The retry policy decides on `retryable` and waits `retryAfterMs`
 * when Genesys said how long; after the last try it becomes a `GenesysError` (see `toGenesysError`).
 */
export class AttemptFailure extends Error {
  readonly kind: AttemptFailureKind;
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** Genesys's own `ErrorBody.message`, when it sent one. */
  readonly genesysMessage?: string;

  constructor(init: {
    kind: AttemptFailureKind;
    retryable: boolean;
    message: string;
    status?: number;
    retryAfterMs?: number;
    genesysMessage?: string;
  }) {
    super(init.message);
    this.name = 'AttemptFailure';
    this.kind = init.kind;
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.genesysMessage !== undefined) this.genesysMessage = init.genesysMessage;
  }

  /** Genesys may have acted on the request although it failed: no answer, or a server error. */
  get mayHaveApplied(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || (this.status ?? 0) >= 500;
  }
}

/** What the caller is doing, so errors can say what failed and which permission is missing. */
export interface OperationInfo {
  /** e.g. `set the presence of user 123`. */
  description: string;
  /** The Genesys permission the OAuth client's role needs for this call, named in 403 errors. */
  permission?: string;
  /** e.g. `user 123`, for not-found messages. */
  subject: string;
}

/**
 * Turns the last failure of a call (after `attempts` tries) into the port's typed error. `mayHaveApplied`
 * says whether any of the tries may have reached Genesys (see `GenesysErrorDetails`).
 */
export function toGenesysError(
  error: unknown,
  operation: OperationInfo,
  attempts: number,
  mayHaveApplied = false,
): GenesysError {
  if (error instanceof GenesysError) return error;
  const details: GenesysErrorDetails = mayHaveApplied ? { mayHaveApplied } : {};
  if (!(error instanceof AttemptFailure)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new GenesysError('unavailable', `Could not ${operation.description}: ${detail}`, true, undefined, details);
  }
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (error.kind) {
    case 'timeout':
    case 'network':
      return new GenesysError(
        error.kind === 'timeout' ? 'timeout' : 'unavailable',
        `Could not ${operation.description}: ${error.message} ${tries}`,
        true,
        undefined,
        details,
      );
    case 'rate_limited':
      return new GenesysError(
        'rate_limited',
        `Could not ${operation.description}: Genesys rate limit still exceeded ${tries}`,
        true,
        429,
        error.retryAfterMs === undefined ? details : { ...details, retryAfterMs: error.retryAfterMs },
      );
    case 'unauthorized':
      return new GenesysError(
        'unauthorized',
        `Could not ${operation.description}: ${error.message}`,
        false,
        401,
        details,
      );
    case 'http':
      return httpError(error, operation, tries, details);
  }
}

function httpError(
  error: AttemptFailure,
  operation: OperationInfo,
  tries: string,
  details: GenesysErrorDetails,
): GenesysError {
  const status = error.status ?? 0;
  if (status >= 500) {
    return new GenesysError(
      'unavailable',
      `Could not ${operation.description}: Genesys answered ${status} ${tries}`,
      true,
      status,
      details,
    );
  }
  if (status === 404) {
    return new GenesysError('not_found', `Genesys does not know ${operation.subject}`, false, status, details);
  }
  if (status === 403) {
    return new GenesysError(
      'forbidden',
      `Genesys refused to ${operation.description}: the OAuth client's role lacks the permission ${operation.permission ?? 'this call needs'}`,
      false,
      status,
      details,
    );
  }
  return new GenesysError(
    'bad_request',
    error.genesysMessage ?? `Genesys rejected the request to ${operation.description} (HTTP ${status})`,
    false,
    status,
    details,
  );
}
