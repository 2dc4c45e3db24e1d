/** `/agent-status help`: the command grammar and the status catalog with aliases and reason rules. */
import {
  escapeMrkdwn,
  header,
  joinWithin,
  type KnownBlock,
  SLACK_LIMITS,
  type StatusCatalogEntry,
  section,
  sectionsFromLines,
  truncateMrkdwn,
  userText,
} from './blocks.js';

const COMMAND = '/agent-status';

/** The grammar, in the order people need it. `usage` is literal text, shown in code spans. */
const GRAMMAR: readonly { usage: string; what: string }[] = [
  { usage: '', what: 'open a picker with the statuses you can switch to now' },
  { usage: '<status> [reason…]', what: 'set your status, e.g. `break coffee`' },
  { usage: '@user <status> [reason…]', what: "set a team member's status (supervisors)" },
  { usage: '@user <status> override <reason…>', what: "… even below the team's on-queue floor (supervisors, audited)" },
  { usage: 'show [@user|<team>]', what: 'show a status or a team board (alias: `who`)' },
  { usage: 'handover <team>', what: 'hand a team over to the next shift (supervisors)' },
  { usage: 'undo', what: 'revert your last change (within the undo window)' },
  { usage: 'history [@user]', what: 'recent changes' },
  { usage: 'payroll', what: 'payroll webhook deliveries and replays (admins)' },
  { usage: 'help', what: 'this message' },
];

function reasonRule(entry: StatusCatalogEntry): string {
  if (entry.reason === 'none') return '';
  const rule = entry.reason === 'required' ? 'reason required' : 'reason optional';
  return entry.reasons ? `${rule}: ${entry.reasons.join(', ')}` : rule;
}

function statusLine(entry: StatusCatalogEntry): string {
  const aliases = entry.aliases.length
    ? ` · aliases: ${entry.aliases.map((a) => `\`${userText(a, 40)}\``).join(', ')}`
    : '';
  const rule = reasonRule(entry);
  return truncateMrkdwn(
    `• \`${userText(entry.name, 40)}\` ${userText(entry.label, 60)}${aliases}${rule ? ` · _${escapeMrkdwn(rule)}_` : ''}`,
    500,
  );
}

export function helpBlocks(catalog: readonly StatusCatalogEntry[]): KnownBlock[] {
  const grammar = GRAMMAR.map(({ usage, what }) => `\`${escapeMrkdwn(`${COMMAND} ${usage}`.trim())}\` — ${what}`);
  const blocks: KnownBlock[] = [header('agent-status help'), section(grammar.join('\n')), header('Statuses')];
  if (catalog.length === 0) return [...blocks, section('_No statuses are configured._')];
  const statuses = sectionsFromLines(catalog.map(statusLine), {
    maxBlocks: SLACK_LIMITS.messageBlocks - blocks.length,
    more: (hidden) => `+${hidden} more statuses`,
  });
  return [...blocks, ...statuses];
}

/**
 * The same help without markup: the message's `text` fallback, and the answer where blocks are not possible.
 * The status list is capped like the blocks.
 */
export function helpText(catalog: readonly StatusCatalogEntry[]): string {
  const grammar = GRAMMAR.map(({ usage, what }) => `${`${COMMAND} ${usage}`.trim()} — ${what.replace(/`/g, '')}`);
  const statuses = catalog.map((entry) => {
    const aliases = entry.aliases.length ? ` (aliases: ${entry.aliases.join(', ')})` : '';
    const rule = reasonRule(entry);
    return `${entry.name}: ${entry.label}${aliases}${rule ? `; ${rule}` : ''}`;
  });
  const listed = joinWithin(statuses, { max: SLACK_LIMITS.sectionText, more: (hidden) => `+${hidden} more statuses` });
  // Slack reads a message's `text` as mrkdwn too, so `<team>` must arrive escaped.
  return escapeMrkdwn(['agent-status commands:', ...grammar, '', 'Statuses:', listed].join('\n'));
}
