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
import { echoTyped } from '../policy/wording.js';
import {
  GenesysError,
  type GenesysPort,
  type Lock,
  type PeopleDirectory,
  type ResolvedPerson,
  type Store,
  type TransitionIntent,
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
  /**
   * Settles writes a crash left unrecorded (run at start-up): each one that landed in Genesys is recorded
   * with its payroll event, the others are forgotten. Resolves with how many were recorded.
   */
  recover(): Promise<number>;
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
/** Agents per bulk write and read-back in a batch: Genesys's bulk presence limit (see the Genesys client). */
const BATCH_CHUNK = 50;

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

    const binding = bindCatalog(policy, await genesys.listPresenceDefinitions());
    const checked = precheck(request, binding);
    if ('kind' in checked) return { outcome: checked, from: 'new' };
    const { actor, target, resolved, presenceId, limitedTeams } = checked;
    const locks = await acquireAll([
      ...limitedTeams.sort().map((id) => `team:${id}`),
      `agent:${request.target.genesysUserId}`,
    ]);
    try {
      // A retry of the same request may have waited for the lock the first delivery held.
      const settled = await store.transitions.findOutcome(request.requestId);
      if (settled) return { outcome: settled.outcome, from: 'store' };
      // An earlier delivery of this request wrote but did not get to record it (a timeout or a crash).
      const unsettled = await store.transitions.findIntent(request.requestId);
      const recovered = unsettled ? await settleIntent(unsettled, binding) : undefined;
      if (recovered) return { outcome: recovered, from: 'recorded' };

      const current = await genesys.getAgentState(request.target.genesysUserId);
      const from = snapshot(binding, current);
      const currentVersion = presenceVersion(current);
      const stale = staleConflict(request, binding, current);
      if (stale) return { outcome: stale, from: 'new' };
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

      const intent: TransitionIntent = {
        requestId: request.requestId,
        agentId: request.target.genesysUserId,
        presenceId,
        fromVersion: currentVersion,
        from,
        request,
        reason: verdict.reason,
        createdAt: now().toISOString(),
      };
      await store.transitions.recordIntent(intent);
      let after: AgentState;
      try {
        await genesys.setPresence(request.target.genesysUserId, presenceId, verdict.reason);
        after = await genesys.getAgentState(request.target.genesysUserId);
      } catch (error) {
        // A call that timed out may still have landed: settle it now rather than report a failure.
        const settled = await settleIntent(intent, binding).catch(() => undefined);
        if (settled) return { outcome: settled, from: 'recorded' };
        throw error;
      }
      if (after.presenceId !== presenceId) {
        // Someone else wrote between our write and the read-back: theirs is what Genesys shows now.
        return {
          outcome: {
            kind: 'conflict',
            current: snapshot(binding, after),
            currentVersion: presenceVersion(after),
            changedAt: after.modifiedDate,
          },
          from: 'new',
        };
      }
      const outcome = await recordApplied(intent, binding, after);
      return { outcome, from: 'recorded' };
    } finally {
      for (const lock of locks.reverse()) await lock.release().catch(() => {});
    }
  }

  /** A conflict when the user saw another version than the live one (unless they chose to apply anyway). */
  function staleConflict(request: TransitionRequest, binding: CatalogBinding, current: AgentState) {
    const currentVersion = presenceVersion(current);
    if (!request.seenVersion || request.force || request.seenVersion === currentVersion) return undefined;
    const seenPresence = presenceIdOfVersion(request.seenVersion);
    return {
      kind: 'conflict' as const,
      seen: seenPresence === current.presenceId ? undefined : snapshotOf(binding, seenPresence, 'OFF_QUEUE'),
      current: snapshot(binding, current),
      currentVersion,
      changedAt: current.modifiedDate,
    };
  }

  /**
   * Checks that need no live state, done before any lock so bad requests never take one: authorization,
   * the status name, and whether the org has that presence.
   */
  function precheck(request: TransitionRequest, binding: CatalogBinding) {
    const actor: Person = { email: request.actor.email, slackUserId: request.actor.slackUserId };
    const target: Person = { email: request.target.email, slackUserId: request.target.slackUserId };
    const right = canChange(policy, actor, target);
    if (!right.ok) return refusedOutcome(right);
    const resolved = resolveStatus(policy, request.to);
    if (!resolved.ok) return refusedOutcome(resolved);
    const presenceId = binding.presenceIdByStatus.get(resolved.name);
    if (!presenceId) {
      return {
        kind: 'refused' as const,
        code: 'unknown_status' as const,
        message: `"${resolved.name}" cannot be set: the Genesys org has no matching presence. Ask an admin to check the policy.`,
      };
    }
    // Teams whose caps or staffing floor this change may touch: locked for the whole decision.
    const limitedTeams = teamsOf(policy, target).filter((id) => {
      const team = policy.teams[id]!;
      return team.caps[resolved.name] !== undefined || team.onQueueFloor > 0;
    });
    return { actor, target, resolved, presenceId, limitedTeams };
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

  /** The members of `teamIds` that can be mapped to Genesys users. */
  async function teamMembers(teamIds: readonly string[]): Promise<ResolvedPerson[]> {
    const entries = [...new Set(teamIds.flatMap((id) => policy.teams[id]!.members))];
    const people = await Promise.all(entries.map((entry) => deps.directory.resolve(entry)));
    return people.filter((p) => p !== undefined);
  }

  /** Live statuses of the members of `teamIds`, for caps and the staffing floor. */
  async function memberStates(binding: CatalogBinding, teamIds: string[]): Promise<MemberStatus[]> {
    if (teamIds.length === 0) return [];
    const people = await teamMembers(teamIds);
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
      decision = { outcome: failureOf(error, request), from: 'new' };
    }
    return finish(request, decision, started);
  }

  function failureOf(error: unknown, request: TransitionRequest): TransitionOutcome {
    return error instanceof EarlyOutcome ? error.outcome : failureOutcome(error, deps.logger, request);
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
      note,
    });
    if (outcome.kind === 'applied') deps.onApplied?.(request, outcome);
    return outcome;
  }

  async function submitBatch(
    requests: readonly TransitionRequest[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<TransitionOutcome[]> {
    const started = performance.now();
    const outcomes: TransitionOutcome[] = [];
    let done = 0;
    const settle = async (index: number, decision: Decision) => {
      outcomes[index] = await finish(requests[index]!, decision, started);
      done += 1;
      onProgress?.(done, requests.length);
    };

    const binding = bindCatalog(policy, await genesys.listPresenceDefinitions());
    const candidates: {
      index: number;
      request: TransitionRequest;
      checked: Exclude<ReturnType<typeof precheck>, TransitionOutcome>;
    }[] = [];
    const listed = new Set<string>();
    for (const [index, request] of requests.entries()) {
      const stored = await store.transitions.findOutcome(request.requestId);
      if (stored) {
        await settle(index, { outcome: stored.outcome, from: 'store' });
        continue;
      }
      if (listed.has(request.target.genesysUserId)) {
        const message = `${request.target.email} is listed twice in this change; only the first entry counts.`;
        await settle(index, { outcome: { kind: 'refused', code: 'not_allowed', message }, from: 'new' });
        continue;
      }
      listed.add(request.target.genesysUserId);
      const checked = precheck(request, binding);
      if ('kind' in checked) await settle(index, { outcome: checked, from: 'new' });
      else candidates.push({ index, request, checked });
    }
    if (candidates.length === 0) return outcomes;

    const teamIds = [...new Set(candidates.flatMap((c) => c.checked.limitedTeams))].sort();
    const agentIds = [...listed].sort();
    let locks: Lock[];
    try {
      locks = await acquireAll([...teamIds.map((id) => `team:${id}`), ...agentIds.map((id) => `agent:${id}`)]);
    } catch (error) {
      for (const c of candidates) await settle(c.index, { outcome: failureOf(error, c.request), from: 'new' });
      return outcomes;
    }
    const pending = new Set(candidates.map((c) => c.index));
    try {
      // One bulk read for every target and every member of their limited teams.
      const members = await teamMembers(teamIds);
      const states = await genesys.getAgentStates([...new Set([...agentIds, ...members.map((m) => m.genesysUserId)])]);
      const stateById = new Map(states.map((state) => [state.agentId, state]));
      // The team as it will be once the accepted entries land, so later entries see earlier ones' slots.
      const planned = new Map<string, string>();
      for (const member of members) {
        const state = stateById.get(member.genesysUserId);
        if (state) planned.set(member.email.toLowerCase(), statusNameOfPresence(binding, state.presenceId));
      }
      const writes: { index: number; intent: TransitionIntent }[] = [];
      for (const { index, request, checked } of candidates) {
        const current = stateById.get(request.target.genesysUserId);
        const early = !current
          ? failureOf(new GenesysError('not_found', 'no such user', false), request)
          : (staleConflict(request, binding, current) ??
            (current.presenceId === checked.presenceId
              ? { kind: 'noop' as const, current: snapshot(binding, current), version: presenceVersion(current) }
              : undefined));
        if (early || !current) {
          pending.delete(index);
          await settle(index, { outcome: early!, from: 'new' });
          continue;
        }
        const from = snapshot(binding, current);
        const verdict = evaluateTransition(policy, {
          actor: checked.actor,
          target: checked.target,
          from: from.status,
          enteredAt: current.modifiedDate,
          to: checked.resolved.name,
          reason: request.reason,
          overrideFloor: request.overrideFloor,
          teamStates: members.flatMap((m) => {
            const status = planned.get(m.email.toLowerCase());
            return status ? [{ email: m.email, slackUserId: m.slackUserId, status }] : [];
          }),
          now: now(),
        });
        if (!verdict.ok) {
          pending.delete(index);
          await settle(index, { outcome: refusedOutcome(verdict), from: 'new' });
          continue;
        }
        planned.set(request.target.email.toLowerCase(), checked.resolved.name);
        const intent: TransitionIntent = {
          requestId: request.requestId,
          agentId: request.target.genesysUserId,
          presenceId: checked.presenceId,
          fromVersion: presenceVersion(current),
          from,
          request,
          reason: verdict.reason,
          createdAt: now().toISOString(),
        };
        await store.transitions.recordIntent(intent);
        writes.push({ index, intent });
      }

      // Written in chunks of Genesys's bulk size so progress shows while a large handover runs.
      for (let offset = 0; offset < writes.length; offset += BATCH_CHUNK) {
        const chunk = writes.slice(offset, offset + BATCH_CHUNK);
        const results = await genesys
          .setPresences(chunk.map(({ intent }) => ({ agentId: intent.agentId, presenceId: intent.presenceId })))
          .catch((error: unknown) =>
            chunk.map(({ intent }) => ({
              agentId: intent.agentId,
              ok: false,
              error: failureOf(error, intent.request),
            })),
          );
        const after = await genesys.getAgentStates(chunk.map(({ intent }) => intent.agentId)).catch(() => []);
        const afterById = new Map(after.map((state) => [state.agentId, state]));
        for (const { index, intent } of chunk) {
          pending.delete(index);
          const state = afterById.get(intent.agentId);
          const result = results.find((r) => r.agentId === intent.agentId);
          if (state && state.presenceId === intent.presenceId && presenceVersion(state) !== intent.fromVersion) {
            await settle(index, { outcome: await recordApplied(intent, binding, state), from: 'recorded' });
          } else if (state && result?.ok) {
            await settle(index, {
              outcome: {
                kind: 'conflict',
                current: snapshot(binding, state),
                currentVersion: presenceVersion(state),
                changedAt: state.modifiedDate,
              },
              from: 'new',
            });
          } else {
            // Known not to have landed: forget the intent. Unknown (no read-back): keep it for recovery.
            if (state) await store.transitions.dropIntent(intent.requestId);
            const failure = result?.error;
            const outcome: TransitionOutcome =
              typeof failure === 'object'
                ? failure
                : {
                    kind: 'failed',
                    retryable: true,
                    message: `Genesys did not take the change${failure ? `: ${failure}` : ''}. Try again.`,
                  };
            await settle(index, { outcome, from: 'new' });
          }
        }
      }
    } catch (error) {
      for (const index of pending) await settle(index, { outcome: failureOf(error, requests[index]!), from: 'new' });
    } finally {
      for (const lock of locks.reverse()) await lock.release().catch(() => {});
    }
    return outcomes;
  }

  return {
    submit,
    submitBatch,
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
    async recover() {
      const intents = await store.transitions.pendingIntents();
      if (intents.length === 0) return 0;
      const binding = bindCatalog(policy, await genesys.listPresenceDefinitions());
      let recovered = 0;
      for (const intent of intents) {
        const locks = await acquireAll([`agent:${intent.agentId}`]);
        try {
          const outcome = await settleIntent(intent, binding);
          deps.logger.warn(
            { requestId: intent.requestId, agentId: intent.agentId, landed: Boolean(outcome) },
            outcome
              ? 'recovered a change that was written but not recorded'
              : 'dropped an unfinished change that never reached Genesys',
          );
          if (!outcome) continue;
          recovered += 1;
          await finish(intent.request, { outcome, from: 'recorded' }, performance.now(), 'recovered after restart');
        } finally {
          for (const lock of locks.reverse()) await lock.release().catch(() => {});
        }
      }
      return recovered;
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
        ? `Genesys refused the change: ${echoTyped(error.message, 300)}. Ask an admin to grant the OAuth client that permission.`
        : error.kind === 'not_found'
          ? 'Genesys does not know this agent any more. Ask an admin to check the team list.'
          : error.retryable
            ? 'Genesys is not answering right now. Nothing was changed; try again in a minute.'
            : `Genesys rejected the change: ${echoTyped(error.message, 300)}`;
    return { kind: 'failed', retryable: error.retryable, message };
  }
  return {
    kind: 'failed',
    retryable: true,
    message: 'Something went wrong on our side. Nothing was changed; try again.',
  };
}
