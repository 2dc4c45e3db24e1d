/**
 * The steps a single change and a batch share, built once over the pipeline's dependencies: the checks that
 * need no live state, the comparison with Genesys, locking, recording (with the payroll event) and the
 * audit, metrics and hook that close every decision.
 */
import { randomUUID } from 'node:crypto';
import type { PayrollEvent } from '../domain/payroll-event.js';
import { type AgentState, parsePresenceVersion, presenceVersion } from '../domain/presence.js';
import type { TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import { type CatalogBinding, statusNameOfPresence } from '../policy/binding.js';
import { catalogNameOf, resolveStatus } from '../policy/catalog.js';
import { evaluateTransition } from '../policy/evaluate.js';
import type { MemberStatus } from '../policy/limits.js';
import { canChange, type Person, teamsOf } from '../policy/roles.js';
import type { Policy } from '../policy/schema.js';
import { loadMemberStates, resolveTeamMembers } from './directory.js';
import { conflictOutcome, failureOutcome, refusedOutcome } from './outcomes.js';
import {
  type AuditLog,
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
} from './ports.js';
import { snapshot, snapshotOf } from './snapshot.js';

export interface PipelineDeps {
  policy: Policy;
  genesys: GenesysPort;
  store: Store;
  directory: PeopleDirectory;
  audit: AuditLog;
  metrics: PipelineMetrics;
  logger: Log;
  now?: () => Date;
  /** A crashed holder blocks an agent for at most this long. */
  lockTtlMs?: number;
  /** How long a request waits for another change of the same agent or team to finish. */
  lockWaitMs?: number;
  /** Called after an applied change is recorded: wake the outbox, refresh App Home, notify. */
  onApplied?: (request: TransitionRequest, outcome: Extract<TransitionOutcome, { kind: 'applied' }>) => void;
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
  const lockWaitMs = deps.lockWaitMs ?? 10_000;
  const { policy, genesys, store } = deps;

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
        eventId: randomUUID(),
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
   * Decides an intent whose write may or may not have landed: Genesys showing the intended presence with a
   * newer version means it did (record it with its event); anything else means it did not (forget it).
   */
  async function settleIntent(intent: TransitionIntent, binding: CatalogBinding) {
    const state = await genesys.getAgentState(intent.agentId);
    if (state.presenceId === intent.presenceId && presenceVersion(state) !== intent.fromVersion) {
      return recordApplied(intent, binding, state);
    }
    await store.transitions.dropIntent(intent.requestId);
    return undefined;
  }

  /**
   * Takes the locks in the order given, all or none. Resolves with their release, or with undefined when one
   * stays busy past the wait (the caller answers with `locksBusyOutcome`).
   */
  async function lockAll(keys: readonly string[]): Promise<(() => Promise<void>) | undefined> {
    const held: Lock[] = [];
    const release = async () => {
      for (const lock of held.reverse()) await lock.release().catch(() => {});
    };
    try {
      for (const key of keys) held.push(await store.locks.acquire(key, lockTtlMs, lockWaitMs));
      return release;
    } catch {
      await release();
      return undefined;
    }
  }

  /** The members of `teamIds` that can be mapped to Genesys users. */
  async function teamMembers(teamIds: readonly string[]): Promise<ResolvedPerson[]> {
    return (await resolveTeamMembers(policy, deps.directory, teamIds)).members.map((m) => m.person);
  }

  /** Live statuses of the members of `teamIds`, for caps and the staffing floor. */
  async function memberStates(binding: CatalogBinding, teamIds: string[]): Promise<MemberStatus[]> {
    if (teamIds.length === 0) return [];
    const { members } = await resolveTeamMembers(policy, deps.directory, teamIds);
    return (await loadMemberStates(genesys, binding, members)).map(({ member, snapshot }) => ({
      email: member.person.email,
      slackUserId: member.person.slackUserId,
      status: snapshot.status,
    }));
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
    // A failure is not final: the same request may be tried again.
    if (decision.from === 'new' && outcome.kind !== 'failed') {
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
    lockAll,
    teamMembers,
    memberStates,
    finish,
    failure: (error: unknown, request: TransitionRequest) => failureOutcome(error, deps.logger, request),
  };
}
