/**
 * The handover summary posted in the team's channel: who handed over to whom, per-status counts before and after
 * in a compact table, the notes, and the changes that failed with their reasons.
 */
import {
  context,
  escapeMrkdwn,
  fallbackText,
  header,
  joinWithin,
  type KnownBlock,
  type Person,
  personRef,
  SLACK_LIMITS,
  type SlackMessage,
  section,
  slackTime,
  truncate,
  userText,
} from './blocks.js';

export interface StatusCount {
  label: string;
  count: number;
}

export interface HandoverFailure {
  agentName: string;
  reason: string;
  /** Slack user ids (or e-mails) the reason names, shown as people. */
  people?: readonly string[];
}

export interface HandoverPostInput {
  teamName: string;
  outgoing: Person;
  incoming: Person;
  /** Members per status before and after the handover, by label. */
  before: readonly StatusCount[];
  after: readonly StatusCount[];
  /** Status changes applied. */
  changed: number;
  failures: readonly HandoverFailure[];
  notes?: string;
  completedAt: string;
}

/** Failures listed by name before "+N more". */
export const HANDOVER_POST_MAX_FAILURES = 20;
const LABEL_WIDTH = 20;

/** A monospace table; padding is computed on the raw labels and escaped afterwards so the columns line up. */
function countsTable(before: readonly StatusCount[], after: readonly StatusCount[]): string {
  const labels = [...new Set([...before, ...after].map((c) => c.label))];
  const count = (list: readonly StatusCount[], label: string) => list.find((c) => c.label === label)?.count ?? 0;
  const row = (label: string, a: string, b: string) =>
    escapeMrkdwn(`${truncate(label, LABEL_WIDTH).padEnd(LABEL_WIDTH)} ${a.padStart(6)} ${b.padStart(6)}`);
  const rows = labels.map((label) => row(label, String(count(before, label)), String(count(after, label))));
  const table = joinWithin(rows, { max: SLACK_LIMITS.sectionText - 100, more: (hidden) => `+${hidden} more statuses` });
  return `\`\`\`\n${row('Status', 'Before', 'After')}\n${table}\n\`\`\``;
}

export function handoverPostMessage(input: HandoverPostInput): SlackMessage {
  const failed = input.failures.length;
  const blocks: KnownBlock[] = [
    header(`Shift handover · ${input.teamName}`),
    section(
      `${personRef(input.outgoing)} handed *${userText(input.teamName, 100)}* over to ${personRef(input.incoming)}: ` +
        `${input.changed} ${input.changed === 1 ? 'change' : 'changes'}${failed ? `, ${failed} failed` : ''}.`,
    ),
    section(countsTable(input.before, input.after)),
  ];
  if (input.notes?.trim()) {
    blocks.push(section(`*Notes*\n${userText(input.notes, SLACK_LIMITS.sectionText - 20, { multiline: true })}`));
  }
  if (failed) {
    const lines = input.failures.map(
      (f) => `• ${userText(f.agentName, 60)}: ${userText(f.reason, 200, { people: f.people ?? [] })}`,
    );
    const list = joinWithin(lines, { max: SLACK_LIMITS.sectionText - 40, maxItems: HANDOVER_POST_MAX_FAILURES });
    blocks.push(section(`*Failed (${failed})*\n${list}`));
  }
  blocks.push(context(`Completed ${slackTime(input.completedAt, '{date_short_pretty} {time}')}`));
  return {
    text: fallbackText(
      `Shift handover ${input.teamName}: ${input.outgoing.name} → ${input.incoming.name}, ${input.changed} changed, ${failed} failed`,
    ),
    blocks,
  };
}
