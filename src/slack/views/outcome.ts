/**
 * The ephemeral answer to a status change, one shape per pipeline outcome. A conflict needs the user to decide,
 * so it has its own message with buttons (conflict.ts).
 */
import type { TransitionOutcome } from '../../domain/transition.js';
import {
  context,
  fallbackText,
  joinWithin,
  type Person,
  personRef,
  type SlackMessage,
  section,
  slackTime,
  truncateMrkdwn,
  userText,
} from './blocks.js';

export type NonConflictOutcome = Exclude<TransitionOutcome, { kind: 'conflict' }>;

const MESSAGE_LENGTH = 1000;
const FALLBACK_LENGTH = 300;
const MAX_SUGGESTIONS = 10;

/** `subject` is the agent whose status changed when that is not the person reading. */
export function outcomeMessage(outcome: NonConflictOutcome, subject?: Person): SlackMessage {
  const whose = subject ? `${personRef(subject)}'s status` : 'Your status';
  const whoseText = subject ? `${subject.name}'s status` : 'Your status';
  switch (outcome.kind) {
    case 'applied': {
      const from = userText(outcome.from.presenceLabel, 80);
      const to = userText(outcome.to.presenceLabel, 80);
      return {
        text: fallbackText(`${whoseText}: ${outcome.from.presenceLabel} → ${outcome.to.presenceLabel}`),
        blocks: [
          section(`:white_check_mark: ${whose}: *${from}* → *${to}*`),
          context(`Changed ${slackTime(outcome.changedAt)} · \`/agent-status undo\` reverts it`),
        ],
      };
    }
    case 'noop': {
      const label = userText(outcome.current.presenceLabel, 80);
      return {
        text: fallbackText(`${whoseText} is already ${outcome.current.presenceLabel}`),
        blocks: [section(`:information_source: ${whose} is already *${label}*; nothing changed.`)],
      };
    }
    case 'refused': {
      const suggestions = outcome.suggestions?.length
        ? [
            context(
              `Try: ${joinWithin(
                outcome.suggestions.map((s) => `\`${userText(s, 60)}\``),
                { max: 1000, separator: ', ', maxItems: MAX_SUGGESTIONS },
              )}`,
            ),
          ]
        : [];
      const message = (max: number) => userText(outcome.message, max, { people: outcome.people ?? [] });
      return {
        text: truncateMrkdwn(`Not changed: ${message(FALLBACK_LENGTH)}`, FALLBACK_LENGTH),
        blocks: [section(`:no_entry: Not changed: ${message(MESSAGE_LENGTH)}`), ...suggestions],
      };
    }
    case 'failed': {
      const hint = outcome.retryable
        ? 'This looks temporary: try again in a minute.'
        : 'Trying again will not help; ask an admin to check the logs.';
      return {
        text: truncateMrkdwn(
          `Could not change the status: ${userText(outcome.message, FALLBACK_LENGTH)}`,
          FALLBACK_LENGTH,
        ),
        blocks: [
          section(`:warning: Could not change the status: ${userText(outcome.message, MESSAGE_LENGTH)}`),
          context(hint),
        ],
      };
    }
    case 'unknown':
      return {
        text: truncateMrkdwn(outcome.message, FALLBACK_LENGTH),
        blocks: [section(`:hourglass_flowing_sand: ${truncateMrkdwn(outcome.message, MESSAGE_LENGTH)}`)],
      };
  }
}
