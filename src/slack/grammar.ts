/**
 * `/agent-status` command grammar (case-insensitive). Pure: the status catalog is passed in as a predicate,
 * so the parser knows "on queue" is one status and "lunch pizza" is a status with a reason.
 *
 *   (nothing)                          open the status picker
 *   <status> [reason…]                 change your own status
 *   <@user> <status> [reason…]         a supervisor changes an agent of their team
 *   … <status> override <reason…>      a supervisor overrides the team's on-queue floor (audited)
 *   show|who [<@user>|<team>]          current state / a team board
 *   handover <team>                    shift handover modal
 *   undo | history [<@user>] | payroll | help
 */
import { INPUT_LIMITS } from '../domain/input-limits.js';
import { closestNames } from '../policy/suggest.js';
import { userText } from './views/blocks.js';

export type ParsedCommand =
  | { kind: 'picker' }
  | { kind: 'help' }
  | { kind: 'set'; user?: string; status: string; reason?: string; overrideFloor?: true }
  | { kind: 'show'; user?: string; team?: string }
  | { kind: 'handover'; team: string }
  | { kind: 'undo' }
  | { kind: 'history'; user?: string }
  | { kind: 'payroll' }
  | { kind: 'error'; message: string };

const VERBS = ['show', 'who', 'handover', 'undo', 'history', 'payroll', 'help'] as const;

/** Slack escapes mentions in command text as `<@U123|name>` (or `<@U123>`). */
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export interface GrammarContext {
  /** True when `text` names a status of the catalog (name, alias or label). */
  isStatus(text: string): boolean;
  /** Status names, for "did you mean" on an unknown first word. */
  statusNames: readonly string[];
}

/**
 * Slack sends command text with `&`, `<` and `>` escaped (`&amp;`, `&lt;`, `&gt;`), so that `<@U…>` can only
 * be a real mention. Mentions are matched on the escaped words; everything else is unescaped exactly once,
 * so "R&D" reaches Genesys and payroll as typed.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: 'amp' | 'lt' | 'gt') => SLACK_ESCAPES[name]);
}
const SLACK_ESCAPES = { amp: '&', lt: '<', gt: '>' } as const;

export function parseCommand(text: string, context: GrammarContext): ParsedCommand {
  // Checked before any other work: matching and suggestions never see more than the limit.
  if (text.length > INPUT_LIMITS.commandTextChars) {
    return usage(`a command can be at most ${INPUT_LIMITS.commandTextChars} characters; this one has ${text.length}`);
  }
  const escaped = text.trim().split(/\s+/).filter(Boolean);
  if (escaped.length === 0) return { kind: 'picker' };
  const words = escaped.map(unescapeSlackText);
  const first = words[0]!;
  const verb = first.toLowerCase();
  const rest = words.slice(1);
  const escapedRest = escaped.slice(1);

  switch (verb) {
    case 'help':
      return rest.length === 0 ? { kind: 'help' } : usage('help takes no arguments');
    case 'undo':
      return rest.length === 0 ? { kind: 'undo' } : usage('undo takes no arguments: it undoes your last change');
    case 'payroll':
      return rest.length === 0 ? { kind: 'payroll' } : usage('payroll takes no arguments');
    case 'history': {
      if (rest.length === 0) return { kind: 'history' };
      const user = rest.length === 1 ? mention(escapedRest[0]!) : undefined;
      return user ? { kind: 'history', user } : usage('use `history` or `history @user`');
    }
    case 'show':
    case 'who': {
      if (rest.length === 0) return { kind: 'show' };
      if (rest.length > 1) return usage(`use \`${verb}\`, \`${verb} @user\` or \`${verb} <team>\``);
      const user = mention(escapedRest[0]!);
      return user ? { kind: 'show', user } : { kind: 'show', team: rest[0]!.toLowerCase() };
    }
    case 'handover':
      return rest.length === 1 && !mention(escapedRest[0]!)
        ? { kind: 'handover', team: rest[0]!.toLowerCase() }
        : usage('use `handover <team>`, for example `handover billing`');
  }

  const user = mention(escaped[0]!);
  if (user) {
    if (rest.length === 0) return usage(`say which status: \`@user <status> [reason]\``);
    return statusAndReason(rest, context, user);
  }
  if (first.startsWith('@')) {
    return usage(
      `pick the person from Slack's @-menu so the mention becomes a link (plain text "${first}" cannot be matched)`,
    );
  }
  return statusAndReason(words, context);
}

/** The longest leading run of words (up to three) that names a status; the rest is the reason. */
function statusAndReason(words: string[], context: GrammarContext, user?: string): ParsedCommand {
  for (let take = Math.min(3, words.length); take >= 1; take--) {
    const status = words.slice(0, take).join(' ');
    if (context.isStatus(status)) return setCommand(user, status, words.slice(take));
  }
  // Not a status: hand the first word on so the pipeline answers with its own "did you mean".
  const typed = words[0]!;
  const verbHint = closestNames(
    typed,
    VERBS.map((name) => ({ name, words: [name] })),
    1,
  );
  if (
    verbHint.length > 0 &&
    !closestNames(
      typed,
      context.statusNames.map((name) => ({ name, words: [name] })),
      1,
    ).length
  ) {
    return {
      kind: 'error',
      message: `Unknown command "${userText(typed, 40)}". Did you mean \`${verbHint[0]}\`? Try \`/agent-status help\`.`,
    };
  }
  return setCommand(user, typed, words.slice(1));
}

/** `override` right after the status asks to override the on-queue floor; the words after it are the reason. */
function setCommand(user: string | undefined, status: string, rest: string[]): ParsedCommand {
  const overrideFloor = rest[0]?.toLowerCase() === 'override';
  const reason = (overrideFloor ? rest.slice(1) : rest).join(' ');
  return {
    kind: 'set',
    ...(user ? { user } : {}),
    status,
    ...(reason ? { reason } : {}),
    ...(overrideFloor ? { overrideFloor: true as const } : {}),
  };
}

function mention(word: string): string | undefined {
  return MENTION.exec(word)?.[1];
}

function usage(message: string): ParsedCommand {
  return { kind: 'error', message: `That didn't work: ${message}. See \`/agent-status help\`.` };
}
