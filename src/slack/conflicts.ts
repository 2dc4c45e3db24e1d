/**
 * Conflicts parked server-side: the buttons of a conflict message carry only an opaque random token; the change it
 * is about waits under that token for the actor's decision, and each token decides once.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { TransitionRequest } from '../domain/transition.js';
import { resolveStatus, statusLabel } from '../policy/catalog.js';
import type { SlackDeps } from './deps.js';
import type { Person, SlackMessage } from './views/blocks.js';
import { conflictMessage } from './views/conflict.js';

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
  await saveConflict(deps, tokenId, context);
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
  const parsed = conflictContextSchema.safeParse(await deps.uiState.get(conflictKey(tokenId)));
  return parsed.success ? parsed.data : undefined;
}

export async function saveConflict(deps: SlackDeps, tokenId: string, context: ConflictContext): Promise<void> {
  await deps.uiState.set(conflictKey(tokenId), conflictContextSchema.parse(context), CONFLICT_TTL_MS);
}

/** Longer than a token lives, so a claimed token can never be claimed again. */
const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Claims a conflict token for one decision. The claim is a lock that is never released: across every process
 * sharing the store, exactly one click wins.
 */
export async function claimConflict(deps: SlackDeps, tokenId: string): Promise<boolean> {
  return deps.uiState.claim(`conflict-used:${tokenId}`, CLAIM_TTL_MS);
}
