/**
 * Crash test: the app process is killed with SIGKILL while payroll deliveries are in flight, then started
 * again on the same store. Every event still reaches the receiver, once per webhook-id, in per-agent order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { spawnApp, tempDir } from '../support/process.js';
import { waitFor } from '../support/wait.js';
import { recordChange, SECRET } from './support.js';

interface Received {
  webhookId: string;
  agentId: string;
  eventId: string;
}

describe('payroll delivery across a crash', () => {
  const held: ServerResponse[] = [];
  const received: Received[] = [];
  let holdNext = 3;
  const webhook = new Webhook(SECRET);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const headers = {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      };
      const payload = webhook.verify(body, headers) as { data: { agentId: string; eventId: string } };
      received.push({ webhookId: headers['webhook-id'], agentId: payload.data.agentId, eventId: payload.data.eventId });
      // The first deliveries never get an answer: they are in flight when the process dies.
      if (holdNext > 0) {
        holdNext -= 1;
        held.push(res);
        return;
      }
      res.writeHead(204).end();
    });
  });
  afterAll(() => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    server.close();
  });

  it('loses nothing and delivers each event once after a restart', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payroll`;
    const dir = tempDir('crash-');
    const storePath = join(dir, 'store.db');
    const store = openSqliteStore(storePath);
    const agents = ['agent-a', 'agent-b', 'agent-c'];
    const eventIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      for (const agent of agents) {
        const eventId = `evt-${agent}-${i}`;
        eventIds.push(eventId);
        await recordChange(store, agent, eventId);
      }
    }
    const env = {
      PORT: '0',
      SIDECAR_PORT: '0',
      STORE_URL: `sqlite:${storePath}`,
      DATA_DIR: dir,
      PAYROLL_WEBHOOK_URL: url,
      PAYROLL_WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: 'info',
    };

    const first = spawnApp(env);
    await first.waitForLog('agent-status started');
    await waitFor(() => held.length === 3, { what: 'three deliveries in flight' });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);

    const second = spawnApp(env);
    await second.waitForLog('agent-status started');
    await waitFor(async () => (await store.outbox.counts()).pending === 0, {
      timeoutMs: 30_000,
      what: 'the outbox to drain',
    });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // Every event arrived; the ones cut off by the crash arrived again with the same webhook-id.
    const firstSeen = new Map<string, Received>();
    for (const r of received) if (!firstSeen.has(r.webhookId)) firstSeen.set(r.webhookId, r);
    expect([...firstSeen.values()].map((r) => r.eventId).sort()).toEqual([...eventIds].sort());
    for (const r of received) expect(r.webhookId).toBe(`msg_${r.eventId}`);
    // Per agent, events arrived in the order they were recorded.
    for (const agent of agents) {
      const order = [...firstSeen.values()].filter((r) => r.agentId === agent).map((r) => r.eventId);
      expect(order).toEqual([0, 1, 2, 3].map((i) => `evt-${agent}-${i}`));
    }
    expect((await store.outbox.counts()).delivered).toBe(eventIds.length);
    await store.close();
  });
});
