import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PayrollEvent } from '../domain/payroll-event.js';
import { createWebhook, type PayrollAck, payrollEventSchema, signHeaders } from '../payroll/webhook.js';

/**
 * The body of `PUT /__receiver/behaviour`: how to answer deliveries from now on. Left-out fields are as at start,
 * so `{}` goes back to accepting (and acknowledging, when the receiver was started so).
 */
export const receiverControlSchema = z
  .strictObject({
    /** Answer this status (503, 429, 410…) instead of 200, without recording the delivery. */
    failWith: z.int().min(400).max(599).optional(),
    /** `Retry-After` in seconds, sent with `failWith`. */
    retryAfterSeconds: z.int().min(0).max(86_400).optional(),
    /** Fail only the next n requests, then answer 200 again; every request while unset. */
    failTimes: z.int().min(1).optional(),
  })
  .refine((body) => body.failWith !== undefined || (body.retryAfterSeconds ?? body.failTimes) === undefined, {
    message: 'retryAfterSeconds and failTimes go with failWith',
  });

export type ReceiverBehaviour = z.infer<typeof receiverControlSchema> & {
  /** After each new delivery, post a signed acknowledgement with this status to `ackUrl`. */
  ack?: PayrollAck['status'];
};

const CONTROL_HINT = 'PUT {"failWith": 410} (any status 400-599) to refuse deliveries, {} to accept them again';

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
  /**
   * Its control API, for people and tests driving it from outside: `GET`/`PUT {base}/behaviour` (a
   * `receiverControlSchema` body), `GET {base}/deliveries`.
   */
  readonly controlUrl: string;
  readonly port: number;
  /** The first delivery of each `webhook-id`, in arrival order. */
  readonly deliveries: readonly ReceivedDelivery[];
  /** Every request with the status it was answered. */
  readonly requests: readonly ReceiverRequest[];
  /** Deliveries of a `webhook-id` already received (answered 200, not recorded again). */
  readonly duplicates: number;
  readonly acks: readonly SentAck[];
  setBehaviour(behaviour: ReceiverBehaviour): void;
  /** Sends acknowledgements to `url` from now on (the app's ack route, once its sidecar listens). */
  ackTo(url: string): void;
  close(): Promise<void>;
}

/**
 * A payroll system stand-in on 127.0.0.1 for tests and the embedded demo: verifies Standard Webhooks
 * signatures, deduplicates by `webhook-id`, can play down, and can acknowledge what it received.
 */
export async function startPayrollReceiver(options: PayrollReceiverOptions): Promise<PayrollReceiver> {
  const webhook = createWebhook(options.secret);
  const initial: ReceiverBehaviour = { ...options.behaviour };
  let behaviour: ReceiverBehaviour = { ...initial };
  const deliveries: ReceivedDelivery[] = [];
  const requests: ReceiverRequest[] = [];
  const acks: SentAck[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let ackUrl = options.ackUrl;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      options.logger?.error({ err: error }, 'payroll receiver failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (path.startsWith(`${CONTROL_PATH}/`)) return control(req, res, path.slice(CONTROL_PATH.length), body);
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
      options.logger?.warn(
        { webhookId, eventId: parsed.data.data.eventId, email: parsed.data.data.email, status },
        'payroll receiver: delivery refused (as told by PUT /__receiver/behaviour)',
      );
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
    const to = ackUrl;
    if (ack && to) res.once('finish', () => void sendAck(to, parsed.data.data.eventId, ack));
  }

  /** The control API: plain JSON in and out, never recorded as deliveries. */
  function control(req: IncomingMessage, res: ServerResponse, route: string, body: Buffer) {
    const json = (status: number, value: unknown, extraHeaders: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...extraHeaders }).end(`${JSON.stringify(value)}\n`);
    };
    const methods = CONTROL_ROUTES[route];
    if (!methods) return json(404, { error: `no ${CONTROL_PATH}${route}`, routes: CONTROL_ROUTE_LIST });
    if (!req.method || !methods.includes(req.method)) {
      return json(
        405,
        { error: `${req.method} ${CONTROL_PATH}${route}: use ${methods.join(' or ')}` },
        { allow: methods.join(', ') },
      );
    }
    if (route === '/deliveries') {
      return json(200, {
        deliveries: deliveries.map((d) => ({ webhookId: d.webhookId, receivedAt: iso(d.receivedAt), event: d.event })),
        requests: requests.map((r) => ({ webhookId: r.webhookId, status: r.status, at: iso(r.at) })),
        duplicates,
        acks,
      });
    }
    if (req.method === 'PUT') {
      const input = parseJson(body.toString('utf8'));
      if (input === undefined) return json(400, { error: 'the body is not JSON', expected: CONTROL_HINT });
      const parsed = receiverControlSchema.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
        return json(400, { error: problems.join('; '), expected: CONTROL_HINT });
      }
      behaviour = { ...initial, ...parsed.data };
      options.logger?.info({ behaviour: controlView(behaviour) }, 'payroll receiver: behaviour changed');
    }
    return json(200, { behaviour: controlView(behaviour), hint: CONTROL_HINT });
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
    controlUrl: `http://127.0.0.1:${port}${CONTROL_PATH}`,
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
    ackTo(url) {
      ackUrl = url;
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

const CONTROL_PATH = '/__receiver';
const CONTROL_ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/behaviour': ['GET', 'PUT'],
  '/deliveries': ['GET'],
};
const CONTROL_ROUTE_LIST = [`GET|PUT ${CONTROL_PATH}/behaviour`, `GET ${CONTROL_PATH}/deliveries`];

/** The behaviour as the control API shows it: the failure settings (the ack is the receiver's own business). */
function controlView(behaviour: ReceiverBehaviour): z.infer<typeof receiverControlSchema> {
  const { failWith, retryAfterSeconds, failTimes } = behaviour;
  return { failWith, retryAfterSeconds, failTimes };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
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
