/**
 * Opening a modal from a `trigger_id`: Slack accepts the trigger once and for 3 seconds only, while the reads behind
 * a real modal (Genesys states, team members) may take longer. So a small loading modal opens at once and the real
 * one replaces it through `views.update`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { RespondFn, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { SlackDeps } from './deps.js';
import { notice, replyVia } from './replies.js';
import type { ModalView, SlackMessage } from './views/blocks.js';
import { loadingModal, noticeModal } from './views/notice-modal.js';

export interface OpenedModal {
  viewId: string;
  /** Slack's version of the view: `views.update` with it fails rather than overwrite a newer update. */
  hash?: string;
}

const viewAnswer = z.object({ view: z.object({ id: z.string().min(1), hash: z.string().optional() }) });

/** Who asked for a modal and how to answer them: the command's or click's trigger, and `respond` when there is one. */
export interface ModalRequest {
  client: webApi.WebClient;
  triggerId: string;
  actorSlackId: string;
  /** Where to say so when the modal cannot be opened at all. */
  respond?: RespondFn;
}

export interface ModalNaming {
  title: string;
  /** For the log: "could not open the <name>". */
  name: string;
  /** What to tell the person when Slack did not open it, given Slack's error code ("no answer" without one). */
  notOpened: (code: string) => string;
}

/**
 * Opens a loading modal at once and fills it with `build`'s view (see fillModal). When Slack does not open it
 * (expired trigger, outage), logs that and tells the person through `respond`. Never throws.
 */
export async function showModal(
  deps: Pick<SlackDeps, 'logger'>,
  request: ModalRequest,
  naming: ModalNaming,
  build: () => Promise<ModalView>,
): Promise<void> {
  let modal: OpenedModal;
  try {
    modal = await openLoadingModal(request.client, request.triggerId, naming.title);
  } catch (err) {
    const code = slackErrorCode(err);
    deps.logger.warn({ err, code, user: request.actorSlackId }, `could not open the ${naming.name}`);
    await tell(deps, request.respond, notice(naming.notOpened(code ?? 'no answer')));
    return;
  }
  await fillModal(deps, request.client, modal, naming.title, build);
}

async function openLoadingModal(client: webApi.WebClient, triggerId: string, title: string): Promise<OpenedModal> {
  const answer = viewAnswer.parse(await client.views.open({ trigger_id: triggerId, view: loadingModal(title) }));
  return { viewId: answer.view.id, ...(answer.view.hash ? { hash: answer.view.hash } : {}) };
}

export async function updateModal(client: webApi.WebClient, modal: OpenedModal, view: ModalView): Promise<void> {
  await client.views.update({ view_id: modal.viewId, ...(modal.hash ? { hash: modal.hash } : {}), view });
}

/**
 * Shows `view` in the opened modal, or a notice when building it fails: the person never stays on "Loading…".
 * Never throws.
 */
async function fillModal(
  deps: Pick<SlackDeps, 'logger'>,
  client: webApi.WebClient,
  modal: OpenedModal,
  title: string,
  build: () => Promise<ModalView>,
): Promise<void> {
  let view: ModalView;
  try {
    view = await build();
  } catch (err) {
    deps.logger.error({ err }, 'could not build a modal');
    view = noticeModal(
      title,
      ':warning: Something went wrong while loading this (Genesys or Slack did not answer). Close it and try again in a minute.',
    );
  }
  try {
    await updateModal(client, modal, view);
  } catch (err) {
    deps.logger.warn({ err, code: slackErrorCode(err) }, 'could not update a modal');
  }
}

/** The `error` of a Slack Web API failure (`not_in_channel`, `expired_trigger_id`, …), or the client's error code. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if ('data' in error && typeof error.data === 'object' && error.data !== null && 'error' in error.data) {
    return String(error.data.error);
  }
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Answers through `respond` when there is one; never throws. */
export async function tell(
  deps: Pick<SlackDeps, 'logger'>,
  respond: RespondFn | undefined,
  message: SlackMessage,
): Promise<void> {
  if (respond) await replyVia(deps, respond)(message);
}

/** The promise's value when it settles within `ms`, else undefined (it keeps running; await it later). */
export async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const timer = new AbortController();
  const late = delay(ms, undefined, { signal: timer.signal }).catch(() => undefined);
  try {
    return await Promise.race([promise, late]);
  } finally {
    timer.abort();
  }
}
