/**
 * Buttons on the App Home tab. A quick status button is a request like a typed one (the pipeline re-validates
 * the status named on the button); the version the page showed travels in `private_metadata`, so a click on a
 * stale page is a conflict, not an overwrite. The tab has no `response_url`: answers go by direct message, and
 * the tab is republished after every click.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { TransitionRequest } from '../../../domain/transition.js';
import { publishHome } from '../../home.js';
import {
  answering,
  answerOutcome,
  identifyActor,
  notice,
  replyByDirectMessage,
  respondByDirectMessage,
  targetOf,
} from '../../reply.js';
import { HOME_ACTIONS, HOME_SET_STATUS_ACTION, type HomeMetadata, parseHomeMetadata } from '../../views/home.js';
import type { SlackDeps } from '../index.js';
import { openHandoverModal } from '../views/handover.js';
import { openStatusModal } from '../views/status-modal.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function registerHomeActions(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(HOME_SET_STATUS_ACTION, async (args: ButtonArgs) => {
    await args.ack();
    deps.background(() => quickStatus(deps, args));
  });
  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.refresh, async ({ ack, body, client }: ButtonArgs) => {
    await ack();
    deps.background(() => publishHome(deps, client, body.user.id));
  });
  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.openModal, async ({ ack, body, client }: ButtonArgs) => {
    await ack();
    deps.background(() =>
      openStatusModal(deps, {
        client,
        triggerId: body.trigger_id,
        actorSlackId: body.user.id,
        respond: respondByDirectMessage(client, body.user.id),
      }),
    );
  });
  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.handover, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    deps.background(() =>
      openHandoverModal(deps, {
        client,
        triggerId: body.trigger_id,
        actorSlackId: body.user.id,
        teamId: action.value ?? '',
        respond: respondByDirectMessage(client, body.user.id),
      }),
    );
  });
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
      await publishHome(deps, client, userId);
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
