/**
 * The local Slack console (`npm run slack`): stands in for the Slack client in the embedded demo. One command
 * per invocation, or an interactive console with no arguments. See `npm run slack -- --help`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CONSOLE_USAGE, consoleSettings, parseConsoleArgs, parseReplLine } from '../src/demo/console/args.js';
import { SlackConsole } from '../src/demo/console/session.js';
import { readDemoInfo } from '../src/demo/info.js';

const REPL_HELP = `type a slash command (/agent-status break coffee), or:
  click <button label>        submit field=value …        select field=value
  home    show    users    as <demo user>    quit
add --as <demo user> to any line to type as someone else`;

// `npm run slack -- --help | head`: a reader that stops early is not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const parsed = parseConsoleArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(`${CONSOLE_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`slack console: ${parsed.message}\n${CONSOLE_USAGE}\n`);
    return 2;
  }
  const dataDir = process.env.DATA_DIR || './data';
  const settings = consoleSettings(parsed.flags, process.env, readDemoInfo(dataDir));
  const slack = new SlackConsole({ ...settings, statePath: join(dataDir, 'slack-console.json') });

  if (parsed.kind === 'run') {
    try {
      process.stdout.write(`${await slack.run(parsed.command, parsed.flags.as)}\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`slack console: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }

  process.stdout.write(
    `Slack console → ${settings.slackUrl}${settings.standInUrl ? ` (stand-in ${settings.standInUrl})` : ''}\n${REPL_HELP}\n`,
  );
  let as = parsed.flags.as;
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'slack> ' });
  rl.prompt();
  for await (const line of rl) {
    const input = parseReplLine(line);
    if (input.kind === 'quit') break;
    if (input.kind === 'help') process.stdout.write(`${REPL_HELP}\n`);
    if (input.kind === 'error') process.stdout.write(`${input.message}\n`);
    if (input.kind === 'run') {
      try {
        process.stdout.write(`${await slack.run(input.command, input.as ?? as)}\n`);
        as = undefined; // remembered in the state file from now on
      } catch (error) {
        process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    rl.prompt();
  }
  rl.close();
  return 0;
}

process.exitCode = await main();
