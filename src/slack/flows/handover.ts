/**
 * Shift handovers (`/agent-status handover <team>`, App Home): a modal listing the team with each member's status,
 * where a supervisor of the team (or an admin) picks who goes off shift and who comes on, and to which status.
 *
 * The submission is checked before the ack (field errors); then the changes run through the pipeline's bulk path
 * with a progress message in the actor's direct messages, edited as agents complete, and the summary is posted in
 * the team's channel: who handed over to whom, counts per status before and after, notes, and each failure with
 * its reason.
 */
import { randomUUID } from 'node:crypto';
import type { RespondFn, ViewSubmitAction, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { TransitionOutcome, TransitionRequest } from '../../domain/transition.js';
import type { TeamBoard } from '../../pipeline/queries.js';
import { catalogNames, onQueueStatusName, resolveStatus } from '../../policy/catalog.js';
import { checkReason } from '../../policy/reasons.js';
import { supervisedTeams } from '../../policy/roles.js';
import type { Policy } from '../../policy/schema.js';
import { isSystemStatus, systemPresenceOf } from '../../policy/status-presence.js';
import { type ActorIdentity, identifyActor, targetOf } from '../actor.js';
import { catalogEntries } from '../catalog-entries.js';
import type { SlackDeps } from '../deps.js';
import {
  type FieldIds,
  formValues,
  type PickedOption,
  selectedOf,
  selectedOptionsOf,
  selectedUserOf,
  textOf,
} from '../form.js';
import { latestOnly } from '../latest-only.js';
import { type ModalNaming, type ModalRequest, settledWithin, showModal, slackErrorCode, tell } from '../modal-flow.js';
import { answering, notice, type Reply, replyByDirectMessage } from '../replies.js';
import { unknownTeamMessage } from '../teams.js';
import { type ModalView, type Person, policyEntryRef, type SlackMessage, section, userText } from '../views/blocks.js';
import { HANDOVER_MODAL_IDS, handoverModal, parseHandoverModalMetadata } from '../views/handover-modal.js';
import { type HandoverFailure, handoverPostMessage, type StatusCount } from '../views/handover-post.js';
import { handoverProgressMessage } from '../views/handover-progress.js';
import { noticeModal } from '../views/notice-modal.js';

const TITLE = 'Shift handover';

/**
 * How long to wait for the actor's identity before opening the modal: a refusal known by then is an ephemeral
 * answer, a later one shows in the modal (the trigger lasts 3 s and must not be spent waiting).
 */
const QUICK_ANSWER_MS = 1000;

/** Slack takes about one message per second per channel; the progress message is edited no faster. */
const PROGRESS_INTERVAL_MS = 1000;

export interface OpenHandoverModalArgs extends ModalRequest {
  teamId: string;
  /** Where refusals go (unknown team, not a supervisor of it). */
  respond?: RespondFn;
}

type HandoverCheck = { ok: true; actor: Extract<ActorIdentity, { ok: true }> } | { ok: false; message: string };

const NAMING: ModalNaming = {
  title: TITLE,
  name: 'handover modal',
  notOpened: (code) => `:warning: Slack did not open the handover form (${code}). Run the command again.`,
};

export async function openHandoverModal(deps: SlackDeps, args: OpenHandoverModalArgs): Promise<void> {
  const team = teamOf(deps.policy, args.teamId);
  if (!team) {
    await tell(deps, args.respond, notice(unknownTeamMessage(deps.policy, args.teamId)));
    return;
  }
  const checking = checkHandover(deps, args.actorSlackId, args.teamId);
  const early = args.respond ? await settledWithin(checking, QUICK_ANSWER_MS) : undefined;
  if (early && !early.ok) {
    await tell(deps, args.respond, notice(early.message));
    return;
  }
  await showModal(deps, args, NAMING, async () => {
    const check = early ?? (await checking);
    if (!check.ok) return noticeModal(TITLE, check.message);
    return buildModal(deps, args.teamId);
  });
}

function teamOf(policy: Policy, teamId: string) {
  return Object.hasOwn(policy.teams, teamId) ? policy.teams[teamId] : undefined;
}

/** Who may hand a team over: its supervisors and the admins. Never throws. */
async function checkHandover(deps: SlackDeps, slackUserId: string, teamId: string): Promise<HandoverCheck> {
  try {
    const actor = await identifyActor(deps, slackUserId);
    if (!actor.ok) return actor;
    const person = { email: actor.person.email, slackUserId };
    if (supervisedTeams(deps.policy, person).includes(teamId)) return { ok: true, actor };
    const team = deps.policy.teams[teamId]!;
    const supervisors = team.supervisors.map(policyEntryRef);
    return {
      ok: false,
      message:
        supervisors.length > 0
          ? `Only a supervisor of ${userText(team.name, 60)} (${supervisors.join(', ')}) or an admin can hand it over.`
          : `Only an admin can hand over ${userText(team.name, 60)}: the policy names no supervisor for it.`,
    };
  } catch (err) {
    deps.logger.error({ err, user: slackUserId }, 'could not check who may hand over');
    return {
      ok: false,
      message:
        ':warning: Could not check who you are right now (Slack or Genesys did not answer). Try again in a minute.',
    };
  }
}

/** Statuses a handover may set: those the org can show that need no reason (the form has no reason field). */
async function handoverStatuses(deps: SlackDeps): Promise<{ name: string; label: string }[]> {
  const settable = new Set(await deps.queries.settableStatuses());
  return catalogEntries(deps.policy)
    .filter((entry) => entry.reason !== 'required' && settable.has(entry.name))
    .map(({ name, label }) => ({ name, label }));
}

function offlineStatusName(policy: Policy): string | undefined {
  return catalogNames(policy).find((name) => {
    const status = policy.statuses[name]!;
    return isSystemStatus(status) && systemPresenceOf(status) === 'OFFLINE';
  });
}

async function buildModal(deps: SlackDeps, teamId: string): Promise<ModalView> {
  const [board, statuses] = await Promise.all([deps.queries.teamBoard(teamId), handoverStatuses(deps)]);
  if (!board) return noticeModal(TITLE, unknownTeamMessage(deps.policy, teamId));
  const offline = offlineStatusName(deps.policy);
  const onQueue = onQueueStatusName(deps.policy);
  return handoverModal({
    team: board,
    statuses,
    ...(offline ? { defaultOffStatus: offline } : {}),
    ...(onQueue ? { defaultOnStatus: onQueue } : {}),
    metadata: { requestId: randomUUID(), teamId },
  });
}

// ---------------------------------------------------------------- submission

interface Side {
  picked: PickedOption[];
  /** Catalog name. */
  status: string;
}

interface HandoverForm {
  teamId: string;
  off: Side;
  on: Side;
  incomingSupervisor?: string;
  notes?: string;
}

type FormCheck = { ok: true; form: HandoverForm } | { ok: false; errors: Record<string, string> };

/** Pure checks of the form; everything else (who may, who is a member) is re-derived after the ack. */
export function checkHandoverForm(policy: Policy, view: ViewSubmitAction['view']): FormCheck {
  const ids = HANDOVER_MODAL_IDS;
  let teamId: string;
  try {
    teamId = parseHandoverModalMetadata(view.private_metadata).teamId;
  } catch {
    return {
      ok: false,
      errors: { [ids.outgoing.block]: 'This form is out of date: close it and run the command again.' },
    };
  }
  const values = formValues(view.state);
  const errors: Record<string, string> = {};
  if (!teamOf(policy, teamId)) errors[ids.outgoing.block] = `The team "${teamId}" is no longer in the policy.`;
  const off = selectedOptionsOf(values, ids.outgoing);
  const on = selectedOptionsOf(values, ids.incoming);
  if (off.length === 0 && on.length === 0) {
    errors[ids.outgoing.block] = 'Pick who goes off shift, who comes on, or both.';
  }
  const offIds = new Set(off.map((o) => o.value));
  const both = on.filter((o) => offIds.has(o.value));
  if (both.length > 0) {
    errors[ids.incoming.block] = `Also going off shift: ${both.map((o) => o.label).join(', ')}. Pick each person once.`;
  }
  const statusOf = (picked: PickedOption[], field: FieldIds): string => {
    if (picked.length === 0) return '';
    const resolved = resolveStatus(policy, selectedOf(values, field) ?? '');
    if (!resolved.ok) {
      errors[field.block] = 'Pick a status.';
      return '';
    }
    const reason = checkReason(policy, resolved.name, undefined);
    if (!reason.ok) errors[field.block] = `${reason.message} A handover cannot give one; pick another status.`;
    return resolved.name;
  };
  const offStatus = statusOf(off, ids.outgoingStatus);
  const onStatus = statusOf(on, ids.incomingStatus);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const incomingSupervisor = selectedUserOf(values, ids.incomingSupervisor);
  const notes = textOf(values, ids.notes);
  return {
    ok: true,
    form: {
      teamId,
      off: { picked: off, status: offStatus },
      on: { picked: on, status: onStatus },
      ...(incomingSupervisor ? { incomingSupervisor } : {}),
      ...(notes ? { notes } : {}),
    },
  };
}

export interface HandoverRun {
  actorSlackId: string;
  viewId: string;
  form: HandoverForm;
}

interface PlannedChange {
  request: TransitionRequest;
  name: string;
}

/**
 * Runs a checked handover after the ack: one batch through the pipeline, a progress message edited as agents
 * complete (at most once per `PROGRESS_INTERVAL_MS`), then the summary in the team's channel.
 */
export async function runHandover(deps: SlackDeps, client: webApi.WebClient, run: HandoverRun): Promise<void> {
  const { form, actorSlackId } = run;
  const reply = replyByDirectMessage(deps, client, actorSlackId);
  await answering(deps, reply, async () => {
    // Re-derived from scratch: the form only said who and to what; the pipeline re-authorizes each change too.
    const check = await checkHandover(deps, actorSlackId, form.teamId);
    if (!check.ok) {
      await reply(notice(check.message));
      return;
    }
    const team = deps.policy.teams[form.teamId]!;
    const { members } = await deps.queries.teamMembers([form.teamId]);
    const memberById = new Map(members.map(({ person }) => [person.genesysUserId, person]));
    const failures: HandoverFailure[] = [];
    const planned: PlannedChange[] = [];
    for (const side of [form.off, form.on]) {
      for (const picked of side.picked) {
        const member = memberById.get(picked.value);
        if (!member) {
          failures.push({ agentName: picked.label, reason: `not a member of ${team.name} any more` });
          continue;
        }
        planned.push({
          name: member.name,
          request: {
            // The same submission delivered twice changes each agent once.
            requestId: `handover:${run.viewId}:${member.genesysUserId}`,
            actor: check.actor.actor,
            target: targetOf(member),
            to: side.status,
            source: 'handover',
          },
        });
      }
    }
    deps.logger.info(
      { team: form.teamId, actor: actorSlackId, changes: planned.length, viewId: run.viewId },
      'shift handover started',
    );
    const before = await deps.queries.teamBoard(form.teamId);
    const progress = await startProgress(deps, client, { actorSlackId, teamName: team.name, total: planned.length });
    const outcomes =
      planned.length > 0
        ? await deps.pipeline.submitBatch(
            planned.map((p) => p.request),
            (done) => progress.update(done),
          )
        : [];
    let changed = 0;
    let failed = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.kind === 'applied') changed += 1;
      if (outcome.kind === 'applied' || outcome.kind === 'noop') return;
      failed += 1;
      failures.push({
        agentName: planned[i]!.name,
        reason: failureReason(outcome),
        ...(outcome.kind === 'refused' && outcome.people ? { people: outcome.people } : {}),
      });
    });
    await progress.finish(failed);
    const after = await deps.queries.teamBoard(form.teamId);
    const post = handoverPostMessage({
      teamName: team.name,
      outgoing: { name: check.actor.name, slackUserId: actorSlackId },
      incoming: await incomingPerson(deps, form.incomingSupervisor),
      before: countsOf(before),
      after: countsOf(after),
      changed,
      failures,
      ...(form.notes ? { notes: form.notes } : {}),
      completedAt: new Date().toISOString(),
    });
    await postSummary(deps, client, { channel: team.channel, teamName: team.name, reply, message: post });
    deps.logger.info({ team: form.teamId, changed, failed: failures.length }, 'shift handover finished');
  });
}

function failureReason(outcome: Exclude<TransitionOutcome, { kind: 'applied' | 'noop' }>): string {
  switch (outcome.kind) {
    case 'refused':
    case 'failed':
    case 'unknown':
      return outcome.message;
    case 'conflict':
      return `changed to ${outcome.current.presenceLabel} meanwhile; left as it is`;
  }
}

/** Members per status label, most first. */
function countsOf(board: TeamBoard | undefined): StatusCount[] {
  const counts = new Map<string, number>();
  for (const member of board?.members ?? []) {
    counts.set(member.statusLabel, (counts.get(member.statusLabel) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

async function incomingPerson(deps: SlackDeps, slackUserId: string | undefined): Promise<Person> {
  if (!slackUserId) return { name: 'the next shift' };
  try {
    const identity = await deps.identity.identify(slackUserId);
    return { name: identity.ok ? identity.name : slackUserId, slackUserId };
  } catch (err) {
    deps.logger.warn({ err, user: slackUserId }, 'could not look up the incoming supervisor');
    return { name: slackUserId, slackUserId };
  }
}

// ---------------------------------------------------------------- progress and summary

interface Progress {
  update(done: number): void;
  finish(failed: number): Promise<void>;
}

const postedAnswer = z.object({ channel: z.string().min(1), ts: z.string().min(1) });

/** The progress message in the actor's direct messages, edited in place as agents complete. */
async function startProgress(
  deps: SlackDeps,
  client: webApi.WebClient,
  { actorSlackId, teamName, total }: { actorSlackId: string; teamName: string; total: number },
): Promise<Progress> {
  let posted: z.infer<typeof postedAnswer>;
  try {
    posted = postedAnswer.parse(
      await client.chat.postMessage({
        channel: actorSlackId,
        ...handoverProgressMessage({ teamName, done: 0, total, failed: 0 }),
      }),
    );
  } catch (err) {
    // The handover itself goes on; only the live counter is missing.
    deps.logger.warn({ err, code: slackErrorCode(err) }, 'could not post the handover progress message');
    return { update: () => {}, finish: async () => {} };
  }
  // Failures are known only once the batch returns, so the counter shows them at the end.
  const updates = latestOnly(async (state: { done: number; failed: number }) => {
    try {
      await client.chat.update({
        channel: posted.channel,
        ts: posted.ts,
        ...handoverProgressMessage({ teamName, total, ...state }),
      });
    } catch (err) {
      deps.logger.warn({ err, code: slackErrorCode(err) }, 'could not update the handover progress message');
    }
  }, PROGRESS_INTERVAL_MS);
  return {
    update: (done) => updates.push({ done, failed: 0 }),
    finish: (failed) => updates.finish({ done: total, failed }),
  };
}

/** Why a channel post failed, in words an operator can act on. */
function channelProblem(code: string | undefined, channel: string): string {
  switch (code) {
    case 'not_in_channel':
      return `I am not a member of <#${channel}>: invite me there with \`/invite @agent-status\` and the next handover will post there.`;
    case 'channel_not_found':
      return `<#${channel}> does not exist, or it is private and I am not in it: check the team's channel in the policy or invite me.`;
    case 'is_archived':
      return `<#${channel}> is archived: point the team's channel in the policy at a live one.`;
    case 'ratelimited':
    case 'slack_webapi_rate_limited_error':
      return 'Slack kept rate-limiting my messages.';
    default:
      return `Slack answered \`${code ?? 'nothing'}\`.`;
  }
}

interface Summary {
  channel: string | undefined;
  teamName: string;
  reply: Reply;
  message: SlackMessage;
}

/** The summary in the team's channel; when that fails or there is none, in the actor's direct messages, saying why. */
async function postSummary(deps: SlackDeps, client: webApi.WebClient, summary: Summary): Promise<void> {
  const { channel, message } = summary;
  let why: string;
  if (channel) {
    try {
      await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
      return;
    } catch (err) {
      const code = slackErrorCode(err);
      deps.logger.warn({ err, code, channel }, 'could not post the handover summary in the team channel');
      why = `:warning: I could not post this handover summary in <#${channel}>. ${channelProblem(code, channel)}`;
    }
  } else {
    why = `_${userText(summary.teamName, 60)} has no channel in the policy, so the summary comes to you. An admin can add one (\`channel:\`)._`;
  }
  await summary.reply({ text: message.text, blocks: [section(why), ...message.blocks] });
}
