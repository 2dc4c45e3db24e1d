/**
 * The console's command line and REPL grammar, and where it finds the app: pure functions, so every form
 * is tested without a process.
 */
import { DEMO_SLACK_SIGNING_SECRET } from '../credentials.js';
import { type DemoInfo, demoPorts } from '../info.js';
import type { ConsoleCommand, SlackConsoleOptions } from './session.js';

export const CONSOLE_USAGE = `usage: npm run slack -- [what] [options]
  "/agent-status break coffee"   a slash command, signed as Slack signs it (the /agent-status may be left out)
  --click "<button label>"       press a button of the last answer (or of the open modal / Home tab)
  --submit field=value …         submit the open modal (fields by label or block id; menus take labels or values;
                                 several values: a,b)
  --select field=value           choose from a menu of the last answer
  --home                         open the App Home tab
  --show                         print the last answer and the open modal again
  --users                        list the demo users
  (nothing)                      an interactive console taking the same lines: /agent-status …, click …, submit …,
                                 select …, home, show, users, as <who>, quit
options:
  --as <who>         the demo user typing: e-mail, the part before @, name or Slack id (remembered)
  --url <url>        the app's Slack endpoint (default: from data/demo.json, else http://127.0.0.1:$PORT/slack/events)
  --standin <url>    the demo's Slack stand-in (default: from data/demo.json, else the app's port + 1)
  --channel <id>     the channel the command is typed in (default C0CONSOLE)
  --wait <ms>        the longest wait for the app's messages (default 15000)
signing secret: SLACK_SIGNING_SECRET, else the demo's; state: $DATA_DIR/slack-console.json`;

export interface ConsoleFlags {
  as?: string;
  url?: string;
  standin?: string;
  channel?: string;
  waitMs?: number;
}

export type ParsedArgs =
  | { kind: 'run'; command: ConsoleCommand; flags: ConsoleFlags }
  | { kind: 'repl'; flags: ConsoleFlags }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

const VALUE_FLAGS = new Set(['--as', '--url', '--standin', '--channel', '--wait', '--click', '--select']);

/** `npm run slack -- …` arguments (already split by the shell). */
export function parseConsoleArgs(argv: readonly string[]): ParsedArgs {
  const flags: ConsoleFlags = {};
  const commands: ConsoleCommand[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') && VALUE_FLAGS.has(arg.slice(0, arg.indexOf('=')))
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return undefined;
      i += 1;
      return next;
    };
    if (VALUE_FLAGS.has(name)) {
      const v = value();
      if (v === undefined) return { kind: 'error', message: `${name} needs a value` };
      switch (name) {
        case '--as':
          flags.as = v;
          break;
        case '--url':
          flags.url = v;
          break;
        case '--standin':
          flags.standin = v;
          break;
        case '--channel':
          flags.channel = v;
          break;
        case '--wait': {
          const ms = Number(v);
          if (!Number.isInteger(ms) || ms < 0)
            return { kind: 'error', message: '--wait takes a whole number of milliseconds' };
          flags.waitMs = ms;
          break;
        }
        case '--click':
          commands.push({ kind: 'click', label: v });
          break;
        case '--select': {
          const pair = splitAssignment(v);
          if (!pair) return { kind: 'error', message: '--select takes field=value' };
          commands.push({ kind: 'select', name: pair[0], value: pair[1] });
          break;
        }
      }
      continue;
    }
    switch (name) {
      case '--help':
      case '-h':
        return { kind: 'help' };
      case '--submit': {
        const fields: [string, string][] = [];
        while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) {
          const pair = splitAssignment(argv[i + 1]!);
          if (!pair) return { kind: 'error', message: `--submit takes field=value pairs, got "${argv[i + 1]}"` };
          fields.push(pair);
          i += 1;
        }
        commands.push({ kind: 'submit', fields });
        break;
      }
      case '--home':
        commands.push({ kind: 'home' });
        break;
      case '--show':
        commands.push({ kind: 'show' });
        break;
      case '--users':
        commands.push({ kind: 'users' });
        break;
      default:
        if (name.startsWith('--')) return { kind: 'error', message: `unknown option ${name}` };
        positional.push(arg);
    }
  }
  if (positional.length > 0) commands.push(slashCommand(positional.join(' ')));
  if (commands.length > 1)
    return {
      kind: 'error',
      message: 'one thing at a time: a command, --click, --submit, --select, --home, --show or --users',
    };
  const command = commands[0];
  if (!command)
    return flags.as ? { kind: 'run', command: { kind: 'as', who: flags.as }, flags } : { kind: 'repl', flags };
  return { kind: 'run', command, flags };
}

/** `/agent-status break coffee`, or just `break coffee` (the app's one command is implied). */
export function slashCommand(line: string): ConsoleCommand {
  const trimmed = line.trim();
  if (!trimmed.startsWith('/')) return { kind: 'slash', command: '/agent-status', text: trimmed };
  const space = trimmed.search(/\s/);
  return space < 0
    ? { kind: 'slash', command: trimmed, text: '' }
    : { kind: 'slash', command: trimmed.slice(0, space), text: trimmed.slice(space).trim() };
}

function splitAssignment(pair: string): [string, string] | undefined {
  const at = pair.indexOf('=');
  if (at <= 0) return undefined;
  return [pair.slice(0, at).trim(), pair.slice(at + 1)];
}

export type ReplLine =
  | { kind: 'run'; command: ConsoleCommand; as?: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'empty' }
  | { kind: 'error'; message: string };

/**
 * One REPL line. Slash commands go to the app as typed (quotes and all), with an optional trailing
 * `--as <who>`; the console's own words split like shell words, with double quotes.
 */
export function parseReplLine(line: string): ReplLine {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (trimmed.startsWith('/')) {
    const as = /\s--as\s+("([^"]*)"|\S+)\s*$/.exec(trimmed);
    const command = slashCommand(as ? trimmed.slice(0, as.index) : trimmed);
    return as ? { kind: 'run', command, as: as[2] ?? as[1]! } : { kind: 'run', command };
  }
  const words = shellWords(trimmed.replace(/^--/, ''));
  const [verb = '', ...rest] = words;
  let as: string | undefined;
  const asAt = rest.indexOf('--as');
  if (asAt >= 0) {
    as = rest[asAt + 1];
    if (as === undefined) return { kind: 'error', message: '--as needs a value' };
    rest.splice(asAt, 2);
  }
  const withAs = (command: ConsoleCommand): ReplLine =>
    as === undefined ? { kind: 'run', command } : { kind: 'run', command, as };
  switch (verb.toLowerCase()) {
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'click':
      return rest.length
        ? withAs({ kind: 'click', label: rest.join(' ') })
        : { kind: 'error', message: 'click <button label>' };
    case 'submit': {
      const fields: [string, string][] = [];
      for (const word of rest) {
        const pair = splitAssignment(word);
        if (!pair) return { kind: 'error', message: `submit takes field=value pairs, got "${word}"` };
        fields.push(pair);
      }
      return withAs({ kind: 'submit', fields });
    }
    case 'select': {
      const pair = splitAssignment(rest.join(' '));
      return pair
        ? withAs({ kind: 'select', name: pair[0], value: pair[1] })
        : { kind: 'error', message: 'select field=value' };
    }
    case 'home':
      return withAs({ kind: 'home' });
    case 'show':
      return { kind: 'run', command: { kind: 'show' } };
    case 'users':
      return { kind: 'run', command: { kind: 'users' } };
    case 'as':
      return rest.length
        ? { kind: 'run', command: { kind: 'as', who: rest.join(' ') } }
        : { kind: 'error', message: 'as <demo user>' };
    default:
      return {
        kind: 'error',
        message: `"${verb}"? type /agent-status …, click, submit, select, home, show, users, as, help or quit`,
      };
  }
}

/** Words separated by spaces; "double quotes" keep spaces, also inside a word (`reason="long lunch"`). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (const char of line) {
    if (char === '"') {
      quoted = !quoted;
      started = true;
    } else if (/\s/.test(char) && !quoted) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

/** Where the console sends requests and reads answers, from flags, the running demo's file and the environment. */
export function consoleSettings(
  flags: ConsoleFlags,
  env: Readonly<Record<string, string | undefined>>,
  info: DemoInfo | undefined,
): Omit<SlackConsoleOptions, 'statePath'> {
  const fromInfo = flags.url === undefined || sameEndpoint(flags.url, info?.slackUrl);
  const slackUrl = endpoint(flags.url ?? info?.slackUrl ?? `http://127.0.0.1:${env.PORT || '3000'}`);
  let standInUrl = flags.standin ?? (fromInfo ? info?.slackStandInUrl : undefined);
  if (standInUrl === undefined && env.SLACK_API_URL) standInUrl = new URL(env.SLACK_API_URL).origin;
  if (standInUrl === undefined && !env.SLACK_BOT_TOKEN) {
    const port = demoPorts(Number(new URL(slackUrl).port || 80)).slackStandIn;
    if (port) standInUrl = `http://127.0.0.1:${port}`;
  }
  return {
    slackUrl,
    standInUrl,
    signingSecret: env.SLACK_SIGNING_SECRET?.trim() || DEMO_SLACK_SIGNING_SECRET,
    ...(flags.channel ? { channel: { id: flags.channel, name: flags.channel.toLowerCase() } } : {}),
    ...(flags.waitMs === undefined ? {} : { maxWaitMs: flags.waitMs }),
  };
}

/** A bare origin means its `/slack/events`. */
function endpoint(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/slack/events';
  return parsed.toString();
}

function sameEndpoint(a: string, b: string | undefined): boolean {
  return b !== undefined && endpoint(a) === endpoint(b);
}
