/**
 * A team board: counts per status against the team's caps and on-queue floor, then members grouped by status.
 * A 300-agent team is summarized, not listed: each status shows a bounded number of names and "+N more", and the
 * board never uses more blocks than its caller's budget (a message, or its share of the Home tab).
 */
import type { BoardMember } from '../../pipeline/queries.js';
import {
  context,
  fallbackText,
  header,
  joinWithin,
  type KnownBlock,
  SLACK_LIMITS,
  type SlackMessage,
  section,
  slackTime,
  truncate,
  userText,
} from './blocks.js';

export type { BoardMember };

export interface TeamBoardInput {
  teamId: string;
  teamName: string;
  members: readonly BoardMember[];
  /** At most N members in a status at once, by catalog name. */
  caps: Readonly<Record<string, number>>;
  /** Labels of capped statuses, so a cap shows even when nobody is in that status. */
  statusLabels?: Readonly<Record<string, string>>;
  onQueueFloor: number;
  refreshedAt?: string;
}

export interface StatusGroup {
  status: string;
  label: string;
  members: BoardMember[];
  cap?: number;
}

/** Names listed per status before "+N more"; a board is a glance, the picker lists everyone. */
const NAMES_PER_STATUS = 40;
const NAME_LENGTH = 40;

/** Members grouped by status: On Queue first, then by size, then by label; members by name. */
export function groupByStatus(board: TeamBoardInput): StatusGroup[] {
  const groups = new Map<string, StatusGroup>();
  for (const member of board.members) {
    let group = groups.get(member.status);
    if (!group) {
      group = { status: member.status, label: member.statusLabel, members: [] };
      groups.set(member.status, group);
    }
    group.members.push(member);
  }
  for (const [status, cap] of Object.entries(board.caps)) {
    const group = groups.get(status) ?? { status, label: board.statusLabels?.[status] ?? status, members: [] };
    group.cap = cap;
    groups.set(status, group);
  }
  const onQueue = (g: StatusGroup) => g.members.some((m) => m.systemPresence === 'ON_QUEUE');
  for (const group of groups.values()) group.members.sort((a, b) => a.name.localeCompare(b.name));
  return [...groups.values()].sort(
    (a, b) =>
      Number(onQueue(b)) - Number(onQueue(a)) || b.members.length - a.members.length || a.label.localeCompare(b.label),
  );
}

export function onQueueCount(board: TeamBoardInput): number {
  return board.members.filter((m) => m.systemPresence === 'ON_QUEUE').length;
}

function countLine(group: StatusGroup): string {
  const label = `*${userText(group.label, 60)}*`;
  if (group.cap === undefined) return `${label}: ${group.members.length}`;
  const over = group.members.length > group.cap ? ' :warning: over cap' : '';
  const full = group.members.length === group.cap ? ' (full)' : '';
  return `${label}: ${group.members.length} / cap ${group.cap}${over}${full}`;
}

/** One mrkdwn text: the on-queue line against the floor, then one line per status. */
export function boardSummary(board: TeamBoardInput, groups: readonly StatusGroup[] = groupByStatus(board)): string {
  const onQueue = onQueueCount(board);
  const floor =
    board.onQueueFloor > 0
      ? ` (floor ${board.onQueueFloor}${onQueue < board.onQueueFloor ? ' :warning: below floor' : ''})`
      : '';
  return joinWithin([`On Queue: *${onQueue}*${floor}`, ...groups.map(countLine)], {
    max: SLACK_LIMITS.sectionText,
    more: (hidden) => `+${hidden} more statuses`,
  });
}

function memberSection(group: StatusGroup): KnownBlock {
  const names = group.members.map((m) => userText(m.name, NAME_LENGTH));
  const list = joinWithin(names, { max: SLACK_LIMITS.sectionText - 200, separator: ', ', maxItems: NAMES_PER_STATUS });
  return section(`*${userText(group.label, 60)}* (${group.members.length})\n${list}`);
}

/**
 * The board in at most `maxBlocks` blocks (≥ 1): header and summary first, then member sections while they fit;
 * statuses past the budget are folded into one "+N more statuses" line (their counts stay in the summary).
 */
export function teamBoardBlocks(board: TeamBoardInput, maxBlocks: number): KnownBlock[] {
  const groups = groupByStatus(board);
  // The team name gives way before the count does.
  const title = `${truncate(board.teamName, 100)} · ${board.members.length} ${board.members.length === 1 ? 'agent' : 'agents'}`;
  if (maxBlocks < 2) return [section(`*${userText(title, 200)}*\n${boardSummary(board, groups)}`)];
  const blocks: KnownBlock[] = [header(title), section(boardSummary(board, groups))];
  const footer = board.refreshedAt && maxBlocks >= 4 ? [context(`Updated ${slackTime(board.refreshedAt)}`)] : [];
  const room = maxBlocks - blocks.length - footer.length;
  const populated = groups.filter((g) => g.members.length > 0);
  const shown = populated.length <= room ? populated : populated.slice(0, Math.max(0, room - 1));
  blocks.push(...shown.map(memberSection));
  const hidden = populated.length - shown.length;
  if (hidden > 0 && room > 0) {
    blocks.push(section(`+${hidden} more statuses (counts above)`));
  }
  return [...blocks, ...footer];
}

/** `/agent-status show <team>` as a message. */
export function teamBoardMessage(board: TeamBoardInput): SlackMessage {
  return {
    text: fallbackText(`${board.teamName}: ${onQueueCount(board)} on queue of ${board.members.length}`),
    blocks: teamBoardBlocks(board, SLACK_LIMITS.messageBlocks),
  };
}
