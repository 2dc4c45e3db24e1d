/**
 * The answer to one status change for several agents at once (a supervisor's pick in the status modal): a summary
 * line, then one line per agent. Conflicts are not listed here: each needs its own message with buttons.
 */
import { countOf } from '../../policy/wording.js';
import { fallbackText, type Person, personRef, type SlackMessage, sectionsFromLines, userText } from './blocks.js';
import type { NonConflictOutcome } from './outcome.js';

export interface AgentOutcome {
  subject: Person;
  outcome: NonConflictOutcome;
}

export interface BatchOutcomeInput {
  /** The status asked for. */
  statusLabel: string;
  results: readonly AgentOutcome[];
  /** Agents whose change ran into a conflict (answered in messages of their own). */
  conflicts: number;
}

/** Leaves room in the 50-block message for nothing else; 45 sections of 3000 characters hold any team. */
const MAX_SECTIONS = 45;

function line({ subject, outcome }: AgentOutcome): string {
  const who = personRef(subject, 60);
  switch (outcome.kind) {
    case 'applied':
      return `• ${who}: *${userText(outcome.from.presenceLabel, 60)}* → *${userText(outcome.to.presenceLabel, 60)}*`;
    case 'noop':
      return `• ${who}: already *${userText(outcome.current.presenceLabel, 60)}*`;
    case 'refused':
      return `• ${who}: :no_entry: ${userText(outcome.message, 300, { people: outcome.people ?? [] })}`;
    case 'failed':
      return `• ${who}: :warning: ${userText(outcome.message, 300)}`;
    case 'unknown':
      return `• ${who}: :hourglass_flowing_sand: ${userText(outcome.message, 300)}`;
  }
}

export function batchOutcomeMessage(input: BatchOutcomeInput): SlackMessage {
  const count = (kind: NonConflictOutcome['kind']) => input.results.filter((r) => r.outcome.kind === kind).length;
  const applied = count('applied');
  const unchanged = count('noop');
  const notChanged = count('refused') + count('failed');
  const checking = count('unknown');
  const total = input.results.length + input.conflicts;
  const parts = [
    `${applied} changed`,
    ...(unchanged ? [`${unchanged} already there`] : []),
    ...(notChanged ? [`${notChanged} not changed`] : []),
    ...(checking ? [`${checking} being checked`] : []),
    ...(input.conflicts ? [`${input.conflicts} ${input.conflicts === 1 ? 'conflict' : 'conflicts'} to decide`] : []),
  ];
  const icon = notChanged || checking || input.conflicts ? ':warning:' : ':white_check_mark:';
  const summary = `${icon} *${userText(input.statusLabel, 80)}* for ${countOf(total, 'agent')}: ${parts.join(', ')}.`;
  return {
    text: fallbackText(`${input.statusLabel} for ${countOf(total, 'agent')}: ${parts.join(', ')}`),
    blocks: sectionsFromLines([summary, ...input.results.map(line)], { maxBlocks: MAX_SECTIONS }),
  };
}
