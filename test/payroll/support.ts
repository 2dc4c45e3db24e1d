import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { generateWebhookSecret } from '../../src/payroll/webhook.js';
import { OutboxWorker, type OutboxWorkerOptions } from '../../src/payroll/worker.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { appliedChange, tempStorePath } from '../store/fixtures/records.js';

export const SECRET = generateWebhookSecret();

/** A pino logger whose JSON lines land in `lines`, to assert on what was logged. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Records an applied change of `agentId` with event id `eventId`, as the pipeline would. */
export async function recordChange(store: SqliteStore, agentId: string, eventId: string): Promise<void> {
  const { record, event } = appliedChange({ agentId, requestId: `req-${eventId}`, eventId });
  await store.transitions.recordTransition(record, event);
}

export interface Harness {
  store: SqliteStore;
  path: string;
  registry: Registry;
  lines: Array<Record<string, unknown>>;
  worker(options: Partial<OutboxWorkerOptions>): OutboxWorker;
  /** Stops every worker and closes every store the harness made. */
  close(): Promise<void>;
}

/**
 * A store on a temp file plus workers with fast test settings (override any of them). With `now`, the store and
 * every worker run on that clock.
 */
export function harness({ now }: { now?: () => number } = {}): Harness {
  const path = tempStorePath();
  const store = openSqliteStore(path, now === undefined ? {} : { now });
  const registry = new Registry();
  const { logger, lines } = capturingLogger();
  const workers: OutboxWorker[] = [];
  return {
    store,
    path,
    registry,
    lines,
    worker(options) {
      const worker = new OutboxWorker({
        outbox: store.outbox,
        secret: SECRET,
        schedule: Array.from({ length: 50 }, () => 20),
        jitter: 0,
        pollIntervalMs: 20,
        timeoutMs: 2000,
        logger,
        registry,
        ...(now === undefined ? {} : { now }),
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await store.close();
    },
  };
}
