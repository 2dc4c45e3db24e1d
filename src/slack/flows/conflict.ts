/**
 * The three conflict buttons. A button carries only a token id; everything else comes from the server-side
 * context stored with it. Only the person who asked may decide, each token decides once, and "Apply anyway"
 * goes through the whole pipeline again (authorization included) with `force`.
 */
import type { RespondFn, webApi } from '@slack/bolt';
import type { TransitionRequest } from '../../domain/transition.js';
import { resolveStatus } from '../../policy/catalog.js';
import { identifyActor } from '../actor.js';
import { answerOutcome } from '../answers.js';
import {
  type ConflictContext,
  claimConflict,
  loadConflict,
  offerConflict,
  pendingChangeOfConflict,
  saveConflict,
} from '../conflicts.js';
import type { SlackDeps } from '../deps.js';
import { answering, notice, type Reply, replyVia } from '../replies.js';
import { personRef, userText } from '../views/blocks.js';
import type { CONFLICT_ACTIONS } from '../views/conflict.js';
import { outcomeMessage } from '../views/outcome.js';

/** One of the three conflict buttons. */
export type ConflictDecision = keyof typeof CONFLICT_ACTIONS;

const TOKEN = /^[\w-]{1,200}$/;

const HANDLED_AS: Record<ConflictDecision, string> = {
  applyAnyway: 'Apply anyway was chosen',
  keepCurrent: 'Keep current was chosen',
  refresh: 'it was refreshed',
};

/** A press of a conflict button: who pressed it, the token it carried, and where to answer. */
export interface ConflictPress {
  userId: string;
  tokenId: string;
  respond: RespondFn;
  /** Where a final answer goes if the change is settled after answering. */
  responseUrl?: string;
  client: webApi.WebClient;
}

/** Checks that the token is live, that the presser asked, and that no other click won; then does what was chosen. */
export async function decideConflict(
  deps: SlackDeps,
  decision: ConflictDecision,
  { userId, tokenId, respond, responseUrl, client }: ConflictPress,
): Promise<void> {
  // Refusals are private notes beside the message; the result of a decision replaces the message.
  const note = replyVia(deps, respond);
  const result = replyVia(deps, respond, { replaceOriginal: true });
  await answering(deps, note, async () => {
    const context = TOKEN.test(tokenId) ? await loadConflict(deps, tokenId) : undefined;
    if (!context) {
      await note(
        notice('This choice has expired (they last 30 minutes). Run the command again to see the status now.'),
      );
      return;
    }
    if (userId !== context.actorSlackId) {
      await note(notice(`Only <@${context.actorSlackId}> can answer this conflict: it is about their request.`));
      return;
    }
    if (!(await claimConflict(deps, tokenId))) {
      const handled = (await loadConflict(deps, tokenId))?.handledAs ?? 'another click got there first';
      await note(notice(`This conflict was already handled (${handled}).`));
      return;
    }
    await saveConflict(deps, tokenId, { ...context, handledAs: HANDLED_AS[decision] });
    deps.logger.info({ user: userId, decision, requestId: context.requestId }, 'conflict decided');
    switch (decision) {
      case 'applyAnyway':
        return applyAnyway(deps, tokenId, context, { reply: result, note, client, responseUrl });
      case 'keepCurrent':
        return result(
          notice(
            `:ok_hand: Kept ${whose(context)} status at *${userText(context.currentLabel, 80)}*; *${userText(context.requestedLabel, 80)}* was not applied.`,
          ),
        );
      case 'refresh':
        return refresh(deps, context, result);
    }
  });
}

function whose(context: ConflictContext): string {
  return context.subject ? `${personRef(context.subject)}'s` : 'your';
}

async function applyAnyway(
  deps: SlackDeps,
  tokenId: string,
  context: ConflictContext,
  io: { reply: Reply; note: Reply; client: webApi.WebClient; responseUrl?: string },
): Promise<void> {
  // The clicker is re-identified: the pipeline authorizes who clicks now, not who asked then.
  const clicker = await identifyActor(deps, context.actorSlackId);
  if (!clicker.ok) {
    await io.note(notice(clicker.message));
    return;
  }
  const request: TransitionRequest = {
    requestId: `${tokenId}:apply`,
    actor: clicker.actor,
    target: context.target,
    to: context.to,
    ...(context.reason ? { reason: context.reason } : {}),
    ...(context.overrideFloor ? { overrideFloor: true } : {}),
    seenVersion: context.currentVersion,
    force: true,
    ...(io.responseUrl ? { followUpUrl: io.responseUrl } : {}),
    source: 'button',
  };
  const outcome = await deps.pipeline.submit(request);
  await answerOutcome(deps, { request, outcome, reply: io.reply, client: io.client, subject: context.subject });
}

/** Re-reads the agent: still different from what was asked → the choice again (new token); else nothing to do. */
async function refresh(deps: SlackDeps, context: ConflictContext, reply: Reply): Promise<void> {
  const live = await deps.queries.agentStatus(context.target.genesysUserId);
  const requested = resolveStatus(deps.policy, context.to);
  if (requested.ok && requested.name === live.snapshot.status) {
    await reply(outcomeMessage({ kind: 'noop', current: live.snapshot, version: live.version }, context.subject));
    return;
  }
  const seenLabel = live.snapshot.presenceLabel !== context.currentLabel ? context.currentLabel : undefined;
  await reply(
    await offerConflict(deps, pendingChangeOfConflict(context), {
      ...(seenLabel ? { seenLabel } : {}),
      currentLabel: live.snapshot.presenceLabel,
      currentVersion: live.version,
      changedAt: live.since,
    }),
  );
}
