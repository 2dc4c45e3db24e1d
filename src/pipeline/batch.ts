/**
 * Many changes at once (shift handovers). Every target and every limited team is locked for the whole
 * batch, the team is read once, and each entry is judged against the team as earlier entries will leave it,
 * so a batch can never take more slots than a cap allows. Writes use Genesys's bulk endpoint.
 */
import { type AgentState, showsWriteOver } from '../domain/presence.js';
import type { TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import { bindCatalog, type CatalogBinding, statusNameOfPresence } from '../policy/binding.js';
import { conflictOutcome, lockLostOutcome, locksBusyOutcome, refusedOutcome, unknownOutcome } from './outcomes.js';
import { GenesysError, type ResolvedPerson, type TransitionIntent, type WriteBudget } from './ports.js';
import type { Checked, Decision, HeldLocks, PipelineDeps, PipelineSteps } from './steps.js';

/** Agents per bulk write (and its confirmation) in a batch: Genesys's bulk presence limit (see the Genesys client). */
const BATCH_CHUNK = 50;

interface Candidate {
  index: number;
  request: TransitionRequest;
  checked: Checked;
}

interface Write {
  index: number;
  intent: TransitionIntent;
}

/** What every phase of one batch shares: the catalog binding and how an entry's decision is closed. */
interface BatchRun {
  deps: PipelineDeps;
  steps: PipelineSteps;
  binding: CatalogBinding;
  settle(index: number, decision: Decision): Promise<void>;
}

export async function submitBatch(
  deps: PipelineDeps,
  steps: PipelineSteps,
  requests: readonly TransitionRequest[],
  onProgress?: (done: number, total: number) => void,
): Promise<TransitionOutcome[]> {
  const started = performance.now();
  const outcomes: TransitionOutcome[] = [];
  let done = 0;
  // Entries not settled yet: the ones to fail if anything below throws.
  const pending = new Set<number>();
  const run: BatchRun = {
    deps,
    steps,
    binding: bindCatalog(deps.policy, await deps.genesys.listPresenceDefinitions()),
    async settle(index, decision) {
      outcomes[index] = await steps.finish(requests[index]!, decision, started);
      done += 1;
      onProgress?.(done, requests.length);
    },
  };

  const { candidates, agentIds } = await admit(run, requests);
  if (candidates.length === 0) return outcomes;

  const teamIds = [...new Set(candidates.flatMap((c) => c.checked.limitedTeams))].sort();
  const held = await steps.lockAll([...teamIds.map((id) => `team:${id}`), ...agentIds.map((id) => `agent:${id}`)]);
  if (!held) {
    for (const c of candidates) await run.settle(c.index, { outcome: locksBusyOutcome(), from: 'new' });
    return outcomes;
  }
  for (const c of candidates) pending.add(c.index);
  try {
    // Earlier writes of these agents still unsettled are decided before the agents are read for this batch.
    for (const agentId of agentIds) await steps.settleAgent(agentId, run.binding);
    // One read for every target and every member of their limited teams.
    const members = await steps.teamMembers(teamIds);
    const states = await deps.presence.states([...new Set([...agentIds, ...members.map((m) => m.genesysUserId)])]);
    const writes = await plan(run, candidates, members, states);
    // Written in chunks of Genesys's bulk size so progress shows while a large handover runs.
    for (let offset = 0; offset < writes.length; offset += BATCH_CHUNK) {
      const chunk = writes.slice(offset, offset + BATCH_CHUNK);
      // The fencing check: what `plan` counted holds only while every lock is still ours.
      const budget = await held.fence();
      if (!budget) {
        for (const { index, intent } of writes.slice(offset)) {
          await deps.store.transitions.dropIntent(intent.requestId);
          await run.settle(index, { outcome: lockLostOutcome(), from: 'new' });
        }
        break;
      }
      await writeChunk(run, chunk, budget, held);
    }
  } catch (error) {
    for (const index of [...pending]) {
      await run.settle(index, { outcome: steps.failure(error, requests[index]!), from: 'new' });
    }
  } finally {
    await held.release();
  }
  return outcomes;
}

/**
 * Settles what needs no lock (repeats answered from the store, an agent listed twice, requests failing the
 * checks that need no live state) and returns the rest with their targets, sorted for locking.
 */
async function admit(run: BatchRun, requests: readonly TransitionRequest[]) {
  const candidates: Candidate[] = [];
  const listed = new Set<string>();
  for (const [index, request] of requests.entries()) {
    const stored = await run.deps.store.transitions.findOutcome(request.requestId);
    if (stored) {
      await run.settle(index, { outcome: stored.outcome, from: 'store' });
      continue;
    }
    if (listed.has(request.target.genesysUserId)) {
      const message = `${request.target.email} is listed twice in this change; only the first entry counts.`;
      await run.settle(index, { outcome: { kind: 'refused', code: 'not_allowed', message }, from: 'new' });
      continue;
    }
    listed.add(request.target.genesysUserId);
    const checked = run.steps.precheck(request, run.binding);
    if ('kind' in checked) await run.settle(index, { outcome: checked, from: 'new' });
    else candidates.push({ index, request, checked });
  }
  return { candidates, agentIds: [...listed].sort() };
}

/**
 * Judges each candidate in order against the live state, settling those that end without a write, and
 * records an intent for each of the others.
 */
async function plan(
  run: BatchRun,
  candidates: readonly Candidate[],
  members: readonly ResolvedPerson[],
  states: readonly AgentState[],
): Promise<Write[]> {
  const { steps, binding } = run;
  const stateById = new Map(states.map((state) => [state.agentId, state]));
  // The team as it will be once the accepted entries land, so later entries see earlier ones' slots.
  const planned = new Map<string, string>();
  for (const member of members) {
    const state = stateById.get(member.genesysUserId);
    if (state) planned.set(member.email.toLowerCase(), statusNameOfPresence(binding, state.presenceId));
  }
  const writes: Write[] = [];
  for (const { index, request, checked } of candidates) {
    const current = stateById.get(request.target.genesysUserId);
    const early = !current
      ? steps.failure(new GenesysError('not_found', 'no such user', false), request)
      : steps.unchanged(request, binding, current, checked.presenceId);
    if (early || !current) {
      await run.settle(index, { outcome: early!, from: 'new' });
      continue;
    }
    const verdict = steps.evaluate(
      request,
      checked,
      binding,
      current,
      members.flatMap((m) => {
        const status = planned.get(m.email.toLowerCase());
        return status ? [{ email: m.email, slackUserId: m.slackUserId, status }] : [];
      }),
    );
    if (!verdict.ok) {
      await run.settle(index, { outcome: refusedOutcome(verdict), from: 'new' });
      continue;
    }
    planned.set(request.target.email.toLowerCase(), checked.status);
    writes.push({
      index,
      intent: await steps.recordIntent(request, checked.presenceId, binding, current, verdict.reason),
    });
  }
  return writes;
}

/** Writes one chunk with the bulk endpoint, confirms it, and settles each entry by what Genesys shows. */
async function writeChunk(run: BatchRun, chunk: readonly Write[], budget: WriteBudget, held: HeldLocks) {
  const { deps, steps, binding } = run;
  const results = await deps.genesys
    .setPresences(
      chunk.map(({ intent }) => ({
        agentId: intent.agentId,
        presenceId: intent.presenceId,
        ...(intent.reason ? { message: intent.reason } : {}),
      })),
      budget,
    )
    .catch((error: unknown) =>
      chunk.map(({ intent }) => ({
        agentId: intent.agentId,
        ok: false,
        error: steps.failure(error, intent.request),
      })),
    );
  // Asked for together, so that without notifications the chunk is read back in one call.
  const after = await Promise.all(
    chunk.map(({ intent }) => deps.presence.confirmWrite(intent.agentId, intent.presenceId, intent.fromVersion)),
  );
  if (!(await held.fence())) {
    // Written, but the locks were lost since: recovery settles these under fresh locks, against the evidence then.
    for (const { index } of chunk) await run.settle(index, { outcome: unknownOutcome(), from: 'new' });
    return;
  }
  for (const [position, { index, intent }] of chunk.entries()) {
    const state = after[position];
    const result = results.find((r) => r.agentId === intent.agentId);
    if (state && showsWriteOver(state, intent.presenceId, intent.fromVersion)) {
      await run.settle(index, { outcome: await steps.recordApplied(intent, binding, state), from: 'recorded' });
    } else if (state && result?.ok) {
      await run.settle(index, { outcome: conflictOutcome(binding, state), from: 'new' });
    } else if (!state) {
      // Not confirmed: the write may have landed. Recovery settles the intent and announces the outcome.
      await run.settle(index, { outcome: unknownOutcome(), from: 'new' });
    } else {
      // Known not to have landed: forget the intent.
      await deps.store.transitions.dropIntent(intent.requestId);
      const failure = result?.error;
      const outcome: TransitionOutcome =
        typeof failure === 'object'
          ? failure
          : {
              kind: 'failed',
              retryable: true,
              message: `Genesys did not take the change${failure ? `: ${failure}` : ''}. Try again.`,
            };
      await run.settle(index, { outcome, from: 'new' });
    }
  }
}
