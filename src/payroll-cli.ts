/**
 * `npm run payroll -- list | dead | replay <eventId> | replay --all-dead`: the operator's view of the payroll
 * outbox. Works on the store file the app uses (STORE_URL); a running app picks replays up at its next poll.
 */
import { existsSync } from 'node:fs';
import { type PayrollCommand, parsePayrollCommand } from './payroll-cli-args.js';
import type { OutboxEntry } from './pipeline/ports.js';
import { openSqliteStore, type SqliteStore, sqlitePathFromStoreUrl } from './store/sqlite.js';

const USAGE = `usage: npm run payroll -- <command>
  list [--state <state>]   the outbox, oldest first (states: pending, delivered, dead, acknowledged, rejected)
  dead                     dead letters only
  replay <eventId>         send a dead, delivered or rejected event again (same webhook-id)
  replay --all-dead        send every dead letter again
store: STORE_URL (default sqlite:./data/agent-status.db)`;

/** A plain-text table, one event per line, columns padded to their widest cell. */
function formatOutboxTable(entries: readonly OutboxEntry[]): string {
  if (entries.length === 0) return 'no payroll events';
  const rows = [
    ['EVENT', 'STATE', 'ATTEMPTS', 'AGENT', 'CHANGE', 'CREATED', 'NEXT / DELIVERED', 'LAST ERROR'],
    ...entries.map((e) => [
      e.eventId,
      e.state,
      String(e.attempts),
      e.event.data.email || e.agentId,
      `${e.event.data.from.presence} → ${e.event.data.to.presence}`,
      e.createdAt,
      e.state === 'pending' ? `next ${e.nextAttemptAt}` : (e.deliveredAt ?? ''),
      (e.lastError ?? '').replace(/\s+/g, ' ').slice(0, 80),
    ]),
  ];
  const widths = rows[0]!.map((_, col) => rows.reduce((widest, row) => Math.max(widest, row[col]!.length), 0));
  return rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function run(store: SqliteStore, command: PayrollCommand): Promise<number> {
  switch (command.name) {
    case 'list': {
      const entries = await store.outbox.list(command.state ? { state: command.state } : undefined);
      console.log(formatOutboxTable(entries));
      return 0;
    }
    case 'replay-all-dead': {
      const n = await store.outbox.replayAllDead();
      console.log(`${n} dead letter${n === 1 ? '' : 's'} queued again`);
      return 0;
    }
    case 'replay': {
      if (await store.outbox.replay(command.eventId)) {
        console.log(`event ${command.eventId} queued again (same webhook-id)`);
        return 0;
      }
      const entry = (await store.outbox.list()).find((e) => e.eventId === command.eventId);
      console.error(
        entry
          ? `event ${command.eventId} is ${entry.state}: only dead, delivered or rejected events can be replayed`
          : `no payroll event ${command.eventId}`,
      );
      return 1;
    }
  }
}

async function main(): Promise<number> {
  let command: PayrollCommand;
  try {
    command = parsePayrollCommand(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const storeUrl = process.env.STORE_URL || 'sqlite:./data/agent-status.db';
  const path = sqlitePathFromStoreUrl(storeUrl);
  if (!path) {
    console.error(`STORE_URL: expected sqlite:<path>, got "${storeUrl}"\n${USAGE}`);
    return 2;
  }
  if (path !== ':memory:' && !existsSync(path)) {
    console.error(`no store at ${path}: check STORE_URL (the app creates the file when it first starts)`);
    return 1;
  }
  let store: SqliteStore;
  try {
    store = openSqliteStore(path, { fileMustExist: true });
  } catch (error) {
    console.error(`cannot open the store at ${path}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  try {
    return await run(store, command);
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
