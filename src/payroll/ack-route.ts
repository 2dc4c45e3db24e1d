import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { INPUT_LIMITS } from '../domain/input-limits.js';
import type { CacheStore, OutboxStore } from '../pipeline/ports.js';
import { createWebhook, payrollAckSchema } from './webhook.js';

export interface PayrollAckRouterOptions {
  outbox: OutboxStore;
  /** `PAYROLL_WEBHOOK_SECRET`: receivers sign acknowledgements with the secret they verify deliveries with. */
  secret: string;
  /** Remembers used `webhook-id`s (the store's cache, so every process sharing the store sees them). */
  cache: CacheStore;
  logger: Logger;
}

/**
 * Outlives the 5-minute timestamp tolerance on both sides (a message stamped up to 5 minutes ahead stays
 * acceptable for 10), so a replay is refused by its id for as long as its timestamp would pass.
 */
const SEEN_TTL_MS = 15 * 60 * 1000;

const ACK_BODY_LIMIT = INPUT_LIMITS.ackBodyBytes;

/**
 * `POST /webhooks/payroll/ack`: a receiver confirms (`processed`) or refuses (`rejected`) an event it was
 * sent. Signed per Standard Webhooks over the exact body bytes. Every refusal (415, 401, 400, 404, 409, and
 * 413 from the sidecar for a body over INPUT_LIMITS.ackBodyBytes) leaves the outbox and the replay memory as
 * they were. The first final answer (acknowledged or rejected) stands: a later different one gets 409.
 */
export function payrollAckRouter(options: PayrollAckRouterOptions): Router {
  const webhook = createWebhook(options.secret);
  const logger = options.logger.child({ component: 'payroll-ack' });
  // Ids being handled right now: a duplicate racing the original is a replay too.
  const handling = new Set<string>();
  const router = express.Router();

  router.post('/webhooks/payroll/ack', express.raw({ type: () => true, limit: ACK_BODY_LIMIT }), async (req, res) => {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'expected content-type application/json' });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers = {
      'webhook-id': req.get('webhook-id') ?? '',
      'webhook-timestamp': req.get('webhook-timestamp') ?? '',
      'webhook-signature': req.get('webhook-signature') ?? '',
    };
    try {
      webhook.verify(body, headers, { jsonParse: false });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ reason, webhookId: headers['webhook-id'] }, 'payroll acknowledgement refused');
      res.status(401).json({ error: `signature check failed: ${reason}` });
      return;
    }
    const id = headers['webhook-id'];
    const seenKey = `payroll-ack:${id}`;
    if (handling.has(id) || (await options.cache.get<boolean>(seenKey))) {
      logger.warn({ webhookId: id }, 'payroll acknowledgement replayed');
      res.status(401).json({ error: 'webhook-id already used' });
      return;
    }
    handling.add(id);
    try {
      const json = parseJson(body.toString('utf8'));
      if (json === undefined) {
        res.status(400).json({ error: 'the body is not JSON' });
        return;
      }
      const parsed = payrollAckSchema.safeParse(json);
      if (!parsed.success) {
        res.status(400).json({
          error: `expected {"eventId": "…", "status": "processed" | "rejected", "message"?: "…"}: ${parsed.error.issues
            .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
            .join('; ')}`,
        });
        return;
      }
      const { eventId, status, message } = parsed.data;
      const result = await options.outbox.acknowledge(eventId, status, message);
      if (result === 'unknown') {
        res.status(404).json({ error: `unknown event ${eventId}` });
        return;
      }
      if (result === 'settled') {
        res.status(409).json({ error: `event ${eventId} already has the other final answer; it stays as it is` });
        return;
      }
      await options.cache.set(seenKey, true, SEEN_TTL_MS);
      logger.info({ eventId, status, message, webhookId: id }, 'payroll event acknowledged');
      res.json({ ok: true });
    } catch (error) {
      logger.error({ err: error, webhookId: id }, 'payroll acknowledgement failed');
      res.status(500).json({ error: 'internal error' });
    } finally {
      handling.delete(id);
    }
  });
  return router;
}

/** JSON.parse that yields undefined for malformed text (valid JSON never parses to undefined). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
