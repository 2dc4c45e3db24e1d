/**
 * What every Slack listener needs after its ack: who is asking (or what they must fix), answering without ever
 * throwing at the user, turning a pipeline outcome into a message, and parking a conflict server-side so its
 * buttons carry nothing but an opaque token.
 */
import { randomBytes } from 'node:crypto';
import type { RespondFn, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Actor, TargetAgent, TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import type { ResolvedPerson } from '../pipeline/ports.js';
import { resolveStatus, statusLabel } from '../policy/catalog.js';
import { publishHomes } from './home.js';
import type { SlackDeps } from './listeners/index.js';
import { respondWithRetries } from './respond-retry.js';
import { type Person, type SlackMessage, section, truncateMrkdwn } from './views/blocks.js';
import { conflictMessage } from './views/conflict.js';
import { outcomeMessage } from './views/outcome.js';

/** Sends one message to the person who asked; never throws (failures are logged). */
export type Reply = (message: SlackMessage) => Promise<void>;

/** A one-section message from mrkdwn the caller built from safe parts. */
export function notice(mrkdwn: string): SlackMessage {
  return { text: truncateMrkdwn(mrkdwn, 300), blocks: [section(mrkdwn)] };
}

/** Answers through `response_url` (ephemeral; `replaceOriginal` swaps the message the button sat in). */
export function replyVia(deps: SlackDeps, respond: RespondFn, options: { replaceOriginal?: boolean } = {}): Reply {
  return async (message) => {
    try {
      await respondWithRetries(() =>
        respond({
          response_type: 'ephemeral',
          replace_original: options.replaceOriginal ?? false,
          text: message.text,
          blocks: message.blocks,
        }),
      );
    } catch (err) {
      deps.logger.warn({ err }, 'could not answer through response_url');
    }
  };
}

/** Answers in the app's direct messages with the user: surfaces without a `response_url` (the Home tab). */
export function replyByDirectMessage(deps: SlackDeps, client: webApi.WebClient, slackUserId: string): Reply {
  return async (message) => {
    try {
      await client.chat.postMessage({ channel: slackUserId, text: message.text, blocks: message.blocks });
    } catch (err) {
      deps.logger.warn({ err, user: slackUserId }, 'could not send a direct message');
    }
  };
}

/** A `respond` for surfaces without a `response_url` (the Home tab): a direct message; throws like `respond` on failure. */
export function respondByDirectMessage(client: webApi.WebClient, slackUserId: string): RespondFn {
  return async (message) => {
    const args = typeof message === 'string' ? { text: message } : message;
    const blocks = 'blocks' in args ? args.blocks : undefined;
    await client.chat.postMessage({ channel: slackUserId, text: args.text ?? '', ...(blocks ? { blocks } : {}) });
    return new Response(null, { status: 200 });
  };
}

/** Runs a listener's work after the ack; an unexpected error is logged and the person is told, never left waiting. */
export async function answering(deps: SlackDeps, reply: Reply, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    deps.logger.error({ err }, 'Slack request failed after the ack');
    await reply(
      notice(
        ':warning: Something went wrong on our side while answering. Check with `/agent-status show` before trying again.',
      ),
    );
  }
}

export type ActorIdentity =
  | { ok: true; actor: Actor; person: ResolvedPerson & { slackUserId: string }; name: string }
  | { ok: false; message: string };

/** The Slack user as a pipeline actor, or the message saying what to fix (no e-mail, no Genesys user…). */
export async function identifyActor(deps: SlackDeps, slackUserId: string): Promise<ActorIdentity> {
  const identity = await deps.identity.identify(slackUserId);
  if (!identity.ok) return identity;
  const person = { ...identity.person, slackUserId };
  return {
    ok: true,
    actor: { slackUserId, email: person.email, genesysUserId: person.genesysUserId },
    person,
    name: identity.name,
  };
}

export function targetOf(person: ResolvedPerson): TargetAgent {
  return {
    genesysUserId: person.genesysUserId,
    email: person.email,
    ...(person.slackUserId ? { slackUserId: person.slackUserId } : {}),
  };
}

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
    await publishHomes(deps, input.client, [request.actor.slackUserId, request.target.slackUserId]);
  }
}

// ---------------------------------------------------------------- conflicts

/** How long the conflict buttons keep working. */
export const CONFLICT_TTL_MS = 30 * 60 * 1000;

const personSchema = z.object({ name: z.string(), slackUserId: z.string().optional() });

const pendingChangeSchema = z.object({
  actorSlackId: z.string().min(1),
  target: z.object({ genesysUserId: z.string().min(1), email: z.string(), slackUserId: z.string().optional() }),
  /** The status as the actor asked for it. */
  to: z.string().min(1),
  reason: z.string().optional(),
  overrideFloor: z.boolean().optional(),
  /** The request that ran into the conflict (for the audit trail and logs). */
  requestId: z.string().min(1),
  source: z.enum(['command', 'modal', 'button', 'handover', 'undo', 'home']),
  subject: personSchema.optional(),
});
/** A change that ran into a conflict and waits for the actor's decision. */
export type PendingChange = z.infer<typeof pendingChangeSchema>;

const conflictContextSchema = pendingChangeSchema.extend({
  /** The version the actor was shown as current: "Apply anyway" writes over exactly this one. */
  currentVersion: z.string().min(1),
  currentLabel: z.string(),
  requestedLabel: z.string(),
  /** Set once a button was used, for the "already handled" answer. */
  handledAs: z.string().optional(),
});
export type ConflictContext = z.infer<typeof conflictContextSchema>;

export interface ConflictState {
  seenLabel?: string;
  currentLabel: string;
  currentVersion: string;
  changedAt: string;
}

export function pendingChangeOf(request: TransitionRequest, subject?: Person): PendingChange {
  return {
    actorSlackId: request.actor.slackUserId,
    target: {
      genesysUserId: request.target.genesysUserId,
      email: request.target.email,
      ...(request.target.slackUserId ? { slackUserId: request.target.slackUserId } : {}),
    },
    to: request.to,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.overrideFloor ? { overrideFloor: true } : {}),
    requestId: request.requestId,
    source: request.source,
    ...(subject
      ? { subject: { name: subject.name, ...(subject.slackUserId ? { slackUserId: subject.slackUserId } : {}) } }
      : {}),
  };
}

/** The change a conflict was about, without its conflict state: to offer the choice again. */
export function pendingChangeOfConflict(context: ConflictContext): PendingChange {
  return pendingChangeSchema.parse(context);
}

function conflictKey(tokenId: string): string {
  return `conflict:${tokenId}`;
}

/** Stores the pending change under a fresh random token and returns the conflict message whose buttons carry it. */
export async function offerConflict(
  deps: SlackDeps,
  change: PendingChange,
  state: ConflictState,
): Promise<SlackMessage> {
  const tokenId = randomBytes(16).toString('base64url');
  const resolved = resolveStatus(deps.policy, change.to);
  const requestedLabel = resolved.ok ? statusLabel(deps.policy, resolved.name) : change.to;
  const context: ConflictContext = {
    ...change,
    currentVersion: state.currentVersion,
    currentLabel: state.currentLabel,
    requestedLabel,
  };
  await deps.store.cache.set(conflictKey(tokenId), conflictContextSchema.parse(context), CONFLICT_TTL_MS);
  return conflictMessage({
    ...(state.seenLabel ? { seenLabel: state.seenLabel } : {}),
    currentLabel: state.currentLabel,
    changedAt: state.changedAt,
    requestedLabel,
    tokenId,
    ...(change.subject ? { subject: change.subject } : {}),
  });
}

/** The stored context of a conflict token; undefined when unknown or expired (or not what we stored). */
export async function loadConflict(deps: SlackDeps, tokenId: string): Promise<ConflictContext | undefined> {
  const parsed = conflictContextSchema.safeParse(await deps.store.cache.get<unknown>(conflictKey(tokenId)));
  return parsed.success ? parsed.data : undefined;
}

export async function saveConflict(deps: SlackDeps, tokenId: string, context: ConflictContext): Promise<void> {
  await deps.store.cache.set(conflictKey(tokenId), conflictContextSchema.parse(context), CONFLICT_TTL_MS);
}

/** Longer than a token lives, so a claimed token can never be claimed again. */
const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Claims a conflict token for one decision. The claim is a lock that is never released: across every process
 * sharing the store, exactly one click wins.
 */
export async function claimConflict(deps: SlackDeps, tokenId: string): Promise<boolean> {
  try {
    await deps.store.locks.acquire(`conflict-used:${tokenId}`, CLAIM_TTL_MS, 0);
    return true;
  } catch {
    return false;
  }
}
