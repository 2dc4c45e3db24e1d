import type { AgentState, RoutingStatus } from './presence.js';

/** Who is asking: a Slack user, resolved to an e-mail and (when mapped) a Genesys user. */
export interface Actor {
  slackUserId: string;
  email?: string;
  genesysUserId?: string;
}

/** The agent whose status is to change. */
export interface TargetAgent {
  genesysUserId: string;
  email: string;
  slackUserId?: string;
}

export interface TransitionRequest {
  /** Stable across retries of one user intent (Slack retries, double clicks): the idempotency key. */
  requestId: string;
  actor: Actor;
  target: TargetAgent;
  /** Catalog name or alias as typed, e.g. `brb`. */
  to: string;
  reason?: string;
  /** The version token (`presenceVersion`) of the state the user was looking at, when there was one. */
  seenVersion?: string;
  /** Apply even when the state changed since `seenVersion` (the user chose "Apply anyway"). */
  force?: boolean;
  /** Supervisor override of the on-queue staffing floor; needs a reason, audited. */
  overrideFloor?: boolean;
  /**
   * Where the request's final answer can still be sent once it is settled after answering (a Slack
   * `response_url`); kept with the request's intent.
   */
  followUpUrl?: string;
  /** Where the request came from, for the audit trail. */
  source: 'command' | 'modal' | 'button' | 'handover' | 'undo' | 'home';
}

/** A status as the product names it (catalog entry) together with Genesys's view of it. */
export interface StatusSnapshot {
  /** Catalog name (`break`) when the presence is in the catalog, else the Genesys label. */
  status: string;
  presenceId: string;
  presenceLabel: string;
  routingStatus: RoutingStatus;
}

export type RefusalCode =
  | 'unknown_status'
  | 'not_allowed'
  | 'reason_missing'
  | 'reason_invalid'
  | 'reason_too_long'
  | 'reason_not_taken'
  | 'cap_reached'
  | 'staffing_floor'
  | 'dwell'
  | 'not_authorized'
  | 'unknown_agent';

/**
 * `message` fields are plain text for the person who asked; each surface escapes them for its markup. `people`
 * lists the policy entries (e-mails or Slack user ids) a refusal names as they are, for a surface to show as people.
 */
export type TransitionOutcome =
  | { kind: 'applied'; from: StatusSnapshot; to: StatusSnapshot; version: string; changedAt: string }
  | { kind: 'noop'; current: StatusSnapshot; version: string }
  | { kind: 'refused'; code: RefusalCode; message: string; suggestions?: string[]; people?: string[] }
  | { kind: 'conflict'; seen?: StatusSnapshot; current: StatusSnapshot; currentVersion: string; changedAt: string }
  | { kind: 'failed'; retryable: boolean; message: string }
  /**
   * A write whose fate is not known yet (Genesys did not answer, then could not be read): it is settled in
   * the background and the final outcome announced for the same request.
   */
  | { kind: 'unknown'; message: string };

export type OutcomeKind = TransitionOutcome['kind'];

export type { AgentState };
