/**
 * The one path every status change takes (DESIGN §3): authorize → validate → lock → read → compare →
 * write → confirm → record (with its payroll event) → audit and metrics.
 *
 * Genesys has no conditional write, so the pipeline makes its own: under a per-agent lock it compares the
 * version the user saw with the live one, writes, and confirms the write (by its notification, else a read).
 * Teams with caps or a staffing floor are locked too, so two concurrent requests can never both take the last
 * slot.
 */
import type { Actor, TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import { bindCatalog, type CatalogBinding } from '../policy/binding.js';
import { submitBatch } from './batch.js';
import { conflictOutcome, lockLostOutcome, locksBusyOutcome, refusedOutcome, unknownOutcome } from './outcomes.js';
import { GenesysError, type TransitionIntent, type TransitionRecord, type WriteBudget } from './ports.js';
import { createPipelineSteps, type Decision, type HeldLocks, type PipelineDeps } from './steps.js';

export type { PipelineDeps } from './steps.js';

/** How an undo ended, with the change it made when it made one (absent when there was nothing to undo). */
export interface UndoResult {
  request?: TransitionRequest;
  outcome: TransitionOutcome;
}

export interface TransitionPipeline {
  submit(request: TransitionRequest): Promise<TransitionOutcome>;
  /**
   * Many changes at once (shift handovers): validated one by one against the evolving team state, written
   * with Genesys's bulk endpoint, confirmed and recorded each with its own outcome and payroll event.
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
  undo(actor: Actor, requestId: string): Promise<UndoResult>;
  /**
   * One pass over the writes left unsettled (a crash, or a write whose fate was unknown): each agent whose
   * lock is free has its intents settled; those that landed in Genesys are recorded with their payroll
   * event, the others forgotten, and each outcome is announced through `onSettled`. Agents still locked
   * wait for a later pass. Resolves with how many changes were recorded.
   */
  recover(): Promise<number>;
}

export function createTransitionPipeline(deps: PipelineDeps): TransitionPipeline {
  const { policy, genesys, store } = deps;
  const steps = createPipelineSteps(deps);

  async function decide(request: TransitionRequest): Promise<Decision> {
    const stored = await store.transitions.findOutcome(request.requestId);
    if (stored) return { outcome: stored.outcome, from: 'store' };

    const binding = bindCatalog(policy, await genesys.listPresenceDefinitions());
    const checked = steps.precheck(request, binding);
    if ('kind' in checked) return { outcome: checked, from: 'new' };
    const { limitedTeams } = checked;
    const held = await steps.lockAll([
      ...limitedTeams.sort().map((id) => `team:${id}`),
      `agent:${request.target.genesysUserId}`,
    ]);
    if (!held) return { outcome: locksBusyOutcome(), from: 'new' };
    try {
      // A retry of the same request may have waited for the lock the first delivery held.
      const settled = await store.transitions.findOutcome(request.requestId);
      if (settled) return { outcome: settled.outcome, from: 'store' };
      // Writes of this agent still unsettled (this request's earlier delivery included) are decided before
      // the agent is read for this one.
      let earlier: TransitionOutcome | undefined;
      try {
        earlier = (await steps.settleAgent(request.target.genesysUserId, binding, request.requestId)).own;
      } catch (error) {
        if (await store.transitions.findIntent(request.requestId)) return { outcome: unknownOutcome(), from: 'new' };
        throw error;
      }
      if (earlier?.kind === 'applied') return { outcome: earlier, from: 'recorded' };

      const { current, teamStates } = await steps.readTarget(binding, request.target.genesysUserId, limitedTeams);
      const unchanged = steps.unchanged(request, binding, current, checked.presenceId);
      if (unchanged) return { outcome: unchanged, from: 'new' };

      const verdict = steps.evaluate(request, checked, binding, current, teamStates);
      if (!verdict.ok) return { outcome: refusedOutcome(verdict), from: 'new' };

      // The fencing check: the team counts above are only true while every lock is still ours.
      const budget = await held.fence();
      if (!budget) return { outcome: lockLostOutcome(), from: 'new' };
      const intent = await steps.recordIntent(request, checked.presenceId, binding, current, verdict.reason);
      return await write(intent, binding, held, budget);
    } finally {
      await held.release();
    }
  }

  /** Writes an intent within the locks' budget, confirms it and records it. */
  async function write(
    intent: TransitionIntent,
    binding: CatalogBinding,
    held: HeldLocks,
    budget: WriteBudget,
  ): Promise<Decision> {
    const { agentId, presenceId } = intent;
    try {
      await genesys.setPresence(agentId, presenceId, intent.reason, budget);
    } catch (error) {
      if (refusedByGenesys(error)) {
        await store.transitions.dropIntent(intent.requestId);
        throw error;
      }
      // The call may have landed although it failed (a timeout): settle it now if Genesys can say.
      const outcome = await steps.settleIntent(intent, binding).catch(() => unknownOutcome());
      return { outcome, from: outcome.kind === 'applied' ? 'recorded' : 'new' };
    }
    const after = await deps.presence.confirmWrite(agentId, presenceId, intent.fromVersion);
    // Written, but not confirmed (no notification, no read-back), or the locks were lost since: recovery settles it under
    // fresh locks, against the evidence then.
    if (!after || !(await held.fence())) return { outcome: unknownOutcome(), from: 'new' };
    // Someone else wrote between our write and its confirmation: theirs is what Genesys shows now.
    if (after.presenceId !== presenceId) return { outcome: conflictOutcome(binding, after), from: 'new' };
    return { outcome: await steps.recordApplied(intent, binding, after), from: 'recorded' };
  }

  async function submit(request: TransitionRequest): Promise<TransitionOutcome> {
    const started = performance.now();
    let decision: Decision;
    try {
      decision = await decide(request);
    } catch (error) {
      decision = { outcome: steps.failure(error, request), from: 'new' };
    }
    return steps.finish(request, decision, started);
  }

  return {
    submit,
    submitBatch: (requests, onProgress) => submitBatch(deps, steps, requests, onProgress),
    async undo(actor, requestId) {
      // A repeated undo (same request id) answers what the first one did, rather than undoing the undo.
      const earlier = await store.transitions.findOutcome(requestId);
      if (earlier)
        return { request: undoRequest(actor, requestId, earlier, earlier.toStatus), outcome: earlier.outcome };
      const last = await store.transitions.lastAppliedBy(actor.slackUserId);
      if (last?.outcome.kind !== 'applied' || !last.agentEmail) {
        return { outcome: { kind: 'refused', code: 'not_allowed', message: 'You have no recent change to undo.' } };
      }
      const windowSeconds = policy.undo.windowSeconds;
      const ageSeconds = (steps.now().getTime() - Date.parse(last.decidedAt)) / 1000;
      if (ageSeconds > windowSeconds) {
        return {
          outcome: {
            kind: 'refused',
            code: 'not_allowed',
            message: `Your last change was ${Math.round(ageSeconds / 60)} min ago; undo works for ${Math.round(windowSeconds / 60)} min. Set the status you want instead.`,
          },
        };
      }
      const request: TransitionRequest = {
        ...undoRequest(actor, requestId, last, last.outcome.from.status),
        // Undo only what the actor did: if the agent moved on since, that is a conflict to show.
        seenVersion: last.outcome.version,
      };
      return { request, outcome: await submit(request) };
    },
    async recover() {
      const agentIds = new Set((await store.transitions.pendingIntents()).map((intent) => intent.agentId));
      if (agentIds.size === 0) return 0;
      const binding = bindCatalog(policy, await genesys.listPresenceDefinitions());
      let recorded = 0;
      for (const agentId of agentIds) {
        // Held by a live change (which settles its own intent) or by a dead one (until its ttl passes): a
        // later pass settles it.
        const held = await steps.lockAll([`agent:${agentId}`], 0);
        if (!held) continue;
        try {
          recorded += (await steps.settleAgent(agentId, binding)).recorded;
        } catch (err) {
          deps.logger.warn({ err, agentId }, 'could not settle unfinished changes yet; will try again');
        } finally {
          await held.release();
        }
      }
      return recorded;
    },
  };
}

function undoRequest(actor: Actor, requestId: string, record: TransitionRecord, to: string): TransitionRequest {
  return {
    requestId,
    actor,
    target: { genesysUserId: record.agentId, email: record.agentEmail ?? '' },
    to,
    source: 'undo',
  };
}

/**
 * Genesys answered the write and did not apply it (a 4xx or 429 on every try). A timeout, a lost connection,
 * a 5xx or a success in an unexpected shape leave its fate unknown.
 */
function refusedByGenesys(error: unknown): boolean {
  return (
    error instanceof GenesysError &&
    !error.details.mayHaveApplied &&
    error.kind !== 'timeout' &&
    error.kind !== 'unavailable'
  );
}
