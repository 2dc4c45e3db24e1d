/**
 * The conflict message: the status changed between the moment the user looked and the write. Genesys has no
 * ETag, so the app never overwrites silently; the user decides.
 *
 * Every button carries only an opaque token id. The handler looks the token up server-side (who asked, which
 * agent, which status, which version) and re-runs the whole pipeline; a forged or replayed value gains nothing.
 */
import {
  type ActionsBlock,
  button,
  fallbackText,
  type Person,
  personRef,
  type SlackMessage,
  section,
  slackTime,
  userText,
} from './blocks.js';

export const CONFLICT_BLOCK_ID = 'conflict_actions';

export const CONFLICT_ACTIONS = {
  /** Write the requested status over the newer one (request with `force`, against the current version). */
  applyAnyway: 'conflict_apply_anyway',
  /** Drop the request and keep the status as it is now. */
  keepCurrent: 'conflict_keep_current',
  /** Re-read the status and show the picker again. */
  refresh: 'conflict_refresh',
} as const;

export interface ConflictMessageInput {
  /** The status the user was looking at; absent when they had not seen one. */
  seenLabel?: string;
  currentLabel: string;
  /** When the status last changed (ISO). */
  changedAt: string;
  /** The status the user asked for. */
  requestedLabel: string;
  /** Opaque id of the stored pending request; the only thing the buttons carry. */
  tokenId: string;
  /** The agent, when not the person reading. */
  subject?: Person;
}

const TOKEN_MAX_LENGTH = 200;

export function conflictMessage(input: ConflictMessageInput): SlackMessage {
  if (!/^[\w-]+$/.test(input.tokenId) || input.tokenId.length > TOKEN_MAX_LENGTH) {
    throw new RangeError('conflict token id must be 1–200 characters of [A-Za-z0-9_-]');
  }
  const seen = input.seenLabel ? `*${userText(input.seenLabel, 80)}*` : undefined;
  const now = `*${userText(input.currentLabel, 80)}*`;
  const changed = `(changed ${slackTime(input.changedAt)})`;
  const agent = input.subject ? personRef(input.subject) : undefined;
  const what = seen
    ? `You saw ${agent ? `${agent} on ` : ''}${seen}, it is now ${now} ${changed}.`
    : `${agent ? `${agent}'s` : 'Your'} status changed to ${now} ${changed}.`;
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: CONFLICT_BLOCK_ID,
    elements: [
      button({
        text: 'Apply anyway',
        actionId: CONFLICT_ACTIONS.applyAnyway,
        value: input.tokenId,
        style: 'danger',
      }),
      button({ text: 'Keep current', actionId: CONFLICT_ACTIONS.keepCurrent, value: input.tokenId, style: 'primary' }),
      button({ text: 'Refresh', actionId: CONFLICT_ACTIONS.refresh, value: input.tokenId }),
    ],
  };
  return {
    text: fallbackText(
      `${input.seenLabel ? `You saw ${input.seenLabel}, it is now` : 'The status is now'} ${input.currentLabel}. Apply ${input.requestedLabel} anyway?`,
    ),
    blocks: [
      section(`:twisted_rightwards_arrows: ${what}\nYou asked for *${userText(input.requestedLabel, 80)}*.`),
      actions,
    ],
  };
}
