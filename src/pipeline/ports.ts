/**
 * The interfaces the core owns and the adapters implement. Nothing here imports an adapter, the Genesys
 * SDK or Slack types.
 */
import type { PayrollEvent } from '../domain/payroll-event.js';
import type { AgentState, PresenceDefinition } from '../domain/presence.js';
import type {
  OutcomeKind,
  RefusalCode,
  StatusSnapshot,
  TransitionOutcome,
  TransitionRequest,
} from '../domain/transition.js';
import type { PresenceMirrorStore } from './live-presence.js';

// ---------------------------------------------------------------- Genesys

export interface GenesysUser {
  id: string;
  name: string;
  email: string;
  state?: string;
}

export interface PresenceChange {
  agentId: string;
  presenceId: string;
  /** The presence message (the change's reason), when there is one. */
  message?: string;
}

export interface BulkPresenceResult {
  agentId: string;
  ok: boolean;
  /** Set when `ok` is false. */
  error?: string;
}

/**
 * A bound on a write's retries: every attempt, waits included, must be over within `withinMs` of the call
 * (the time the caller's locks are guaranteed for). A retry that could not be is not made.
 */
export interface WriteBudget {
  withinMs: number;
}

export interface GenesysPort {
  /** System and secondary presence definitions of the org (cached by the adapter). */
  listPresenceDefinitions(): Promise<PresenceDefinition[]>;
  getAgentState(agentId: string): Promise<AgentState>;
  /** Bulk read; the adapter chunks to Genesys's maximum ids per call. */
  getAgentStates(agentIds: readonly string[]): Promise<AgentState[]>;
  setPresence(agentId: string, presenceId: string, message?: string, budget?: WriteBudget): Promise<void>;
  /** Bulk write; the adapter chunks to Genesys's documented maximum. */
  setPresences(changes: readonly PresenceChange[], budget?: WriteBudget): Promise<BulkPresenceResult[]>;
  /** Exact e-mail match; undefined when no user has it (cached by the adapter). */
  findUserByEmail(email: string): Promise<GenesysUser | undefined>;
  /** Resolves when a valid token can be obtained; rejects with a message an operator can act on. */
  checkReady(): Promise<void>;
}

/** Typed failures of the Genesys adapter, so the pipeline can word them for people. */
export type GenesysErrorKind =
  | 'not_found'
  | 'forbidden'
  | 'bad_request'
  | 'unauthorized'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout';

export interface GenesysErrorDetails {
  /** How long Genesys asked to wait before trying again (a 429's `Retry-After`). */
  retryAfterMs?: number;
  /**
   * A write whose call failed but may still have reached Genesys: an attempt timed out, lost its connection
   * or got a 5xx. Without it a failed write is known not to have been applied (4xx, 429).
   */
  mayHaveApplied?: boolean;
}

export class GenesysError extends Error {
  constructor(
    readonly kind: GenesysErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly details: GenesysErrorDetails = {},
  ) {
    super(message);
    this.name = 'GenesysError';
  }
}

// ---------------------------------------------------------------- Store

/** One decision of the pipeline, as kept for idempotency, history and undo. */
export interface TransitionRecord {
  requestId: string;
  actorSlackId: string;
  agentId: string;
  /** The agent's e-mail, so undo and history can name them without another lookup. */
  agentEmail?: string;
  fromStatus?: string;
  toStatus: string;
  reason?: string;
  outcome: TransitionOutcome;
  /** ISO time of the decision. */
  decidedAt: string;
}

/**
 * Written just before the Genesys write and removed with the transition's record: one still present
 * after a crash or a failed call says a write may have landed without its record and payroll event.
 */
export interface TransitionIntent {
  requestId: string;
  agentId: string;
  /** The presence being written. */
  presenceId: string;
  /** Version of the state being replaced: a different version showing `presenceId` means the write landed. */
  fromVersion: string;
  from: StatusSnapshot;
  request: TransitionRequest;
  reason?: string;
  createdAt: string;
}

export interface OutboxEntry {
  eventId: string;
  /** `webhook-id`; the same on every attempt and replay. */
  webhookId: string;
  agentId: string;
  event: PayrollEvent;
  state: 'pending' | 'delivered' | 'dead' | 'acknowledged' | 'rejected';
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  lastError?: string;
  deliveredAt?: string;
}

export interface Lock {
  /**
   * The fencing check: atomically confirms that nobody has taken the lock since it was acquired and extends
   * it to `ttlMs` from now. False when it was lost (it expired and another holder took it).
   */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

export interface TransitionStore {
  /** The recorded outcome of a request id, while the store keeps it (the app keeps decisions 30 days). */
  findOutcome(requestId: string): Promise<TransitionRecord | undefined>;
  /**
   * Records a decision and, for an applied change, its payroll event, in one transaction: no event
   * without a change, no change without an event. Removes the request's intent in the same transaction.
   */
  recordTransition(record: TransitionRecord, event?: PayrollEvent): Promise<void>;
  /** Most recent first. */
  history(agentId: string, limit: number): Promise<TransitionRecord[]>;
  recordIntent(intent: TransitionIntent): Promise<void>;
  findIntent(requestId: string): Promise<TransitionIntent | undefined>;
  /** Oldest first; only the agent's when `agentId` is given. */
  pendingIntents(agentId?: string): Promise<TransitionIntent[]>;
  dropIntent(requestId: string): Promise<void>;
  /** The actor's latest applied change, for undo. */
  lastAppliedBy(actorSlackId: string): Promise<TransitionRecord | undefined>;
}

export interface LockStore {
  /**
   * Waits up to `waitMs` for the named lock; the lock expires after `ttlMs` so a crashed holder never
   * blocks for long. Rejects when it cannot be had in time.
   */
  acquire(key: string, ttlMs: number, waitMs: number): Promise<Lock>;
}

export interface OutboxStore {
  /**
   * Queues the event of a change recorded nowhere else (one seen in Genesys), unless an event with its id is
   * queued already; true when it was queued. Changes made through the app queue theirs with their record.
   */
  enqueue(event: PayrollEvent): Promise<boolean>;
  /** Pending entries due now, oldest first, at most one per agent and none for an agent with an older pending entry. */
  due(now: Date, limit: number): Promise<OutboxEntry[]>;
  markDelivered(eventId: string, at: Date): Promise<void>;
  markRetry(eventId: string, nextAttemptAt: Date, error: string): Promise<void>;
  markDead(eventId: string, error: string): Promise<void>;
  /**
   * Records a receiver's answer. `settled`: the event already carries the other final answer (acknowledged and
   * rejected are final), so nothing changed; repeating the same answer is `ok`.
   */
  acknowledge(
    eventId: string,
    status: 'processed' | 'rejected',
    message?: string,
  ): Promise<'ok' | 'unknown' | 'settled'>;
  replay(eventId: string): Promise<boolean>;
  replayAllDead(): Promise<number>;
  list(filter?: { state?: OutboxEntry['state'] }): Promise<OutboxEntry[]>;
  counts(): Promise<Record<OutboxEntry['state'], number>>;
}

/** Key-value cache with TTL, for presence definitions, e-mail → user id and the like. */
export interface CacheStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface Store {
  transitions: TransitionStore;
  locks: LockStore;
  outbox: OutboxStore;
  cache: CacheStore;
  /** Agents' live states as notifications and reads last reported them. */
  mirror: PresenceMirrorStore;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- People

/** A person the policy names (by e-mail or Slack id), resolved to their Genesys user. */
export interface ResolvedPerson {
  email: string;
  genesysUserId: string;
  slackUserId?: string;
  /** How people see them: the Slack name for a Slack user, else the Genesys name. */
  name: string;
}

export interface PeopleDirectory {
  /** Resolves a policy entry (e-mail or Slack user id); undefined when it cannot be mapped. */
  resolve(entry: string): Promise<ResolvedPerson | undefined>;
}

// ---------------------------------------------------------------- Observability

/** Structured log lines, fields first (pino's convention: a pino logger is one). */
export interface Log {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * What the pipeline counts. Every label comes from a closed set, so no request can add a series: a status
 * is a catalog name or `unknown`, an outcome or refusal one of the pipeline's own codes.
 */
export interface PipelineMetrics {
  /** One decision, with the seconds from request to answer. */
  observeDecision(status: string, outcome: OutcomeKind, seconds: number): void;
  countRefusal(code: RefusalCode): void;
  countConflict(): void;
}

/** The metric label of a status nobody configured (a typo, a word the catalog does not know). */
export const UNKNOWN_STATUS_LABEL = 'unknown';

/** One line per pipeline decision: what an auditor or workforce planner reads back later. */
export interface AuditDecision {
  requestId: string;
  actor: string;
  target: string;
  from?: string;
  to: string;
  reason?: string;
  outcome: string;
  code?: string;
  source: string;
  /** From request to answer; absent for a change seen in Genesys, which no request asked for. */
  latencyMs?: number;
  override?: string;
  note?: string;
}

export interface AuditLog {
  record(decision: AuditDecision): void;
  flush(): Promise<void>;
}
