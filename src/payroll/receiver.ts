import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { PayrollEvent } from '../domain/payroll-event.js';
import { createWebhook, type PayrollAck, payrollEventSchema, signHeaders } from './webhook.js';

export interface ReceiverBehaviour {
  /** Answer this status (503, 429, 410…) instead of 200, without recording the delivery. */
  failWith?: number;
  /** `Retry-After` in seconds, sent with `failWith`. */
  retryAfterSeconds?: number;
  /** Fail only the next n requests, then answer 200 again; every request while unset. */
  failTimes?: number;
  /** After each new delivery, post a signed acknowledgement with this status to `ackUrl`. */
  ack?: PayrollAck['status'];
}

export interface PayrollReceiverOptions {
  /** Default 0: any free port. */
  port?: number;
  secret: string;
  /** The app's `POST /webhooks/payroll/ack`. */
  ackUrl?: string;
  behaviour?: ReceiverBehaviour;
  logger?: Logger;
}

export interface ReceivedDelivery {
  webhookId: string;
  event: PayrollEvent;
  receivedAt: number;
}

export interface ReceiverRequest {
  webhookId: string;
  status: number;
  at: number;
}

export interface SentAck {
  eventId: string;
  /** The app's HTTP status, or the network error. */
  result: number | string;
}

export interface PayrollReceiver {
  /** Where to point `PAYROLL_WEBHOOK_URL`. */
  readonly url: string;
  readonly port: number;
  /** The first delivery of each `webhook-id`, in arrival order. */
  readonly deliveries: readonly ReceivedDelivery[];
  /** Every request with the status it was answered. */
  readonly requests: readonly ReceiverRequest[];
  /** Deliveries of a `webhook-id` already received (answered 200, not recorded again). */
  readonly duplicates: number;
  readonly acks: readonly SentAck[];
  setBehaviour(behaviour: ReceiverBehaviour): void;
  close(): Promise<void>;
}

/**
 * A payroll system stand-in on 127.0.0.1 for tests and the embedded demo: verifies Standard Webhooks
 * signatures, deduplicates by `webhook-id`, can play down, and can acknowledge what it received.
 */
export async function startPayrollReceiver(options: PayrollReceiverOptions): Promise<PayrollReceiver> {
  const webhook = createWebhook(options.secret);
  let behaviour: ReceiverBehaviour = { ...options.behaviour };
  const deliveries: ReceivedDelivery[] = [];
  const requests: ReceiverRequest[] = [];
  const acks: SentAck[] = [];
  const seen = new Set<string>();
  let duplicates = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      options.logger?.error({ err: error }, 'payroll receiver failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const webhookId = header(req, 'webhook-id');
    const answer = (status: number, extraHeaders: Record<string, string> = {}) => {
      requests.push({ webhookId, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json', ...extraHeaders }).end(JSON.stringify({ status }));
    };
    if (req.method !== 'POST') return answer(405);
    try {
      webhook.verify(
        body,
        {
          'webhook-id': webhookId,
          'webhook-timestamp': header(req, 'webhook-timestamp'),
          'webhook-signature': header(req, 'webhook-signature'),
        },
        { jsonParse: false },
      );
    } catch {
      return answer(401);
    }
    const parsed = payrollEventSchema.safeParse(parseJson(body.toString('utf8')));
    if (!parsed.success) return answer(400);
    if (behaviour.failWith !== undefined) {
      const status = behaviour.failWith;
      const retryAfter = behaviour.retryAfterSeconds;
      if (behaviour.failTimes !== undefined && --behaviour.failTimes <= 0) behaviour = { ack: behaviour.ack };
      return answer(status, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
    }
    if (seen.has(webhookId)) {
      duplicates++;
      return answer(200);
    }
    seen.add(webhookId);
    deliveries.push({ webhookId, event: parsed.data, receivedAt: Date.now() });
    options.logger?.info({ webhookId, ...parsed.data.data }, 'payroll receiver: event received');
    answer(200);
    const ack = behaviour.ack;
    if (ack && options.ackUrl) {
      const ackUrl = options.ackUrl;
      res.once('finish', () => void sendAck(ackUrl, parsed.data.data.eventId, ack));
    }
  }

  async function sendAck(url: string, eventId: string, status: PayrollAck['status']): Promise<void> {
    const payload = JSON.stringify({ eventId, status } satisfies PayrollAck);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signHeaders(webhook, `msg_${randomUUID()}`, payload) },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      await response.text();
      acks.push({ eventId, result: response.status });
    } catch (error) {
      acks.push({ eventId, result: error instanceof Error ? error.message : String(error) });
    }
  }

  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/payroll`,
    port,
    deliveries,
    requests,
    get duplicates() {
      return duplicates;
    },
    acks,
    setBehaviour(next) {
      behaviour = { ...next };
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
