/**
 * The one path every status change takes (DESIGN §3): authorize → validate → lock → read → compare →
 * write → read back → record (with its payroll event) → audit and metrics.
 *
 * Genesys has no conditional write, so the pipeline makes its own: under a per-agent lock it compares the
 * version the user saw with the live one, writes, and reads back. Teams with caps or a staffing floor are
 * locked too, so two concurrent requests can never both take the last slot.
 */
import type { AgentState } from '../domain/presence.js';
import type { Actor, TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import { bindCatalog, statusNameOfPresence } from '../policy/binding.js';
import { onQueueStatusName } from '../policy/catalog.js';
import { submitBatch } from './batch.js';
import { conflictOutcome, locksBusyOutcome, refusedOutcome } from './outcomes.js';
import type { TransitionRecord } from './ports.js';
import { createPipelineSteps, type Decision, type PipelineDeps } from './steps.js';

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
  undo(actor: Actor, requestId: string): Promise<UndoResult>;
  /**
   * Settles writes a crash left unrecorded (run at start-up): each one that landed in Genesys is recorded
   * with its payroll event, the others are forgotten. Resolves with how many were recorded.
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
    const release = await steps.lockAll([
      ...limitedTeams.sort().map((id) => `team:${id}`),
      `agent:${request.target.genesysUserId}`,
    ]);
    if (!release) return { outcome: locksBusyOutcome(), from: 'new' };
    try {
      // A retry of the same request may have waited for the lock the first delivery held.
      const settled = await store.transitions.findOutcome(request.requestId);
      if (settled) return { outcome: settled.outcome, from: 'store' };
      // An earlier delivery of this request wrote but did not get to record it (a timeout or a crash).
      const unsettled = await store.transitions.findIntent(request.requestId);
      const recovered = unsettled ? await steps.settleIntent(unsettled, binding) : undefined;
      if (recovered) return { outcome: recovered, from: 'recorded' };

      const current = await genesys.getAgentState(request.target.genesysUserId);
      const unchanged = steps.unchanged(request, binding, current, checked.presenceId);
      if (unchanged) return { outcome: unchanged, from: 'new' };

      // A team's statuses matter for a cap on the new status, or for its floor when the agent leaves on-queue.
      const leavesOnQueue = statusNameOfPresence(binding, current.presenceId) === onQueueStatusName(policy);
      const teamStates = await steps.memberStates(
        binding,
        limitedTeams.filter((id) => policy.teams[id]!.caps[checked.status] !== undefined || leavesOnQueue),
      );
      const verdict = steps.evaluate(request, checked, binding, current, teamStates);
      if (!verdict.ok) return { outcome: refusedOutcome(verdict), from: 'new' };

      const intent = await steps.recordIntent(request, checked.presenceId, binding, current, verdict.reason);
      let after: AgentState;
      try {
        await genesys.setPresence(request.target.genesysUserId, checked.presenceId, verdict.reason);
        after = await genesys.getAgentState(request.target.genesysUserId);
      } catch (error) {
        // A call that timed out may still have landed: settle it now rather than report a failure.
        const settled = await steps.settleIntent(intent, binding).catch(() => undefined);
        if (settled) return { outcome: settled, from: 'recorded' };
        throw error;
      }
      // Someone else wrote between our write and the read-back: theirs is what Genesys shows now.
      if (after.presenceId !== checked.presenceId) return { outcome: conflictOutcome(binding, after), from: 'new' };
      return { outcome: await steps.recordApplied(intent, binding, after), from: 'recorded' };
    } finally {
      await release();
    }
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
      const intents = await store.transitions.pendingIntents();
      if (intents.length === 0) return 0;
      const binding = bindCatalog(policy, await genesys.listPresenceDefinitions());
      let recovered = 0;
      for (const intent of intents) {
        const release = await steps.lockAll([`agent:${intent.agentId}`]);
        // Start-up logs this; the intent stays for the next start.
        if (!release) throw new Error(`agent ${intent.agentId} stayed locked by another change; recovery stopped`);
        try {
          const outcome = await steps.settleIntent(intent, binding);
          deps.logger.warn(
            { requestId: intent.requestId, agentId: intent.agentId, landed: Boolean(outcome) },
            outcome
              ? 'recovered a change that was written but not recorded'
              : 'dropped an unfinished change that never reached Genesys',
          );
          if (!outcome) continue;
          recovered += 1;
          await steps.finish(
            intent.request,
            { outcome, from: 'recorded' },
            performance.now(),
            'recovered after restart',
          );
        } finally {
          await release();
        }
      }
      return recovered;
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
