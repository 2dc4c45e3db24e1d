/**
 * The App Home tab: my status with one button per status allowed now, the boards of the teams I supervise, and
 * when it was last refreshed. Rebuilt on `app_home_opened` and after every change.
 *
 * The quick buttons carry a status name (re-validated by the pipeline like any typed status); the version the
 * page showed travels in `private_metadata`, so a click on a stale page is a conflict, not an overwrite.
 */
import { z } from 'zod';
import {
  type ActionsBlock,
  button,
  chunk,
  context,
  decodeMetadata,
  encodeMetadata,
  type HomeView,
  header,
  joinWithin,
  type KnownBlock,
  SLACK_LIMITS,
  section,
  slackTime,
  userText,
} from './blocks.js';
import { type TeamBoardInput, teamBoardBlocks } from './team-board.js';

export const HOME_ACTIONS = {
  /** Prefix of the quick buttons' action ids (`home_set_status:<name>`); each button's value is the status name. */
  setStatusPrefix: 'home_set_status:',
  openModal: 'home_open_modal',
  /** Value: the team id. */
  handover: 'home_handover',
  refresh: 'home_refresh',
} as const;

/** Matches the quick buttons' action ids, for `app.action(HOME_SET_STATUS_ACTION)`. */
export const HOME_SET_STATUS_ACTION = /^home_set_status:/;

const metadataSchema = z.object({ seenVersion: z.string().max(500).optional() });
export type HomeMetadata = z.infer<typeof metadataSchema>;

export function parseHomeMetadata(raw: string): HomeMetadata {
  return decodeMetadata(metadataSchema, raw || '{}');
}

export interface HomeInput {
  /** Absent when the Slack user is not linked to a Genesys user. */
  me?: { statusLabel: string; since?: string; reason?: string };
  /** Statuses the user may switch to now (catalog name and label). */
  quickStatuses: readonly { name: string; label: string }[];
  /** Boards of the teams the user supervises; empty for agents. */
  boards: readonly TeamBoardInput[];
  refreshedAt: string;
  metadata: HomeMetadata;
}

/** Two rows of quick buttons at most; past that "Change…" (the modal) is the quicker way. */
const MAX_QUICK_BUTTONS = 2 * SLACK_LIMITS.actionsElements;
/** The smallest useful board: header, counts, one member section. */
const MIN_BOARD_BLOCKS = 3;

function myStatus(input: HomeInput): KnownBlock[] {
  if (!input.me) {
    return [
      section(
        'Your Slack account is not linked to a Genesys Cloud user (no Genesys user has your e-mail address). Ask an admin to check it.',
      ),
    ];
  }
  const since = input.me.since ? ` since ${slackTime(input.me.since, '{date_short_pretty} {time}')}` : '';
  const reason = input.me.reason ? `\n_${userText(input.me.reason, 200)}_` : '';
  const blocks: KnownBlock[] = [
    section(
      `*${userText(input.me.statusLabel, 80)}*${since}${reason}`,
      button({ text: 'Change…', actionId: HOME_ACTIONS.openModal }),
    ),
  ];
  const quick = input.quickStatuses
    .slice(0, MAX_QUICK_BUTTONS)
    .map((status) =>
      button({ text: status.label, actionId: `${HOME_ACTIONS.setStatusPrefix}${status.name}`, value: status.name }),
    );
  for (const [i, elements] of chunk(quick, SLACK_LIMITS.actionsElements).entries()) {
    const row: ActionsBlock = { type: 'actions', block_id: `home_quick_${i}`, elements };
    blocks.push(row);
  }
  return blocks;
}

function teamBoards(boards: readonly TeamBoardInput[], budget: number): KnownBlock[] {
  if (boards.length === 0) return [];
  const blocks: KnownBlock[] = [{ type: 'divider' }];
  let room = budget - blocks.length;
  for (const [i, board] of boards.entries()) {
    const left = boards.length - i;
    // An even share of what is left, but a board always gets room for its handover button.
    const share = Math.floor(room / left) - 1;
    if (share < MIN_BOARD_BLOCKS) {
      const rest = joinWithin(
        boards.slice(i).map((b) => userText(b.teamName, 60)),
        { max: SLACK_LIMITS.sectionText - 100, separator: ', ' },
      );
      blocks.push(section(`Also yours: ${rest}. See \`/agent-status show &lt;team&gt;\`.`));
      break;
    }
    const rendered = teamBoardBlocks(board, share);
    const actions: ActionsBlock = {
      type: 'actions',
      block_id: `home_team_${i}`,
      elements: [button({ text: 'Start handover', actionId: HOME_ACTIONS.handover, value: board.teamId })],
    };
    blocks.push(...rendered, actions);
    room -= rendered.length + 1;
  }
  return blocks;
}

export function homeView(input: HomeInput): HomeView {
  const top: KnownBlock[] = [header('Your status'), ...myStatus(input)];
  const footer: KnownBlock[] = [
    { type: 'divider' },
    context(`Last refreshed ${slackTime(input.refreshedAt, '{date_short_pretty} {time}')}`),
    {
      type: 'actions',
      block_id: 'home_footer',
      elements: [button({ text: 'Refresh', actionId: HOME_ACTIONS.refresh })],
    },
  ];
  const boards = teamBoards(input.boards, SLACK_LIMITS.viewBlocks - top.length - footer.length);
  return {
    type: 'home',
    private_metadata: encodeMetadata(metadataSchema, input.metadata),
    blocks: [...top, ...boards, ...footer],
  };
}
