/**
 * The one path every status change takes (DESIGN §3): authorize → validate → lock → read → compare →
 * write → read back → record (with its payroll event) → audit and metrics.
 *
 * Genesys has no conditional write, so the pipeline makes its own: under a per-agent lock it compares the
 * version the user saw with the live one, writes, and reads back. Teams with caps or a staffing floor are
 * locked too, so two concurrent requests can never both take the last slot.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PayrollEvent } from '../domain/payroll-event.js';
import { type AgentState, presenceIdOfVersion, presenceVersion } from '../domain/presence.js';
import type { Actor, StatusSnapshot, TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import type { AuditLog } from '../obs/audit.js';
import type { PipelineMetrics } from '../obs/metrics.js';
import { bindCatalog, type CatalogBinding, statusNameOfPresence } from '../policy/binding.js';
import { onQueueStatusName, resolveStatus } from '../policy/catalog.js';
import { evaluateTransition } from '../policy/evaluate.js';
import type { MemberStatus } from '../policy/limits.js';
import { canChange, type Person, teamsOf } from '../policy/roles.js';
import type { Policy } from '../policy/schema.js';
import type { Refusal } from '../policy/verdict.js';
import {
  GenesysError,
  type GenesysPort,
  type Lock,
  type PeopleDirectory,
  type Store,
  type TransitionRecord,
} from './ports.js';

export interface PipelineDeps {
  policy: Policy;
  genesys: GenesysPort;
  store: Store;
  directory: PeopleDirectory;
  audit: AuditLog;
  metrics: PipelineMetrics;
  logger: Logger;
  now?: () => Date;
  /** A crashed holder blocks an agent for at most this long. */
  lockTtlMs?: number;
  /** How long a request waits for another change of the same agent or team to finish. */
  lockWaitMs?: number;
  /** Called after an applied change is recorded: wake the outbox, refresh App Home, notify. */
  onApplied?: (request: TransitionRequest, outcome: Extract<TransitionOutcome, { kind: 'applied' }>) => void;
}

export interface TransitionPipeline {
  submit(request: TransitionRequest): Promise<TransitionOutcome>;
  /**
   * Many changes at once (shift handovers): validated one by one against the evolving team state, written
   * with Genesys's bulk endpoint, read back and recorded each with its own outcome and payroll event.
   * `onProgress` is called as agents complete.
   */
  submitBatch(
    requests: readonly TransitionRequest[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<TransitionOutcome[]>;
  /**
   * Reverts the actor's latest applied change within the policy's undo window, as a new transition
   * (validated and audited like any other). `requestId` makes the undo itself idempotent.
   */
  undo(actor: Actor, requestId: string): Promise<TransitionOutcome>;
  /** The agent's latest decisions, newest first (at most the policy's `history.limit`). */
  history(agentId: string): Promise<TransitionRecord[]>;
}

/**
 * Where a decision came from: replayed from the store (same request id), recorded together with its
 * payroll event inside the lock, or new and still to be recorded.
 */
interface Decision {
  outcome: TransitionOutcome;
  from: 'store' | 'recorded' | 'new';
}

/** Ends a decision early from deep inside the locked section. */
class EarlyOutcome extends Error {
  constructor(readonly outcome: TransitionOutcome) {
    super(outcome.kind);
  }
}

export function createTransitionPipeline(deps: PipelineDeps): TransitionPipeline {
  const now = deps.now ?? (() => new Date());
  const lockTtlMs = deps.lockTtlMs ?? 30_000;
  const lockWaitMs = deps.lockWaitMs ?? 10_000;
  const { policy, genesys, store } = deps;

  async function decide(request: TransitionRequest): Promise<Decision> {
    const stored = await store.transitions.findOutcome(request.requestId);
    if (stored) return { outcome: stored.outcome, from: 'store' };

    const actor: Person = { email: request.actor.email, slackUserId: request.actor.slackUserId };
    const target: Person = { email: request.target.email, slackUserId: request.target.slackUserId };
    // Checks that need no live state come first, so bad requests never take a lock.
    const right = canChange(policy, actor, target);
    if (!right.ok) return { outcome: refusedOutcome(right), from: 'new' };
    const resolved = resolveStatus(policy, request.to);
    if (!resolved.ok) return { outcome: refusedOutcome(resolved), from: 'new' };
    const binding = bindCatalog(policy, await genesys.listPresenceDefinitions());
    const presenceId = binding.presenceIdByStatus.get(resolved.name);
    if (!presenceId) {
      return {
        outcome: {
          kind: 'refused',
          code: 'unknown_status',
          message: `"${resolved.name}" cannot be set: the Genesys org has no matching presence. Ask an admin to check the policy.`,
        },
        from: 'new',
      };
    }

    const limitedTeams = teamsOf(policy, target).filter((id) => {
      const team = policy.teams[id]!;
      return team.caps[resolved.name] !== undefined || team.onQueueFloor > 0;
    });
    const locks = await acquireAll([
      ...limitedTeams.sort().map((id) => `team:${id}`),
      `agent:${request.target.genesysUserId}`,
    ]);
    try {
      // A retry of the same request may have waited for the lock the first delivery held.
      const settled = await store.transitions.findOutcome(request.requestId);
      if (settled) return { outcome: settled.outcome, from: 'store' };

      const current = await genesys.getAgentState(request.target.genesysUserId);
      const from = snapshot(binding, current);
      const currentVersion = presenceVersion(current);
      if (request.seenVersion && !request.force && request.seenVersion !== currentVersion) {
        const seenPresence = presenceIdOfVersion(request.seenVersion);
        return {
          outcome: {
            kind: 'conflict',
            seen: seenPresence === current.presenceId ? undefined : snapshotOf(binding, seenPresence, 'OFF_QUEUE'),
            current: from,
            currentVersion,
            changedAt: current.modifiedDate,
          },
          from: 'new',
        };
      }
      if (current.presenceId === presenceId) {
        return { outcome: { kind: 'noop', current: from, version: currentVersion }, from: 'new' };
      }

      const onQueue = onQueueStatusName(policy);
      const teamStates = await memberStates(
        binding,
        limitedTeams.filter((id) => policy.teams[id]!.caps[resolved.name] !== undefined || from.status === onQueue),
      );
      const verdict = evaluateTransition(policy, {
        actor,
        target,
        from: from.status,
        enteredAt: current.modifiedDate,
        to: resolved.name,
        reason: request.reason,
        overrideFloor: request.overrideFloor,
        teamStates,
        now: now(),
      });
      if (!verdict.ok) return { outcome: refusedOutcome(verdict), from: 'new' };
      if (verdict.floorOverriddenFor.length > 0) {
        deps.logger.warn(
          { requestId: request.requestId, teams: verdict.floorOverriddenFor, actor: request.actor.slackUserId },
          'on-queue staffing floor overridden',
        );
      }

      await genesys.setPresence(request.target.genesysUserId, presenceId, verdict.reason);
      const after = await genesys.getAgentState(request.target.genesysUserId);
      const to = snapshot(binding, after);
      if (after.presenceId !== presenceId) {
        // Someone else wrote between our write and the read-back: theirs is what Genesys shows now.
        return {
          outcome: {
            kind: 'conflict',
            current: to,
            currentVersion: presenceVersion(after),
            changedAt: after.modifiedDate,
          },
          from: 'new',
        };
      }
      const outcome: TransitionOutcome = {
        kind: 'applied',
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
          reason: verdict.reason ?? null,
          changedAt: after.modifiedDate,
          changedBy: request.actor.slackUserId,
          source: 'slack',
          requestId: request.requestId,
        },
      };
      await store.transitions.recordTransition(recordOf(request, outcome, verdict.reason), event);
      return { outcome, from: 'recorded' };
    } finally {
      for (const lock of locks.reverse()) await lock.release().catch(() => {});
    }
  }

  async function acquireAll(keys: string[]): Promise<Lock[]> {
    const held: Lock[] = [];
    try {
      for (const key of keys) held.push(await store.locks.acquire(key, lockTtlMs, lockWaitMs));
      return held;
    } catch {
      for (const lock of held.reverse()) await lock.release().catch(() => {});
      throw new EarlyOutcome({
        kind: 'failed',
        retryable: true,
        message: 'Another change to this agent or team is still in progress. Try again in a few seconds.',
      });
    }
  }

  /** Live statuses of the members of `teamIds`, for caps and the staffing floor. */
  async function memberStates(binding: CatalogBinding, teamIds: string[]): Promise<MemberStatus[]> {
    if (teamIds.length === 0) return [];
    const entries = [...new Set(teamIds.flatMap((id) => policy.teams[id]!.members))];
    const people = (await Promise.all(entries.map((entry) => deps.directory.resolve(entry)))).filter(
      (p) => p !== undefined,
    );
    const states = await genesys.getAgentStates(people.map((p) => p.genesysUserId));
    const byId = new Map(states.map((s) => [s.agentId, s]));
    return people.flatMap((person) => {
      const state = byId.get(person.genesysUserId);
      if (!state) return [];
      return [
        {
          email: person.email,
          slackUserId: person.slackUserId,
          status: statusNameOfPresence(binding, state.presenceId),
        },
      ];
    });
  }

  function recordOf(request: TransitionRequest, outcome: TransitionOutcome, reason?: string) {
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

  async function submit(request: TransitionRequest): Promise<TransitionOutcome> {
    const started = performance.now();
    let decision: Decision;
    try {
      decision = await decide(request);
    } catch (error) {
      const outcome = error instanceof EarlyOutcome ? error.outcome : failureOutcome(error, deps.logger, request);
      decision = { outcome, from: 'new' };
    }
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
    deps.metrics.transitions.inc({ outcome: outcome.kind });
    deps.metrics.stateUpdateLatency.observe({ status: request.to.toLowerCase(), result: outcome.kind }, latencySeconds);
    if (outcome.kind === 'refused') deps.metrics.validationErrors.inc({ error_type: outcome.code });
    if (outcome.kind === 'conflict') deps.metrics.conflicts.inc();
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
    });
    if (outcome.kind === 'applied') deps.onApplied?.(request, outcome);
    return outcome;
  }

  return {
    submit,
    async submitBatch(requests, onProgress) {
      const outcomes: TransitionOutcome[] = [];
      for (const request of requests) {
        outcomes.push(await submit(request));
        onProgress?.(outcomes.length, requests.length);
      }
      return outcomes;
    },
    async undo(actor, requestId) {
      const last = await store.transitions.lastAppliedBy(actor.slackUserId);
      const windowSeconds = policy.undo.windowSeconds;
      if (last?.outcome.kind !== 'applied' || !last.agentEmail) {
        return { kind: 'refused', code: 'not_allowed', message: 'You have no recent change to undo.' };
      }
      const ageSeconds = (now().getTime() - Date.parse(last.decidedAt)) / 1000;
      if (ageSeconds > windowSeconds) {
        return {
          kind: 'refused',
          code: 'not_allowed',
          message: `Your last change was ${Math.round(ageSeconds / 60)} min ago; undo works for ${Math.round(windowSeconds / 60)} min. Set the status you want instead.`,
        };
      }
      return submit({
        requestId,
        actor,
        target: { genesysUserId: last.agentId, email: last.agentEmail },
        to: last.outcome.from.status,
        // Undo only what the actor did: if the agent moved on since, that is a conflict to show.
        seenVersion: last.outcome.version,
        source: 'undo',
      });
    },
    history(agentId) {
      return store.transitions.history(agentId, policy.history.limit);
    },
  };
}

function snapshot(binding: CatalogBinding, state: AgentState): StatusSnapshot {
  return snapshotOf(binding, state.presenceId, state.routingStatus);
}

function snapshotOf(
  binding: CatalogBinding,
  presenceId: string,
  routingStatus: AgentState['routingStatus'],
): StatusSnapshot {
  return {
    status: statusNameOfPresence(binding, presenceId),
    presenceId,
    presenceLabel: binding.labelByPresenceId.get(presenceId) ?? presenceId,
    routingStatus,
  };
}

function refusedOutcome(refusal: Refusal): TransitionOutcome {
  return { kind: 'refused', code: refusal.code, message: refusal.message, suggestions: refusal.suggestions };
}

/** Words a failure for the person in Slack; the details go to the log. */
function failureOutcome(error: unknown, logger: Logger, request: TransitionRequest): TransitionOutcome {
  logger.error({ err: error, requestId: request.requestId }, 'status change failed');
  if (error instanceof GenesysError) {
    const message =
      error.kind === 'forbidden'
        ? `Genesys refused the change: ${error.message}. Ask an admin to grant the OAuth client that permission.`
        : error.kind === 'not_found'
          ? 'Genesys does not know this agent any more. Ask an admin to check the team list.'
          : error.retryable
            ? 'Genesys is not answering right now. Nothing was changed; try again in a minute.'
            : `Genesys rejected the change: ${error.message}`;
    return { kind: 'failed', retryable: error.retryable, message };
  }
  return {
    kind: 'failed',
    retryable: true,
    message: 'Something went wrong on our side. Nothing was changed; try again.',
  };
}
