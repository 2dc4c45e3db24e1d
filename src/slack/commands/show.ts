/** `/agent-status show|who [@user|<team>]` and `/agent-status history [@user]`: reads, never changes. */
import type { TransitionOutcome } from '../../domain/transition.js';
import type { TransitionRecord } from '../../pipeline/ports.js';
import { resolveStatus, statusLabel } from '../../policy/catalog.js';
import { identifyActor } from '../actor.js';
import type { SlackDeps } from '../deps.js';
import { notice } from '../replies.js';
import { findTeam, unknownTeamMessage } from '../teams.js';
import {
  context,
  header,
  type KnownBlock,
  SLACK_LIMITS,
  type SlackMessage,
  section,
  sectionsFromLines,
  slackTime,
  userText,
} from '../views/blocks.js';
import { teamBoardBlocks, teamBoardMessage } from '../views/team-board.js';
import type { CommandContext } from './context.js';

/** A Slack user resolved for a read: themselves or someone they mentioned. */
type Subject = { ok: true; slackUserId: string; email: string; genesysUserId: string; self: boolean } | { ok: false };

async function subjectOf(deps: SlackDeps, ctx: CommandContext, mentioned: string | undefined): Promise<Subject> {
  const slackUserId = mentioned ?? ctx.userId;
  const identity = await deps.identity.identify(slackUserId);
  if (!identity.ok) {
    await ctx.reply(notice(identity.message));
    return { ok: false };
  }
  return {
    ok: true,
    slackUserId,
    email: identity.person.email,
    genesysUserId: identity.person.genesysUserId,
    self: slackUserId === ctx.userId,
  };
}

export async function show(deps: SlackDeps, command: { user?: string; team?: string }, ctx: CommandContext) {
  if (command.team !== undefined) return showTeam(deps, command.team, ctx);
  const subject = await subjectOf(deps, ctx, command.user);
  if (!subject.ok) return;
  const live = await deps.queries.agentStatus(subject.genesysUserId);
  const who = subject.self ? 'You are' : `<@${subject.slackUserId}> is`;
  const label = userText(live.snapshot.presenceLabel, 80);
  const since = slackTime(live.since, '{date_short_pretty} {time}');
  const routing = live.snapshot.routingStatus.toLowerCase().replace(/_/g, ' ');
  const details = [`Routing: ${routing}`];
  if (subject.self) {
    const next = await deps.queries.nextStatuses([live.snapshot.status]);
    details.push(
      next.length
        ? `You can switch to: ${next.map((n) => `\`${n}\``).join(', ')}`
        : 'No status change is allowed from here.',
    );
  }
  await ctx.reply({
    text: `${who} ${label} since ${since}`,
    blocks: [section(`:bust_in_silhouette: ${who} *${label}* since ${since}.`), context(...details)],
  });
}

async function showTeam(deps: SlackDeps, typed: string, ctx: CommandContext): Promise<void> {
  const teamId = findTeam(deps.policy, typed);
  const board = teamId ? await deps.queries.teamBoard(teamId) : undefined;
  if (!board) {
    await ctx.reply(notice(unknownTeamMessage(deps.policy, typed)));
    return;
  }
  const message = teamBoardMessage(board);
  if (board.unmatched.length === 0) {
    await ctx.reply(message);
    return;
  }
  const unmatched = board.unmatched.map((entry) => userText(entry, 80)).join(', ');
  await ctx.reply({
    text: message.text,
    blocks: [
      ...teamBoardBlocks(board, SLACK_LIMITS.messageBlocks - 1),
      context(`:warning: Not matched to a Genesys user, so not shown: ${unmatched}`),
    ],
  });
}

export async function showHistory(deps: SlackDeps, command: { user?: string }, ctx: CommandContext): Promise<void> {
  const actor = await identifyActor(deps, ctx.userId);
  if (!actor.ok) return ctx.reply(notice(actor.message));
  const subject = await subjectOf(deps, ctx, command.user);
  if (!subject.ok) return;
  const history = await deps.queries.history({ email: actor.person.email, slackUserId: ctx.userId }, subject);
  if (!history.ok) {
    return ctx.reply(
      notice(
        `:no_entry: You can see the history of your own status and of the agents you supervise; not <@${subject.slackUserId}>'s.`,
      ),
    );
  }
  const { records } = history;
  const whose = subject.self ? 'your status' : `<@${subject.slackUserId}>'s status`;
  if (records.length === 0) return ctx.reply(notice(`No changes of ${whose} are recorded yet.`));
  await ctx.reply(historyMessage(deps, records, whose));
}

function historyMessage(deps: SlackDeps, records: readonly TransitionRecord[], whose: string): SlackMessage {
  const lines = records.map((record) => historyLine(deps, record));
  const blocks: KnownBlock[] = [
    header('Status history'),
    context(`Latest ${records.length} decisions about ${whose}, newest first`),
    ...sectionsFromLines(lines, { maxBlocks: SLACK_LIMITS.messageBlocks - 2 }),
  ];
  return { text: `Status history: ${records.length} entries`, blocks };
}

function historyLine(deps: SlackDeps, record: TransitionRecord): string {
  const label = (name: string | undefined) => {
    if (name === undefined) return '?';
    const resolved = resolveStatus(deps.policy, name);
    return userText(resolved.ok ? statusLabel(deps.policy, resolved.name) : name, 60);
  };
  const change =
    changeOf(record.outcome, label(record.toStatus)) ??
    (record.fromStatus
      ? `${label(record.fromStatus)} → ${label(record.toStatus)}`
      : `asked for ${label(record.toStatus)}`);
  const reason = record.reason ? ` · _${userText(record.reason, 100)}_` : '';
  return `• ${slackTime(record.decidedAt, '{date_short_pretty} {time}')} · ${change} · by <@${record.actorSlackId}> · ${outcomeWord(record.outcome)}${reason}`;
}

/** "From → to" as Genesys showed them, when the outcome knows the from side. */
function changeOf(outcome: TransitionOutcome, requested: string): string | undefined {
  switch (outcome.kind) {
    case 'applied':
      return `${userText(outcome.from.presenceLabel, 60)} → ${userText(outcome.to.presenceLabel, 60)}`;
    case 'noop':
    case 'conflict':
      return `${userText(outcome.current.presenceLabel, 60)} → ${requested}`;
    default:
      return undefined;
  }
}

function outcomeWord(outcome: TransitionOutcome): string {
  switch (outcome.kind) {
    case 'applied':
      return ':white_check_mark: applied';
    case 'noop':
      return 'no change';
    case 'refused':
      return `:no_entry: refused (${outcome.code.replace(/_/g, ' ')})`;
    case 'conflict':
      return ':twisted_rightwards_arrows: conflict';
    case 'failed':
      return ':warning: failed';
    case 'unknown':
      return ':hourglass_flowing_sand: not known yet';
  }
}
