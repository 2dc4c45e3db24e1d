/** How a request ended, told to the person who asked: a conflict as a choice, anything else as its outcome. */
import type { webApi } from '@slack/bolt';
import type { TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import { offerConflict, pendingChangeOf } from './conflicts.js';
import type { SlackDeps } from './deps.js';
import { publishHomes, statusAfter } from './home.js';
import type { Reply } from './replies.js';
import type { Person } from './views/blocks.js';
import { outcomeMessage } from './views/outcome.js';

export interface AnswerInput {
  request: TransitionRequest;
  outcome: TransitionOutcome;
  reply: Reply;
  client: webApi.WebClient;
  /** The agent, when not the person reading. */
  subject?: Person;
}

/**
 * Tells the actor how their request ended: a conflict becomes a choice (stored server-side, see
 * `offerConflict`), anything else the outcome message. After an applied change the Home tabs of actor and
 * target are republished.
 */
export async function answerOutcome(deps: SlackDeps, input: AnswerInput): Promise<void> {
  const { outcome, request } = input;
  if (outcome.kind === 'conflict') {
    const message = await offerConflict(deps, pendingChangeOf(request, input.subject), {
      seenLabel: outcome.seen?.presenceLabel,
      currentLabel: outcome.current.presenceLabel,
      currentVersion: outcome.currentVersion,
      changedAt: outcome.changedAt,
    });
    await input.reply(message);
    return;
  }
  await input.reply(outcomeMessage(outcome, input.subject));
  if (outcome.kind === 'applied') {
    await publishHomes(
      deps,
      input.client,
      [request.actor.slackUserId, request.target.slackUserId],
      [statusAfter(request, outcome)],
    );
  }
}
