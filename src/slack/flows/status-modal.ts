/**
 * The status modal (bare `/agent-status`, App Home's "open" button): the statuses the matrix allows now, a reason
 * field matching the picked status, and for supervisors and admins a picker of their teams' members.
 *
 * What the modal showed (offered statuses, listed agents and the versions of their states) is kept server-side
 * under the random id in `private_metadata`, which carries nothing else but the actor's own seen version. A
 * submission is checked against the policy before the ack, so mistakes come back as field errors; the change
 * itself runs after the ack through the pipeline (which re-authorizes everything) and is answered by direct
 * message, as a modal has no channel.
 */
import { randomUUID } from 'node:crypto';
import type { ViewSubmitAction, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { TransitionRequest } from '../../domain/transition.js';
import { resolveStatus, statusLabel } from '../../policy/catalog.js';
import { checkReason } from '../../policy/reasons.js';
import { supervisedTeams } from '../../policy/roles.js';
import { type ActorIdentity, identifyActor, targetOf } from '../actor.js';
import { answerOutcome } from '../answers.js';
import { catalogEntries } from '../catalog-entries.js';
import type { SlackDeps } from '../deps.js';
import { type FormValues, formValues, selectedOf, selectedOptionsOf, textOf } from '../form.js';
import { publishHomes, statusAfter } from '../home.js';
import { type ModalNaming, type ModalRequest, showModal, slackErrorCode, updateModal } from '../modal-flow.js';
import { answering, notice, replyByDirectMessage } from '../replies.js';
import { type AgentOutcome, batchOutcomeMessage } from '../views/batch-outcome.js';
import type { ModalView, Person } from '../views/blocks.js';
import { noticeModal } from '../views/notice-modal.js';
import {
  parseStatusModalMetadata,
  STATUS_MODAL_IDS,
  type StatusModalMetadata,
  statusModal,
} from '../views/status-modal.js';

const TITLE = 'Agent status';

/** How long a modal's server-side context is kept; a submission after that asks to reopen the modal. */
const CONTEXT_TTL_MS = 60 * 60 * 1000;

const listedAgentSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  email: z.string(),
  slackUserId: z.string().optional(),
  statusLabel: z.string(),
  teamName: z.string(),
  /** The version of the agent's state the picker showed: a change since is a conflict. */
  version: z.string(),
});
type ListedAgent = z.infer<typeof listedAgentSchema>;

const contextSchema = z.object({
  actorSlackId: z.string().min(1),
  /** Catalog names offered, in catalog order. */
  statuses: z.array(z.string()),
  current: z.object({ label: z.string(), since: z.string().optional() }).optional(),
  agents: z.array(listedAgentSchema),
});
type ModalContext = z.infer<typeof contextSchema>;

type KnownActor = Extract<ActorIdentity, { ok: true }>;

const NAMING: ModalNaming = {
  title: TITLE,
  name: 'status modal',
  notOpened: (code) => `:warning: Slack did not open the status picker (${code}). Run \`/agent-status\` again.`,
};

export async function openStatusModal(deps: SlackDeps, args: ModalRequest): Promise<void> {
  await showModal(deps, args, NAMING, async () => {
    const actor = await identifyActor(deps, args.actorSlackId);
    if (!actor.ok) return noticeModal(TITLE, actor.message);
    const { context, seenVersion } = await loadContext(deps, actor);
    const requestId = randomUUID();
    await saveContext(deps, requestId, context);
    return modalView(deps, context, { requestId, seenVersion });
  });
}

/** Reads everything the modal shows: the actor's status, and their teams' members when they supervise any. */
async function loadContext(
  deps: SlackDeps,
  actor: KnownActor,
): Promise<{ context: ModalContext; seenVersion: string }> {
  const { policy, queries } = deps;
  const teamIds = supervisedTeams(policy, { email: actor.person.email, slackUserId: actor.person.slackUserId });
  const [mine, members] = await Promise.all([
    queries.agentStatus(actor.person.genesysUserId),
    queries.teamAgents(teamIds),
  ]);
  const others = members.filter(({ member }) => member.person.genesysUserId !== actor.person.genesysUserId);
  const agents: ListedAgent[] = others.map(({ member: { person, teamId }, status }) => ({
    id: person.genesysUserId,
    name: person.name,
    email: person.email,
    ...(person.slackUserId ? { slackUserId: person.slackUserId } : {}),
    statusLabel: status.snapshot.presenceLabel,
    teamName: policy.teams[teamId]!.name,
    version: status.version,
  }));
  // A supervisor may change anyone listed: offer what the matrix allows from any of their current statuses (the
  // pipeline checks each agent's own).
  const statuses = await queries.nextStatuses([
    mine.snapshot.status,
    ...others.map(({ status }) => status.snapshot.status),
  ]);
  return {
    context: {
      actorSlackId: actor.person.slackUserId,
      statuses,
      current: { label: mine.snapshot.presenceLabel, since: mine.since },
      agents,
    },
    seenVersion: mine.version,
  };
}

function contextKey(requestId: string): string {
  return `status-modal:${requestId}`;
}

async function saveContext(deps: SlackDeps, requestId: string, context: ModalContext): Promise<void> {
  await deps.uiState.set(contextKey(requestId), context, CONTEXT_TTL_MS);
}

/** The saved context of a modal, only for the person it was made for. */
async function savedContext(
  deps: SlackDeps,
  requestId: string,
  slackUserId: string,
): Promise<ModalContext | undefined> {
  const parsed = contextSchema.safeParse(await deps.uiState.get(contextKey(requestId)));
  return parsed.success && parsed.data.actorSlackId === slackUserId ? parsed.data : undefined;
}

function modalView(
  deps: SlackDeps,
  context: ModalContext,
  metadata: StatusModalMetadata,
  selected?: string,
): ModalView {
  const entries = catalogEntries(deps.policy);
  return statusModal({
    statuses: context.statuses.flatMap((name) => entries.filter((entry) => entry.name === name)),
    ...(context.current ? { current: context.current } : {}),
    ...(selected ? { selected } : {}),
    agents: context.agents.map(({ id, name, statusLabel, teamName }) => ({ id, name, statusLabel, teamName })),
    metadata,
  });
}

export interface SelectedStatusArgs {
  client: webApi.WebClient;
  slackUserId: string;
  view: { id: string; hash?: string; private_metadata?: string };
  selected?: string;
}

/** After the status select changed: the same modal with the reason input the picked status takes. */
export async function showSelectedStatus(deps: SlackDeps, args: SelectedStatusArgs): Promise<void> {
  const metadata = readMetadata(args.view.private_metadata);
  if (!metadata) {
    deps.logger.warn({ user: args.slackUserId }, 'status modal action with unreadable private_metadata');
    return;
  }
  let context = await savedContext(deps, metadata.requestId, args.slackUserId);
  if (!context) {
    const actor = await identifyActor(deps, args.slackUserId);
    if (!actor.ok) return;
    context = (await loadContext(deps, actor)).context;
    await saveContext(deps, metadata.requestId, context);
  }
  const modal = { viewId: args.view.id, ...(args.view.hash ? { hash: args.view.hash } : {}) };
  try {
    await updateModal(args.client, modal, modalView(deps, context, metadata, args.selected));
  } catch (err) {
    // hash_conflict: a newer update (a later pick) already replaced this view.
    const code = slackErrorCode(err);
    if (code === 'hash_conflict') return;
    deps.logger.warn({ err, code }, 'could not update the status modal');
  }
}

function readMetadata(raw: string | undefined): StatusModalMetadata | undefined {
  try {
    return parseStatusModalMetadata(raw ?? '');
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- submission

export interface CheckedForm {
  /** Catalog name. */
  status: string;
  /** As the policy spells it; absent when none was given or the status takes none. */
  reason?: string;
  seenVersion?: string;
  /** Empty: the actor's own status. */
  agents: ListedAgent[];
}

type FormCheck = { ok: true; form: CheckedForm } | { ok: false; errors: Record<string, string> };

const REOPEN = 'This form is out of date: close it and run /agent-status again.';

/**
 * The checks that need no live state, so their answers arrive as field errors within the 3-second ack. Never
 * throws: a failure reads as a field error.
 */
export async function checkStatusModal(
  deps: SlackDeps,
  slackUserId: string,
  view: ViewSubmitAction['view'],
): Promise<FormCheck> {
  try {
    return await checkForm(deps, slackUserId, view);
  } catch (err) {
    deps.logger.error({ err }, 'could not check a status modal submission');
    return { ok: false, errors: { [STATUS_MODAL_IDS.status.block]: 'Something went wrong on our side; try again.' } };
  }
}

async function checkForm(deps: SlackDeps, slackUserId: string, view: ViewSubmitAction['view']): Promise<FormCheck> {
  const ids = STATUS_MODAL_IDS;
  const metadata = readMetadata(view.private_metadata);
  if (!metadata) return { ok: false, errors: { [ids.status.block]: REOPEN } };
  const values: FormValues = formValues(view.state);
  const errors: Record<string, string> = {};

  const picked = selectedOf(values, ids.status);
  const resolved = picked ? resolveStatus(deps.policy, picked) : undefined;
  if (!resolved) errors[ids.status.block] = 'Pick a status.';
  else if (!resolved.ok) errors[ids.status.block] = resolved.message;

  // The reason input on screen depends on whether the swap for the picked status arrived; read whichever is there.
  const blockIds = new Set(view.blocks.map((b) => b.block_id));
  const reasonBlock = blockIds.has(ids.reasonChoice.block)
    ? ids.reasonChoice
    : blockIds.has(ids.reasonText.block)
      ? ids.reasonText
      : undefined;
  const reasonGiven = reasonBlock ? (selectedOf(values, reasonBlock) ?? textOf(values, reasonBlock)) : undefined;
  let reason: string | undefined;
  if (resolved?.ok) {
    const checked = checkReason(deps.policy, resolved.name, reasonGiven);
    if (checked.ok) reason = checked.reason;
    else errors[reasonBlock?.block ?? ids.status.block] = checked.message;
  }

  const pickedAgents = selectedOptionsOf(values, ids.agents);
  let agents: ListedAgent[] = [];
  if (pickedAgents.length > 0) {
    const context = await savedContext(deps, metadata.requestId, slackUserId);
    if (!context) {
      errors[ids.agents.block] = REOPEN;
    } else {
      const listed = new Map(context.agents.map((a) => [a.id, a]));
      const unknown = pickedAgents.filter((p) => !listed.has(p.value));
      if (unknown.length > 0) {
        errors[ids.agents.block] = `Not in the teams you supervise: ${unknown.map((p) => p.label).join(', ')}.`;
      }
      agents = pickedAgents.flatMap((p) => listed.get(p.value) ?? []);
    }
  }

  if (Object.keys(errors).length > 0 || !resolved?.ok) return { ok: false, errors };
  return {
    ok: true,
    form: {
      status: resolved.name,
      ...(reason ? { reason } : {}),
      ...(metadata.seenVersion ? { seenVersion: metadata.seenVersion } : {}),
      agents,
    },
  };
}

interface Change {
  request: TransitionRequest;
  /** The agent, when not the actor. */
  subject?: Person;
}

/** Runs a checked submission through the pipeline and answers by direct message (a modal has no channel). */
export async function applyStatusModal(
  deps: SlackDeps,
  client: webApi.WebClient,
  slackUserId: string,
  viewId: string,
  form: CheckedForm,
): Promise<void> {
  const reply = replyByDirectMessage(deps, client, slackUserId);
  await answering(deps, reply, async () => {
    const actor = await identifyActor(deps, slackUserId);
    if (!actor.ok) {
      await reply(notice(actor.message));
      return;
    }
    // One request id per view and agent: the same submission delivered twice is one change.
    const base = {
      actor: actor.actor,
      to: form.status,
      ...(form.reason ? { reason: form.reason } : {}),
      source: 'modal' as const,
    };
    const changes: Change[] =
      form.agents.length === 0
        ? [
            {
              request: {
                ...base,
                requestId: `modal:${viewId}:${actor.person.genesysUserId}`,
                target: targetOf(actor.person),
                ...(form.seenVersion ? { seenVersion: form.seenVersion } : {}),
              },
            },
          ]
        : form.agents.map((agent) => ({
            request: {
              ...base,
              requestId: `modal:${viewId}:${agent.id}`,
              target: {
                genesysUserId: agent.id,
                email: agent.email,
                ...(agent.slackUserId ? { slackUserId: agent.slackUserId } : {}),
              },
              seenVersion: agent.version,
            },
            subject: { name: agent.name, ...(agent.slackUserId ? { slackUserId: agent.slackUserId } : {}) },
          }));

    if (changes.length === 1) {
      const [change] = changes as [Change];
      const outcome = await deps.pipeline.submit(change.request);
      await answerOutcome(deps, { ...change, outcome, reply, client });
      return;
    }
    // One batch, like a handover: each change is checked against the team state the earlier ones leave (caps, floor).
    const outcomes = await deps.pipeline.submitBatch(changes.map((change) => change.request));
    const decided = changes.map((change, i) => ({ change, outcome: outcomes[i]! }));
    const results: AgentOutcome[] = decided.flatMap(({ change, outcome }) =>
      outcome.kind === 'conflict' ? [] : [{ subject: change.subject ?? { name: actor.name }, outcome }],
    );
    const conflicts = decided.filter(({ outcome }) => outcome.kind === 'conflict');
    await reply(
      batchOutcomeMessage({ statusLabel: statusLabel(deps.policy, form.status), results, conflicts: conflicts.length }),
    );
    for (const { change, outcome } of conflicts) await answerOutcome(deps, { ...change, outcome, reply, client });
    const applied = decided.flatMap(({ change, outcome }) =>
      outcome.kind === 'applied' ? [{ request: change.request, outcome }] : [],
    );
    if (applied.length > 0) {
      await publishHomes(
        deps,
        client,
        [slackUserId, ...applied.map(({ request }) => request.target.slackUserId)],
        applied.map(({ request, outcome }) => statusAfter(request, outcome)),
      );
    }
  });
}
