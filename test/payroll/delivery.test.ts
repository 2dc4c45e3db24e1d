import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { type PayrollReceiver, startPayrollReceiver } from '../../src/demo/payroll-receiver.js';
import { generateWebhookSecret } from '../../src/payroll/webhook.js';
import { parseRetryAfter } from '../../src/payroll/worker.js';
import type { OutboxStore } from '../../src/pipeline/ports.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { virtualClock } from '../support/clock.js';
import { waitFor } from '../support/wait.js';
import { type Harness, harness, recordChange, SECRET } from './support.js';

let h: Harness;
const receivers: PayrollReceiver[] = [];
const servers: Server[] = [];
const receiver = async (options: Partial<Parameters<typeof startPayrollReceiver>[0]> = {}) => {
  const r = await startPayrollReceiver({ secret: SECRET, ...options });
  receivers.push(r);
  return r;
};
afterEach(async () => {
  await h?.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

const stateOf = async (eventId: string) => (await h.store.outbox.list()).find((e) => e.eventId === eventId);
const allIn = (state: string, n: number) => async () => (await h.store.outbox.counts())[state as 'pending'] === n;

/**
 * The harness's outbox, counting the worker's polls (`due`) and acknowledgement checks (`list`), each counted once
 * it has answered: a test can know the worker looked without waiting for it to.
 */
function countingOutbox(outbox: OutboxStore) {
  const calls = { due: 0, list: 0 };
  const counting: OutboxStore = {
    ...outbox,
    async due(now, limit) {
      const entries = await outbox.due(now, limit);
      calls.due += 1;
      return entries;
    },
    async list(filter) {
      const entries = await outbox.list(filter);
      calls.list += 1;
      return entries;
    },
  };
  return { calls, outbox: counting };
}

/** A bare receiver that keeps the raw request, answering `statuses` in turn (then 200). */
async function rawReceiver(statuses: number[] = []) {
  const requests: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests };
}

describe('payroll delivery', () => {
  it('POSTs exactly {type, data}, signed per Standard Webhooks, with the same webhook-id on every attempt', async () => {
    h = harness();
    const raw = await rawReceiver([500]);
    await recordChange(h.store, 'a1', 'e1');
    h.worker({ url: raw.url }).start();
    await waitFor(allIn('delivered', 1), { what: 'the delivery' });

    const [entry] = await h.store.outbox.list();
    expect(raw.requests).toHaveLength(2);
    for (const { headers, body } of raw.requests) {
      expect(headers['content-type']).toBe('application/json');
      expect(headers['webhook-id']).toBe(entry?.webhookId);
      const verified = new Webhook(SECRET).verify(body, {
        'webhook-id': String(headers['webhook-id']),
        'webhook-timestamp': String(headers['webhook-timestamp']),
        'webhook-signature': String(headers['webhook-signature']),
      });
      expect(verified).toEqual({ type: 'agent.status.changed', data: entry?.event.data });
      expect(Object.keys(JSON.parse(body))).toEqual(['type', 'data']);
    }
  });

  it('is refused by a receiver that holds another secret (the signature is really checked)', async () => {
    h = harness();
    const stranger = await receiver({ secret: generateWebhookSecret() });
    await recordChange(h.store, 'a1', 'e1');
    h.worker({ url: stranger.url }).start();
    await waitFor(allIn('dead', 1), { what: 'the dead letter' });
    expect(stranger.requests.map((r) => r.status)).toEqual([401]);
    expect(stranger.deliveries).toEqual([]);
  });

  it('delivers every event once per webhook-id, in per-agent order, after the receiver was down (503)', async () => {
    h = harness();
    const payroll = await receiver({ behaviour: { failWith: 503 } });
    const expected = new Map<string, string[]>();
    for (let i = 0; i < 12; i++) {
      const agent = `a${i % 3}`;
      await recordChange(h.store, agent, `e${i}`);
      expected.set(agent, [...(expected.get(agent) ?? []), `e${i}`]);
    }
    h.worker({ url: payroll.url, concurrency: 4 }).start();
    await waitFor(() => payroll.requests.length >= 9, { what: 'failed attempts' });
    payroll.setBehaviour({});
    await waitFor(allIn('delivered', 12), { what: 'every event delivered' });

    expect(payroll.duplicates).toBe(0);
    expect(new Set(payroll.deliveries.map((d) => d.webhookId)).size).toBe(12);
    for (const [agent, events] of expected) {
      const got = payroll.deliveries.filter((d) => d.event.data.agentId === agent).map((d) => d.event.data.eventId);
      expect(got).toEqual(events);
    }
    // While the receiver was down, an agent's later events waited behind the first.
    const failed = payroll.requests.filter((r) => r.status === 503).map((r) => r.webhookId);
    expect(new Set(failed)).toEqual(new Set(['msg_e0', 'msg_e1', 'msg_e2']));
  });

  it('delivers everything once the receiver comes back after refusing connections', async () => {
    h = harness();
    const probe = await receiver();
    const { port, url } = probe;
    await probe.close();
    for (let i = 0; i < 4; i++) await recordChange(h.store, `a${i % 2}`, `e${i}`);
    h.worker({ url }).start();
    await waitFor(
      async () => (await h.store.outbox.list()).some((e) => e.attempts >= 2 && /ECONNREFUSED/.test(e.lastError ?? '')),
      { what: 'refused connections' },
    );
    const back = await receiver({ port });
    await waitFor(allIn('delivered', 4), { what: 'every event delivered' });
    expect(back.deliveries.map((d) => d.event.data.eventId).filter((id) => ['e0', 'e2'].includes(id))).toEqual([
      'e0',
      'e2',
    ]);
    expect(back.deliveries.map((d) => d.event.data.eventId).filter((id) => ['e1', 'e3'].includes(id))).toEqual([
      'e1',
      'e3',
    ]);
  });

  it('waits as long as Retry-After says on 429', async () => {
    const clock = virtualClock(Date.now());
    h = harness({ now: clock.now });
    const payroll = await receiver({ behaviour: { failWith: 429, retryAfterSeconds: 30, failTimes: 1 } });
    await recordChange(h.store, 'a1', 'e1');
    h.worker({ url: payroll.url, schedule: [10] }).start();
    const limited = await waitFor(
      async () => {
        const entry = await stateOf('e1');
        return entry?.attempts === 1 ? entry : undefined;
      },
      { what: 'the refused attempt' },
    );
    expect(limited).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^HTTP 429/) });
    expect(Date.parse(limited.nextAttemptAt)).toBe(clock.now() + 30_000);
    clock.advance(30_000);
    await waitFor(allIn('delivered', 1), { what: 'the delivery' });
    expect(payroll.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it.each([410, 400, 401, 404, 422, 302])('dead-letters at once on %i', async (status) => {
    h = harness();
    const raw = await rawReceiver([status]);
    await recordChange(h.store, 'a1', 'e1');
    await recordChange(h.store, 'a1', 'e2');
    h.worker({ url: raw.url }).start();
    await waitFor(allIn('delivered', 1), { what: "the agent's next event" });
    expect(await stateOf('e1')).toMatchObject({ state: 'dead', attempts: 1, lastError: `HTTP ${status}` });
    expect(raw.requests.map((r) => r.headers['webhook-id'])).toEqual(['msg_e1', 'msg_e2']);
  });

  it.each([408, 429, 500, 502, 503])('retries %i', async (status) => {
    h = harness();
    const raw = await rawReceiver([status]);
    await recordChange(h.store, 'a1', 'e1');
    h.worker({ url: raw.url }).start();
    await waitFor(allIn('delivered', 1), { what: 'the delivery' });
    expect(await stateOf('e1')).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('retries a receiver that does not answer within the timeout', async () => {
    h = harness();
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    await recordChange(h.store, 'a1', 'e1');
    h.worker({ url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, timeoutMs: 100 }).start();
    await waitFor(async () => (await stateOf('e1'))?.lastError === 'no answer within 100 ms', { what: 'a timeout' });
  });

  it('dead-letters past the last attempt, and a replay delivers it with the same webhook-id', async () => {
    h = harness();
    const payroll = await receiver({ behaviour: { failWith: 503 } });
    await recordChange(h.store, 'a1', 'e1');
    h.worker({ url: payroll.url, schedule: [10, 10] }).start();
    await waitFor(allIn('dead', 1), { what: 'the dead letter' });
    expect(await stateOf('e1')).toMatchObject({
      attempts: 3,
      lastError: 'gave up after 3 attempts: HTTP 503: {"status":503}',
    });
    expect(payroll.requests.map((r) => r.webhookId)).toEqual(['msg_e1', 'msg_e1', 'msg_e1']);

    payroll.setBehaviour({});
    expect(await h.store.outbox.replay('e1')).toBe(true);
    await waitFor(allIn('delivered', 1), { what: 'the replayed delivery' });
    expect(payroll.deliveries.map((d) => d.webhookId)).toEqual(['msg_e1']);
  });

  it('keeps events queued, with a start-up warning, when no URL is configured', async () => {
    h = harness();
    await recordChange(h.store, 'a1', 'e1');
    const worker = h.worker({});
    worker.start();
    await worker.stop();
    expect(h.lines.some((l) => l.level === 40 && String(l.msg).startsWith('PAYROLL_WEBHOOK_URL is not set'))).toBe(
      true,
    );
    expect(await stateOf('e1')).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('delivers promptly on kick() instead of waiting for the next poll', async () => {
    h = harness();
    const payroll = await receiver();
    const { calls, outbox } = countingOutbox(h.store.outbox);
    // The next poll is an hour away: only the kick can deliver within waitFor's deadline.
    const worker = h.worker({ url: payroll.url, outbox, pollIntervalMs: 3_600_000 });
    worker.start();
    await waitFor(() => calls.due === 1, { what: 'the poll at start' });
    await recordChange(h.store, 'a1', 'e1');
    worker.kick();
    await waitFor(allIn('delivered', 1), { what: 'the delivery' });
  });

  it('stop() waits for the delivery in flight and records it', async () => {
    h = harness();
    const payroll = await receiver();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let called = false;
    const worker = h.worker({
      url: payroll.url,
      fetch: async (input, init) => {
        called = true;
        await gate;
        return fetch(input, init);
      },
    });
    await recordChange(h.store, 'a1', 'e1');
    worker.start();
    await waitFor(() => called, { what: 'the delivery to start' });
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await stateOf('e1')).toMatchObject({ state: 'delivered' });
  });

  it('leaves an entry whose delivery was cut short by a crash pending, and it goes out with the same webhook-id', async () => {
    h = harness();
    const payroll = await receiver();
    await recordChange(h.store, 'a1', 'e1');
    // The first process hangs mid-delivery and "dies" (is abandoned); its request never completes.
    const abandon = new AbortController();
    let hung = false;
    const crashed = h.worker({
      url: payroll.url,
      timeoutMs: 60_000,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          hung = true;
          abandon.signal.addEventListener('abort', () => reject(new Error('process died')));
          init?.signal?.addEventListener('abort', () => reject(new Error('timeout')));
        }),
    });
    crashed.start();
    await waitFor(() => hung, { what: 'the first delivery to hang' });
    expect(await stateOf('e1')).toMatchObject({ state: 'pending', attempts: 0 });

    // A restarted process on the same file delivers it.
    const restarted = openSqliteStore(h.path);
    const worker = h.worker({ outbox: restarted.outbox, url: payroll.url, registry: new Registry() });
    worker.start();
    await waitFor(allIn('delivered', 1), { what: 'the delivery after restart' });
    expect(payroll.deliveries.map((d) => d.webhookId)).toEqual(['msg_e1']);

    abandon.abort();
    await crashed.stop();
    await worker.stop();
    await restarted.close();
    expect(await stateOf('e1')).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('exports delivery metrics, outbox depth and dead letters', async () => {
    h = harness();
    const payroll = await receiver({ behaviour: { failWith: 503, failTimes: 1 } });
    await recordChange(h.store, 'a1', 'e1');
    await recordChange(h.store, 'a2', 'e2');
    await recordChange(h.store, 'a3', 'e3');
    await h.store.outbox.markDead('e3', 'HTTP 410');
    const worker = h.worker({ url: payroll.url });
    expect(await h.registry.getSingleMetricAsString('agent_status_payroll_outbox_depth')).toMatch(/ 2$/m);
    worker.start();
    await waitFor(allIn('delivered', 2), { what: 'deliveries' });
    const text = await h.registry.metrics();
    expect(text).toContain('agent_status_payroll_deliveries_total{result="delivered"} 2');
    expect(text).toContain('agent_status_payroll_deliveries_total{result="retry"} 1');
    expect(text).toContain('agent_status_payroll_delivery_latency_seconds_count{result="delivered"} 2');
    expect(text).toMatch(/^agent_status_payroll_outbox_depth 0$/m);
    expect(text).toMatch(/^agent_status_payroll_dead_letters 1$/m);
  });

  it('warns (once) and counts events delivered but not acknowledged within the window', async () => {
    const clock = virtualClock(Date.now());
    h = harness({ now: clock.now });
    const payroll = await receiver();
    await recordChange(h.store, 'a1', 'e1');
    const { calls, outbox } = countingOutbox(h.store.outbox);
    h.worker({ url: payroll.url, outbox, unackedWindowMs: 100 }).start();
    const gauge = async () => h.registry.getSingleMetricAsString('agent_status_payroll_unacknowledged_deliveries');
    const warnings = () => h.lines.filter((l) => l.msg === 'payroll event delivered but not acknowledged in time');
    /** Moves time on by `ms` and waits for the worker's next acknowledgement check to finish. */
    const checkAfter = async (ms: number) => {
      const checks = calls.list;
      clock.advance(ms);
      await waitFor(() => calls.list > checks, { what: 'an acknowledgement check' });
    };
    await waitFor(allIn('delivered', 1), { what: 'the delivery' });

    // Checks run at most once per window; at exactly the window the delivery is not overdue yet.
    await checkAfter(100);
    expect(await gauge()).toMatch(/ 0$/m);
    expect(warnings()).toHaveLength(0);
    await checkAfter(100);
    expect(await gauge()).toMatch(/ 1$/m);
    expect(warnings()).toMatchObject([{ level: 40, eventId: 'e1', webhookId: 'msg_e1' }]);
    await checkAfter(100);
    expect(warnings()).toHaveLength(1);

    await h.store.outbox.acknowledge('e1', 'processed');
    await checkAfter(100);
    expect(await gauge()).toMatch(/ 0$/m);
    expect(warnings()).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each<[string | null, number | undefined]>([
    ['120', 120_000],
    [' 3 ', 3000],
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30_000],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['9999999', 24 * 60 * 60 * 1000],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
