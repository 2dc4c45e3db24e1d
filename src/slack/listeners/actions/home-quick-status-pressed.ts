/**
 * App Home's quick status buttons. A quick status button is a request like a typed one (the pipeline re-validates
 * the status named on the button); the version the page showed travels in `private_metadata`, so a click on a stale
 * page is a conflict, not an overwrite. The tab has no `response_url`: answers go by direct message, and the tab is
 * republished after every click.
 */
import type { TransitionRequest } from '../../../domain/transition.js';
import { identifyActor, targetOf } from '../../actor.js';
import { answerOutcome } from '../../answers.js';
import type { ButtonArgs } from '../../bolt-args.js';
import type { SlackDeps } from '../../deps.js';
import { publishHome, statusAfter } from '../../home.js';
import { answering, notice, replyByDirectMessage } from '../../replies.js';
import { HOME_ACTIONS, type HomeMetadata, parseHomeMetadata } from '../../views/home.js';

export function homeQuickStatusPressed(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    deps.background(() => quickStatus(deps, args));
  };
}

async function quickStatus(deps: SlackDeps, { body, action, client }: ButtonArgs): Promise<void> {
  const userId = body.user.id;
  const reply = replyByDirectMessage(deps, client, userId);
  await answering(deps, reply, async () => {
    const actor = await identifyActor(deps, userId);
    if (!actor.ok) {
      await reply(notice(actor.message));
      return;
    }
    const request: TransitionRequest = {
      // A double click (same action_ts) is one request.
      requestId: `home:${userId}:${action.action_ts}`,
      actor: actor.actor,
      target: targetOf(actor.person),
      to: action.value ?? action.action_id.slice(HOME_ACTIONS.setStatusPrefix.length),
      source: 'home',
    };
    const seenVersion = pageVersion(deps, body.view?.private_metadata);
    if (seenVersion) request.seenVersion = seenVersion;
    const outcome = await deps.pipeline.submit(request);
    // An applied change shows on the republished tab; anything else needs words.
    if (outcome.kind === 'applied') {
      await publishHome(deps, client, userId, [statusAfter(request, outcome)]);
      return;
    }
    await answerOutcome(deps, { request, outcome, reply, client });
    await publishHome(deps, client, userId);
  });
}

/** The version the page showed; a malformed value only costs the conflict check, never the request. */
function pageVersion(deps: SlackDeps, raw: string | undefined): HomeMetadata['seenVersion'] {
  try {
    return parseHomeMetadata(raw ?? '').seenVersion;
  } catch (err) {
    deps.logger.warn({ err }, 'ignoring unreadable App Home private_metadata');
    return undefined;
  }
}
