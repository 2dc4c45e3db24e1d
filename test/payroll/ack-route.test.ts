import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startPayrollReceiver } from '../../src/demo/payroll-receiver.js';
import { payrollAckRouter } from '../../src/payroll/ack-route.js';
import { createWebhook, generateWebhookSecret, type SignedHeaders, signHeaders } from '../../src/payroll/webhook.js';
import { OutboxWorker } from '../../src/payroll/worker.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { tempStorePath } from '../store/fixtures/records.js';
import { waitFor } from '../support/wait.js';
import { capturingLogger, recordChange, SECRET } from './support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The route on a real server, as the sidecar mounts it, over a store holding delivered event `e1`. */
async function ackServer(path = tempStorePath()) {
  const store = openSqliteStore(path);
  const app = express();
  app.use(
    payrollAckRouter({ outbox: store.outbox, secret: SECRET, cache: store.cache, logger: capturingLogger().logger }),
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/payroll/ack`;
  return { store, url, path };
}

async function seed(store: SqliteStore) {
  await recordChange(store, 'a1', 'e1');
  await store.outbox.markDelivered('e1', new Date());
}

let counter = 0;
function signed(body: string, options: { secret?: string; id?: string; at?: Date } = {}): SignedHeaders {
  return signHeaders(createWebhook(options.secret ?? SECRET), options.id ?? `msg_ack_${++counter}`, body, options.at);
}

async function post(url: string, body: string, headers: Partial<SignedHeaders> & Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const processed = JSON.stringify({ eventId: 'e1', status: 'processed' });

describe('POST /webhooks/payroll/ack', () => {
  it('marks a delivered event acknowledged', async () => {
    const { store, url } = await ackServer();
    await seed(store);
    expect(await post(url, processed, signed(processed))).toEqual({ status: 200, body: { ok: true } });
    expect((await store.outbox.list())[0]?.state).toBe('acknowledged');
  });

  it('marks an event rejected, keeping the reason', async () => {
    const { store, url } = await ackServer();
    await seed(store);
    const body = JSON.stringify({ eventId: 'e1', status: 'rejected', message: 'agent not on payroll' });
    expect((await post(url, body, signed(body))).status).toBe(200);
    expect((await store.outbox.list())[0]).toMatchObject({
      state: 'rejected',
      lastError: 'rejected by receiver: agent not on payroll',
    });
  });

  const now = Date.now();
  const refusals: Array<{
    name: string;
    status: number;
    error: RegExp;
    request: () => [string, Record<string, string>];
  }> = [
    {
      name: 'a signature made with another secret',
      status: 401,
      error: /signature check failed/,
      request: () => [processed, { ...signed(processed, { secret: generateWebhookSecret() }) }],
    },
    {
      name: 'a body that is not the one signed',
      status: 401,
      error: /No matching signature/,
      request: () => [processed, { ...signed(JSON.stringify({ eventId: 'e1', status: 'rejected' })) }],
    },
    {
      name: 'missing signature headers',
      status: 401,
      error: /Missing required headers/,
      request: () => [processed, {}],
    },
    {
      name: 'a missing webhook-signature only',
      status: 401,
      error: /Missing required headers/,
      request: () => {
        const { 'webhook-signature': _, ...rest } = signed(processed);
        return [processed, rest];
      },
    },
    {
      name: 'a timestamp older than 5 minutes',
      status: 401,
      error: /too old/,
      request: () => [processed, { ...signed(processed, { at: new Date(now - 6 * 60_000) }) }],
    },
    {
      name: 'a timestamp more than 5 minutes ahead',
      status: 401,
      error: /too new/,
      request: () => [processed, { ...signed(processed, { at: new Date(now + 6 * 60_000) }) }],
    },
    {
      name: 'an unknown event',
      status: 404,
      error: /unknown event nope/,
      request: () => {
        const body = JSON.stringify({ eventId: 'nope', status: 'processed' });
        return [body, { ...signed(body) }];
      },
    },
    {
      name: 'malformed JSON',
      status: 400,
      error: /not JSON/,
      request: () => ['{"eventId": "e1", ', { ...signed('{"eventId": "e1", ') }],
    },
    {
      name: 'an empty body',
      status: 400,
      error: /not JSON/,
      request: () => ['', { ...signed('') }],
    },
    {
      name: 'an unknown status',
      status: 400,
      error: /status/,
      request: () => {
        const body = JSON.stringify({ eventId: 'e1', status: 'done' });
        return [body, { ...signed(body) }];
      },
    },
    {
      name: 'a missing eventId',
      status: 400,
      error: /eventId/,
      request: () => {
        const body = JSON.stringify({ status: 'processed' });
        return [body, { ...signed(body) }];
      },
    },
    {
      name: 'a JSON array',
      status: 400,
      error: /expected \{"eventId"/,
      request: () => ['[]', { ...signed('[]') }],
    },
  ];
  it.each(refusals)('answers $status to $name and changes nothing', async ({ status, error, request }) => {
    const { store, url } = await ackServer();
    await seed(store);
    const before = await store.outbox.list();
    const [body, headers] = request();
    const answer = await post(url, body, headers);
    expect(answer.status).toBe(status);
    expect(String(answer.body.error)).toMatch(error);
    expect(await store.outbox.list()).toEqual(before);
  });

  it('refuses a replayed webhook-id with 401 and changes nothing, even from another process on the store', async () => {
    const first = await ackServer();
    const second = await ackServer(first.path);
    await seed(first.store);
    await recordChange(first.store, 'a2', 'e2');
    const headers = signed(processed, { id: 'msg_once' });
    expect((await post(first.url, processed, headers)).status).toBe(200);
    const before = await first.store.outbox.list();

    expect(await post(first.url, processed, headers)).toEqual({
      status: 401,
      body: { error: 'webhook-id already used' },
    });
    const other = JSON.stringify({ eventId: 'e2', status: 'rejected' });
    expect((await post(second.url, other, signed(other, { id: 'msg_once' }))).status).toBe(401);
    expect(await first.store.outbox.list()).toEqual(before);
  });

  it('does not burn the webhook-id of a refused request', async () => {
    const { store, url } = await ackServer();
    const headers = signed(processed, { id: 'msg_early' });
    expect((await post(url, processed, headers)).status).toBe(404);
    await seed(store);
    expect((await post(url, processed, headers)).status).toBe(200);
  });

  it('is what the local payroll receiver calls to acknowledge what it received', async () => {
    const { store, url } = await ackServer();
    await seed(store);
    await store.outbox.replay('e1');
    const payroll = await startPayrollReceiver({ secret: SECRET, ackUrl: url, behaviour: { ack: 'processed' } });
    cleanups.push(() => payroll.close());
    const worker = new OutboxWorker({
      outbox: store.outbox,
      url: payroll.url,
      secret: SECRET,
      pollIntervalMs: 20,
      logger: capturingLogger().logger,
      registry: new Registry(),
    });
    cleanups.push(() => worker.stop());
    worker.start();
    await waitFor(async () => (await store.outbox.list())[0]?.state === 'acknowledged', {
      what: 'the acknowledgement',
    });
    await waitFor(() => payroll.acks.length > 0, { what: "the receiver to see the app's answer" });
    expect(payroll.acks).toEqual([{ eventId: 'e1', result: 200 }]);
  });
});
