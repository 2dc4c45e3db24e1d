import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Webhook } from 'standardwebhooks';
import type { OutboxEntry, OutboxStore } from '../pipeline/ports.js';
import { createWebhook, signHeaders } from './webhook.js';

/**
 * Delays before attempts 2, 3, …: Standard Webhooks' schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
 * The first attempt goes as soon as the event is recorded, so an event gets eight attempts in all.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/** A `Retry-After` longer than this is treated as this: a receiver's typo must not park an event for weeks. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export interface OutboxWorkerOptions {
  outbox: OutboxStore;
  /** `PAYROLL_WEBHOOK_URL`; without it events stay queued (and the worker says so at start). */
  url?: string;
  /** `PAYROLL_WEBHOOK_SECRET`: `whsec_` + base64. */
  secret: string;
  /** Delays before attempt 2, 3, …; past the last one an event is dead. Default DEFAULT_RETRY_SCHEDULE_MS. */
  schedule?: readonly number[];
  /** Each delay is spread by ± this ratio so that many failed events do not come back at once. Default 0.2. */
  jitter?: number;
  /** Per attempt, response body included. Default 10 s. */
  timeoutMs?: number;
  /** How often the outbox is checked for due entries (replays by the CLI, scheduled retries). Default 1 s. */
  pollIntervalMs?: number;
  /** Deliveries in flight at once, each for a different agent. Default 4. */
  concurrency?: number;
  /** Delivered but not acknowledged for this long → warning and metric; 0 turns the check off. Default 1 h. */
  unackedWindowMs?: number;
  logger: Logger;
  registry: Registry;
  fetch?: typeof fetch;
  /** Time for due entries, retry times and the acknowledgement window. Default `Date.now`. */
  now?: () => number;
}

type AttemptResult =
  | { kind: 'delivered' }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  | { kind: 'dead'; error: string };

interface PayrollMetrics {
  deliveries: Counter<'result'>;
  latency: Histogram<'result'>;
  unacknowledged: Gauge;
}

/**
 * Delivers the payroll outbox: signed POSTs, retries on a schedule, dead letters. An entry stays pending
 * in the store while it is being delivered, so a crash mid-delivery leaves it due again on restart, with
 * the same `webhook-id`. Per-agent order comes from the store (one due entry per agent) and from never
 * having two deliveries of one agent in flight.
 */
export class OutboxWorker {
  private readonly outbox: OutboxStore;
  private readonly url: string | undefined;
  private readonly webhook: Webhook;
  private readonly schedule: readonly number[];
  private readonly jitter: number;
  private readonly timeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly unackedWindowMs: number;
  private readonly logger: Logger;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly metrics: PayrollMetrics;

  /** Deliveries in flight, by agent id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly warnedUnacked = new Set<string>();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private lastUnackedCheck = 0;

  constructor(options: OutboxWorkerOptions) {
    this.outbox = options.outbox;
    this.url = options.url;
    this.webhook = createWebhook(options.secret);
    this.schedule = options.schedule ?? DEFAULT_RETRY_SCHEDULE_MS;
    this.jitter = options.jitter ?? 0.2;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    this.unackedWindowMs = options.unackedWindowMs ?? 60 * 60 * 1000;
    this.logger = options.logger.child({ component: 'payroll' });
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.metrics = registerMetrics(options.registry, options.outbox);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.url) {
      this.logger.warn(
        'PAYROLL_WEBHOOK_URL is not set: status changes work, payroll events stay queued (npm run payroll -- list)',
      );
    }
    this.kick();
  }

  /** Looks for due entries now instead of at the next poll, e.g. right after an event was recorded. */
  kick(): void {
    if (!this.running) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.polling = this.poll().finally(() => {
      this.polling = undefined;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.kick();
      } else if (this.running) {
        this.timer = setTimeout(() => this.kick(), this.pollIntervalMs);
      }
    });
  }

  /** Stops polling and waits for the deliveries in flight to finish and be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.all(this.inFlight.values());
  }

  private async poll(): Promise<void> {
    try {
      if (this.url) await this.dispatch(this.url);
      await this.checkUnacknowledged();
    } catch (error) {
      this.logger.error({ err: error }, 'payroll outbox poll failed');
    }
  }

  private async dispatch(url: string): Promise<void> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return;
    // The in-flight entries are still pending and due, so ask for enough to find `free` others.
    const due = await this.outbox.due(new Date(this.now()), free + this.inFlight.size);
    for (const entry of due.filter((e) => !this.inFlight.has(e.agentId)).slice(0, free)) {
      if (!this.running) return;
      const delivery = this.deliver(url, entry).finally(() => {
        this.inFlight.delete(entry.agentId);
        // The agent's next event (if any) is due now.
        this.kick();
      });
      this.inFlight.set(entry.agentId, delivery);
    }
  }

  private async deliver(url: string, entry: OutboxEntry): Promise<void> {
    const log = this.logger.child({ eventId: entry.eventId, webhookId: entry.webhookId, agentId: entry.agentId });
    const attempt = entry.attempts + 1;
    const started = performance.now();
    const result = await this.attempt(url, entry);
    this.metrics.latency.observe({ result: result.kind }, (performance.now() - started) / 1000);
    try {
      if (result.kind === 'delivered') {
        await this.outbox.markDelivered(entry.eventId, new Date(this.now()));
        this.metrics.deliveries.inc({ result: 'delivered' });
        log.info({ attempt }, 'payroll event delivered');
      } else if (result.kind === 'retry' && attempt <= this.schedule.length) {
        const delayMs = Math.max(this.spread(this.schedule[attempt - 1]!), result.retryAfterMs ?? 0);
        await this.outbox.markRetry(entry.eventId, new Date(this.now() + delayMs), result.error);
        this.metrics.deliveries.inc({ result: 'retry' });
        log.warn(
          { attempt, error: result.error, retryInMs: Math.round(delayMs) },
          'payroll delivery failed; will retry',
        );
      } else {
        const error = result.kind === 'retry' ? `gave up after ${attempt} attempts: ${result.error}` : result.error;
        await this.outbox.markDead(entry.eventId, error);
        this.metrics.deliveries.inc({ result: 'dead' });
        log.error({ attempt, error }, 'payroll event dead-lettered (npm run payroll -- replay <eventId>)');
      }
    } catch (error) {
      // The entry stays pending and is retried with the same webhook-id; receivers deduplicate.
      log.error({ err: error }, 'payroll delivery could not be recorded');
    }
  }

  private async attempt(url: string, entry: OutboxEntry): Promise<AttemptResult> {
    const payload = JSON.stringify({ type: 'agent.status.changed', data: entry.event.data });
    try {
      const response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signHeaders(this.webhook, entry.webhookId, payload) },
        body: payload,
        // Redirects are answers, not detours: following one would re-sign nothing and hide a wrong URL.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = await response.text();
      return classify(response.status, response.headers.get('retry-after'), body, this.now());
    } catch (error) {
      return { kind: 'retry', error: describeFetchError(error, this.timeoutMs) };
    }
  }

  private spread(delayMs: number): number {
    return delayMs * (1 + this.jitter * (2 * Math.random() - 1));
  }

  private async checkUnacknowledged(): Promise<void> {
    if (this.unackedWindowMs <= 0) return;
    const now = this.now();
    if (now - this.lastUnackedCheck < Math.min(this.unackedWindowMs, 60_000)) return;
    this.lastUnackedCheck = now;
    const overdue = (await this.outbox.list({ state: 'delivered' })).filter(
      (e) => e.deliveredAt !== undefined && now - Date.parse(e.deliveredAt) > this.unackedWindowMs,
    );
    this.metrics.unacknowledged.set(overdue.length);
    for (const entry of overdue) {
      if (this.warnedUnacked.has(entry.eventId)) continue;
      this.logger.warn(
        { eventId: entry.eventId, webhookId: entry.webhookId, agentId: entry.agentId, deliveredAt: entry.deliveredAt },
        'payroll event delivered but not acknowledged in time',
      );
    }
    // Remember only what is still overdue, so the set cannot grow without bound.
    this.warnedUnacked.clear();
    for (const entry of overdue) this.warnedUnacked.add(entry.eventId);
  }
}

function classify(status: number, retryAfter: string | null, body: string, now: number): AttemptResult {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const error = `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  if (status >= 500 || status === 408 || status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    return retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs };
  }
  // 410 Gone, other 4xx and unfollowed redirects: repeating the same request cannot succeed.
  return { kind: 'dead', error };
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now;
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = error.cause;
    const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
    return detail ? `${error.message} (${detail})` : error.message;
  }
  return String(error);
}

function registerMetrics(registry: Registry, outbox: OutboxStore): PayrollMetrics {
  // Depth and dead letters are read from the store at scrape time: the CLI and other processes change them too.
  const countOf = async (state: OutboxEntry['state']) => {
    try {
      return (await outbox.counts())[state];
    } catch {
      return undefined;
    }
  };
  const storeGauge = (name: string, help: string, state: OutboxEntry['state']) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const n = await countOf(state);
        if (n !== undefined) this.set(n);
      },
    });
  storeGauge('agent_status_payroll_outbox_depth', 'Payroll events waiting to be delivered (pending)', 'pending');
  storeGauge(
    'agent_status_payroll_dead_letters',
    'Payroll events given up on, waiting for an operator (npm run payroll -- dead)',
    'dead',
  );
  return {
    deliveries: new Counter({
      name: 'agent_status_payroll_deliveries_total',
      help: 'Payroll delivery attempts by result (delivered, retry, dead)',
      labelNames: ['result'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'agent_status_payroll_delivery_latency_seconds',
      help: 'Duration of one payroll delivery attempt, by result',
      labelNames: ['result'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    unacknowledged: new Gauge({
      name: 'agent_status_payroll_unacknowledged_deliveries',
      help: 'Payroll events delivered but not acknowledged within the acknowledgement window',
      registers: [registry],
    }),
  };
}
