/** Outcomes the pipeline words itself, rather than taking them from a policy verdict or the store. */
import { type AgentState, presenceVersion } from '../domain/presence.js';
import type { TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import type { CatalogBinding } from '../policy/binding.js';
import type { Refusal } from '../policy/verdict.js';
import { echoTyped, formatSeconds } from '../policy/wording.js';
import { GenesysError, type Log } from './ports.js';
import { snapshot } from './snapshot.js';

export function refusedOutcome(refusal: Refusal): TransitionOutcome {
  return {
    kind: 'refused',
    code: refusal.code,
    message: refusal.message,
    suggestions: refusal.suggestions,
    ...(refusal.people ? { people: refusal.people } : {}),
  };
}

/** Genesys shows another presence than the request expected: what it shows is what the user sees next. */
export function conflictOutcome(binding: CatalogBinding, current: AgentState) {
  return {
    kind: 'conflict' as const,
    current: snapshot(binding, current),
    currentVersion: presenceVersion(current),
    changedAt: current.modifiedDate,
  };
}

/** Another change of the same agent or team held a lock past the wait; nothing was read or written. */
export function locksBusyOutcome(): TransitionOutcome {
  return {
    kind: 'failed',
    retryable: true,
    message: 'Another change to this agent or team is still in progress. Try again in a few seconds.',
  };
}

/** A lock expired and was taken by another change before this one wrote; it stopped without writing. */
export function lockLostOutcome(): TransitionOutcome {
  return {
    kind: 'failed',
    retryable: true,
    message: 'Another change to this agent or team took over while this one waited. Nothing was changed; try again.',
  };
}

/** The write may have landed and Genesys cannot tell us yet: the background settling will answer. */
export function unknownOutcome(): TransitionOutcome {
  return {
    kind: 'unknown',
    message: 'Genesys did not confirm the change; checking whether Genesys applied it…',
  };
}

/** A write that recovery found never reached Genesys. */
export function notAppliedOutcome(): TransitionOutcome {
  return {
    kind: 'failed',
    retryable: true,
    message: 'Genesys did not apply the change. Nothing was changed; try again.',
  };
}

/** Words a failure for the person who asked; the details go to the log. */
export function failureOutcome(error: unknown, logger: Log, request: TransitionRequest): TransitionOutcome {
  logger.error({ err: error, requestId: request.requestId }, 'status change failed');
  if (error instanceof GenesysError) {
    const message =
      error.kind === 'rate_limited'
        ? rateLimitedMessage(error.details.retryAfterMs)
        : error.kind === 'forbidden'
          ? `Genesys refused the change: ${echoTyped(error.message, 300)}. Ask an admin to grant the OAuth client that permission.`
          : error.kind === 'not_found'
            ? 'Genesys does not know this agent any more. Ask an admin to check the team list.'
            : error.retryable
              ? 'Genesys is not answering right now. Nothing was changed; try again in a minute.'
              : `Genesys rejected the change: ${echoTyped(error.message, 300)}`;
    return { kind: 'failed', retryable: error.retryable, message };
  }
  return {
    kind: 'failed',
    retryable: true,
    message: 'Something went wrong on our side. Nothing was changed; try again.',
  };
}

/** Only said of a request that wrote nothing: a 429 means Genesys did not apply it, and no retry followed. */
function rateLimitedMessage(retryAfterMs: number | undefined): string {
  const when =
    retryAfterMs === undefined ? 'in a minute' : `in ${formatSeconds(Math.max(1, Math.ceil(retryAfterMs / 1000)))}`;
  return `Genesys is rate limiting; nothing was changed, try again ${when}.`;
}
