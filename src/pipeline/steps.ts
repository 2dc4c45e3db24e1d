/**
 * The steps a single change and a batch share, built once over the pipeline's dependencies: the checks that
 * need no live state, the comparison with Genesys, locking, recording (with the payroll event) and the
 * audit, metrics and hook that close every decision.
 */
import { createHash } from 'node:crypto';
import type { PayrollEvent } from '../domain/payroll-event.js';
import { type AgentState, parsePresenceVersion, presenceVersion, showsWriteOver } from '../domain/presence.js';
import type { TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import { type CatalogBinding, statusNameOfPresence } from '../policy/binding.js';
import { catalogNameOf, resolveStatus } from '../policy/catalog.js';
import { evaluateTransition } from '../policy/evaluate.js';
import type { MemberStatus } from '../policy/limits.js';
import { canChange, type Person, teamsOf } from '../policy/roles.js';
import type { Policy } from '../policy/schema.js';
import { resolveTeamMembers } from './directory.js';
import type { PresenceReader } from './live-presence.js';
import { conflictOutcome, failureOutcome, notAppliedOutcome, refusedOutcome } from './outcomes.js';
import {
  type AuditLog,
  GenesysError,
  type GenesysPort,
  type Lock,
  type Log,
  type PeopleDirectory,
  type PipelineMetrics,
  type ResolvedPerson,
  type Store,
  type TransitionIntent,
  type TransitionRecord,
  UNKNOWN_STATUS_LABEL,
  type WriteBudget,
} from './ports.js';
import { snapshot, snapshotOf } from './snapshot.js';

export interface PipelineDeps {
  policy: Policy;
  genesys: GenesysPort;
  /** Agents' live states: the only way the pipeline and the read side learn them. */
  presence: PresenceReader;
  store: Store;
  directory: PeopleDirectory;
  audit: AuditLog;
  metrics: PipelineMetrics;
  logger: Log;
  now?: () => Date;
  /**
   * What one acquisition or renewal of a lock guarantees, and so how long a crashed holder blocks an agent
   * or team (default 30 s). A write, retries included, must be over within it.
   */
  lockTtlMs?: number;
  /** How often held locks are renewed (default a third of the ttl). */
  lockRenewEveryMs?: number;
  /** How long a request waits for another change of the same agent or team to finish. */
  lockWaitMs?: number;
  /** Called after an applied change is recorded: wake the outbox, refresh App Home, notify. */
  onApplied?: (request: TransitionRequest, outcome: Extract<TransitionOutcome, { kind: 'applied' }>) => void;
  /**
   * Called when a write is settled after its request answered (or its process died): the request's final
   * outcome, for the person who was told `unknown` or nothing.
   */
  onSettled?: (request: TransitionRequest, outcome: TransitionOutcome) => void;
}

/** Locks held for one decision, renewed while held. */
export interface HeldLocks {
  /**
   * The fencing check, made just before a write or a record: renews every lock and resolves with the budget
   * a write started now may use, or with undefined when a lock was lost to another holder.
   */
  fence(): Promise<WriteBudget | undefined>;
  release(): Promise<void>;
}

/** Kept back from a renewed lock's ttl for the time between the renewal and the write that relies on it. */
const FENCE_MARGIN_MS = 1_000;

/** The payroll event id of a request's change: derived from the request, so settling twice cannot make two. */
export function payrollEventIdFor(requestId: string): string {
  const hex = createHash('sha256').update(`agent-status:payroll-event:${requestId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Where a decision came from: replayed from the store (same request id), recorded together with its
 * payroll event inside the lock, or new and still to be recorded.
 */
export interface Decision {
  outcome: TransitionOutcome;
  from: 'store' | 'recorded' | 'new';
}

/** A request that passed the checks needing no live state. */
export interface Checked {
  actor: Person;
  target: Person;
  /** The catalog name the request resolved to. */
  status: string;
  presenceId: string;
  /** Teams whose caps or staffing floor this change may touch: locked for the whole decision. */
  limitedTeams: string[];
}

export type PipelineSteps = ReturnType<typeof createPipelineSteps>;

export function createPipelineSteps(deps: PipelineDeps) {
  const now = deps.now ?? (() => new Date());
  const lockTtlMs = deps.lockTtlMs ?? 30_000;
  const lockRenewEveryMs = deps.lockRenewEveryMs ?? lockTtlMs / 3;
  const lockWaitMs = deps.lockWaitMs ?? 10_000;
  const { policy, store } = deps;

  /**
   * Checks that need no live state, done before any lock so bad requests never take one: authorization,
   * the status name, and whether the org has that presence.
   */
  function precheck(request: TransitionRequest, binding: CatalogBinding): TransitionOutcome | Checked {
    const actor: Person = { email: request.actor.email, slackUserId: request.actor.slackUserId };
    const target: Person = { email: request.target.email, slackUserId: request.target.slackUserId };
    const right = canChange(policy, actor, target);
    if (!right.ok) return refusedOutcome(right);
    const resolved = resolveStatus(policy, request.to);
    if (!resolved.ok) return refusedOutcome(resolved);
    const presenceId = binding.presenceIdByStatus.get(resolved.name);
    if (!presenceId) {
      return {
        kind: 'refused',
        code: 'unknown_status',
        message: `"${resolved.name}" cannot be set: the Genesys org has no matching presence. Ask an admin to check the policy.`,
      };
    }
    const limitedTeams = teamsOf(policy, target).filter((id) => {
      const team = policy.teams[id]!;
      return team.caps[resolved.name] !== undefined || team.onQueueFloor > 0;
    });
    return { actor, target, status: resolved.name, presenceId, limitedTeams };
  }

  /**
   * The outcome when the live state leaves nothing to write: a conflict when the user saw another version
   * than the live one (unless they chose to apply anyway), a no-op when the agent already has the status.
   */
  function unchanged(
    request: TransitionRequest,
    binding: CatalogBinding,
    current: AgentState,
    presenceId: string,
  ): TransitionOutcome | undefined {
    const currentVersion = presenceVersion(current);
    if (request.seenVersion && !request.force && request.seenVersion !== currentVersion) {
      const seen = parsePresenceVersion(request.seenVersion);
      return {
        ...conflictOutcome(binding, current),
        seen:
          seen.presenceId === current.presenceId ? undefined : snapshotOf(binding, seen.presenceId, seen.routingStatus),
      };
    }
    if (current.presenceId === presenceId) {
      return { kind: 'noop', current: snapshot(binding, current), version: currentVersion };
    }
    return undefined;
  }

  /** The policy's verdict on moving the target from its live state, given its teams' statuses. */
  function evaluate(
    request: TransitionRequest,
    checked: Checked,
    binding: CatalogBinding,
    current: AgentState,
    teamStates: readonly MemberStatus[],
  ) {
    const verdict = evaluateTransition(policy, {
      actor: checked.actor,
      target: checked.target,
      from: statusNameOfPresence(binding, current.presenceId),
      enteredAt: current.modifiedDate,
      to: checked.status,
      reason: request.reason,
      overrideFloor: request.overrideFloor,
      teamStates,
      now: now(),
    });
    if (verdict.ok && verdict.floorOverriddenFor.length > 0) {
      deps.logger.warn(
        { requestId: request.requestId, teams: verdict.floorOverriddenFor, actor: request.actor.slackUserId },
        'on-queue staffing floor overridden',
      );
    }
    return verdict;
  }

  /** What is about to be written, recorded first so a write a crash interrupts can be settled later. */
  async function recordIntent(
    request: TransitionRequest,
    presenceId: string,
    binding: CatalogBinding,
    current: AgentState,
    reason: string | undefined,
  ): Promise<TransitionIntent> {
    const intent: TransitionIntent = {
      requestId: request.requestId,
      agentId: request.target.genesysUserId,
      presenceId,
      fromVersion: presenceVersion(current),
      from: snapshot(binding, current),
      request,
      reason,
      createdAt: now().toISOString(),
    };
    await store.transitions.recordIntent(intent);
    return intent;
  }

  /** Records an applied change and its payroll event in one store transaction (removing its intent). */
  async function recordApplied(intent: TransitionIntent, binding: CatalogBinding, after: AgentState) {
    const { request, from } = intent;
    const to = snapshot(binding, after);
    const outcome = {
      kind: 'applied' as const,
      from,
      to,
      version: presenceVersion(after),
      changedAt: after.modifiedDate,
    };
    const event: PayrollEvent = {
      type: 'agent.status.changed',
      data: {
        eventId: payrollEventIdFor(request.requestId),
        agentId: request.target.genesysUserId,
        email: request.target.email,
        from: { presence: from.presenceLabel, routingStatus: from.routingStatus },
        to: { presence: to.presenceLabel, routingStatus: to.routingStatus },
        reason: intent.reason ?? null,
        changedAt: after.modifiedDate,
        changedBy: request.actor.slackUserId,
        source: 'slack',
        requestId: request.requestId,
      },
    };
    await store.transitions.recordTransition(recordOf(request, outcome, intent.reason), event);
    return outcome;
  }

  /**
   * Settles an intent against evidence that its own write landed: Genesys shows the presence it asked for,
   * changed after the state it replaced. Landed: recorded with its payroll event (applied); otherwise it is
   * forgotten (failed, nothing changed). Rejects, keeping the intent, when Genesys cannot be read.
   */
  async function settleIntent(intent: TransitionIntent, binding: CatalogBinding): Promise<TransitionOutcome> {
    const state = await deps.presence.confirmWrite(intent.agentId, intent.presenceId, intent.fromVersion);
    if (!state) throw new GenesysError('unavailable', `could not read the state of user ${intent.agentId}`, true);
    if (showsWriteOver(state, intent.presenceId, intent.fromVersion)) return recordApplied(intent, binding, state);
    await store.transitions.dropIntent(intent.requestId);
    return notAppliedOutcome();
  }

  /**
   * Settles every unsettled intent of an agent. Called under the agent's lock before anything else reads or
   * writes the agent, so that a later write is never taken as evidence for an earlier intent. The outcomes
   * of other requests are audited and announced (and counted in `recorded` when they landed); the outcome
   * of `requestId`'s own intent is returned as `own`.
   */
  async function settleAgent(agentId: string, binding: CatalogBinding, requestId?: string) {
    let own: TransitionOutcome | undefined;
    let recorded = 0;
    for (const intent of await store.transitions.pendingIntents(agentId)) {
      const done = await store.transitions.findOutcome(intent.requestId);
      if (done?.outcome.kind === 'applied') {
        // A stale copy of an intent already settled (by another process): nothing is left to do or say.
        await store.transitions.dropIntent(intent.requestId);
        if (intent.requestId === requestId) own = done.outcome;
        continue;
      }
      const outcome = await settleIntent(intent, binding);
      deps.logger.warn(
        { requestId: intent.requestId, agentId, landed: outcome.kind === 'applied' },
        outcome.kind === 'applied'
          ? 'settled a change that was written but not recorded'
          : 'dropped an unfinished change that never reached Genesys',
      );
      if (intent.requestId === requestId) {
        own = outcome;
        continue;
      }
      const from = outcome.kind === 'applied' ? 'recorded' : 'new';
      if (from === 'recorded') recorded += 1;
      await finish(intent.request, { outcome, from }, performance.now(), 'settled after its request answered');
      deps.onSettled?.(intent.request, outcome);
    }
    return { own, recorded };
  }

  /**
   * Takes the locks in the order given, all or none, waiting up to `waitMs` for each. Resolves with them
   * (renewed every `lockRenewEveryMs` until released), or with undefined when one stays busy past the wait
   * (the caller answers with `locksBusyOutcome`).
   */
  async function lockAll(keys: readonly string[], waitMs = lockWaitMs): Promise<HeldLocks | undefined> {
    const held: Lock[] = [];
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    const renewAll = async () => (await Promise.all(held.map((lock) => lock.renew(lockTtlMs)))).every(Boolean);
    const release = async () => {
      clearInterval(heartbeat);
      for (const lock of [...held].reverse()) await lock.release().catch(() => {});
    };
    try {
      for (const key of keys) held.push(await store.locks.acquire(key, lockTtlMs, waitMs));
    } catch {
      await release();
      return undefined;
    }
    // A lost lock shows at the next fence; the heartbeat only keeps others from taking a lock still in use.
    heartbeat = setInterval(() => void renewAll().catch(() => false), lockRenewEveryMs);
    heartbeat.unref();
    return {
      release,
      async fence() {
        return (await renewAll()) ? { withinMs: lockTtlMs - FENCE_MARGIN_MS } : undefined;
      },
    };
  }

  /** The members of `teamIds` that can be mapped to Genesys users. */
  async function teamMembers(teamIds: readonly string[]): Promise<ResolvedPerson[]> {
    return (await resolveTeamMembers(policy, deps.directory, teamIds)).members.map((m) => m.person);
  }

  /**
   * The target's live state and the statuses of the members of `teamIds` (for caps and the staffing floor),
   * in one read: the team costs no more than the agent alone.
   */
  async function readTarget(binding: CatalogBinding, agentId: string, teamIds: readonly string[]) {
    const members = teamIds.length === 0 ? [] : await teamMembers(teamIds);
    const states = await deps.presence.states([agentId, ...members.map((m) => m.genesysUserId)]);
    const byId = new Map(states.map((state) => [state.agentId, state]));
    const current = byId.get(agentId);
    if (!current) throw new GenesysError('not_found', `Genesys has no user ${agentId}`, false);
    const teamStates: MemberStatus[] = members.flatMap((member) => {
      const state = byId.get(member.genesysUserId);
      if (!state) return [];
      const { email, slackUserId } = member;
      return [{ email, slackUserId, status: statusNameOfPresence(binding, state.presenceId) }];
    });
    return { current, teamStates };
  }

  function recordOf(request: TransitionRequest, outcome: TransitionOutcome, reason?: string): TransitionRecord {
    return {
      requestId: request.requestId,
      actorSlackId: request.actor.slackUserId,
      agentId: request.target.genesysUserId,
      agentEmail: request.target.email,
      fromStatus: 'from' in outcome ? outcome.from.status : undefined,
      toStatus: request.to,
      reason,
      outcome,
      decidedAt: now().toISOString(),
    };
  }

  /** Records what is not recorded yet, then audit, metrics and the applied hook: once per decision. */
  async function finish(request: TransitionRequest, decision: Decision, started: number, note?: string) {
    const { outcome } = decision;
    if (decision.from === 'store') {
      deps.logger.debug(
        { requestId: request.requestId, outcome: outcome.kind },
        'repeated request answered from the store',
      );
      return outcome;
    }
    // A failure is not final: the same request may be tried again; nor is an unknown fate, settled later.
    if (decision.from === 'new' && outcome.kind !== 'failed' && outcome.kind !== 'unknown') {
      await store.transitions.recordTransition(recordOf(request, outcome));
    }
    const latencySeconds = (performance.now() - started) / 1000;
    const status = catalogNameOf(policy, request.to) ?? UNKNOWN_STATUS_LABEL;
    deps.metrics.observeDecision(status, outcome.kind, latencySeconds);
    if (outcome.kind === 'refused') deps.metrics.countRefusal(outcome.code);
    if (outcome.kind === 'conflict') deps.metrics.countConflict();
    deps.audit.record({
      requestId: request.requestId,
      actor: request.actor.slackUserId,
      target: request.target.email,
      from:
        outcome.kind === 'applied' ? outcome.from.status : 'current' in outcome ? outcome.current.status : undefined,
      to: request.to,
      reason: request.reason,
      outcome: outcome.kind,
      code: outcome.kind === 'refused' ? outcome.code : undefined,
      source: request.source,
      latencyMs: Math.round(latencySeconds * 1000),
      override: request.overrideFloor ? 'staffing-floor' : undefined,
      note,
    });
    if (outcome.kind === 'applied') deps.onApplied?.(request, outcome);
    return outcome;
  }

  return {
    now,
    precheck,
    unchanged,
    evaluate,
    recordIntent,
    recordApplied,
    settleIntent,
    settleAgent,
    lockAll,
    teamMembers,
    readTarget,
    finish,
    failure: (error: unknown, request: TransitionRequest) => failureOutcome(error, deps.logger, request),
  };
}
