/**
 * The final answer of a request settled after it answered (its write's fate was unknown, or its process
 * died): posted to the `response_url` kept with the request, so it lands where the person was told
 * "checking…" (or nothing). Requests from surfaces without one are only logged.
 */
import type { Logger } from 'pino';
import type { TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import { respondWithRetries } from './respond-retry.js';
import { outcomeMessage } from './views/outcome.js';

export function answerSettled(logger: Logger): (request: TransitionRequest, outcome: TransitionOutcome) => void {
  return (request, outcome) => {
    const log = { requestId: request.requestId, outcome: outcome.kind };
    if (!request.followUpUrl || outcome.kind === 'conflict') {
      logger.info(log, 'an unfinished change was settled');
      return;
    }
    const other = request.target.slackUserId !== request.actor.slackUserId;
    const message = outcomeMessage(
      outcome,
      other
        ? {
            name: request.target.email,
            ...(request.target.slackUserId ? { slackUserId: request.target.slackUserId } : {}),
          }
        : undefined,
    );
    const url = request.followUpUrl;
    const body = JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message });
    void respondWithRetries(async () => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    })
      .then(() => logger.info(log, 'an unfinished change was settled and its final answer sent'))
      .catch((err: unknown) => logger.warn({ ...log, err }, 'could not send the final answer of a settled change'));
  };
}
