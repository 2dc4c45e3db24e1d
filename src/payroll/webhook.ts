/**
 * Standard Webhooks signing shared by the delivery worker, the acknowledgement route and the local
 * receiver: one secret (`PAYROLL_WEBHOOK_SECRET`, `whsec_` + base64) signs both directions.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { INPUT_LIMITS } from '../domain/input-limits.js';
import type { PayrollEvent } from '../domain/payroll-event.js';
import { ROUTING_STATUSES } from '../domain/presence.js';

/** The `webhook-*` headers of one signed message (a type alias, so it passes as a plain header record). */
export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A `Webhook` for the secret, with an error that says what a valid secret looks like. */
export function createWebhook(secret: string): Webhook {
  try {
    return new Webhook(secret);
  } catch {
    throw new Error('the payroll webhook secret must be a Standard Webhooks secret: whsec_ followed by base64');
  }
}

export function signHeaders(
  webhook: Webhook,
  webhookId: string,
  payload: string,
  at: Date = new Date(),
): SignedHeaders {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': webhook.sign(webhookId, at, payload),
  };
}

/** A fresh random secret in the Standard Webhooks format. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const side = z.object({ presence: z.string(), routingStatus: z.enum(ROUTING_STATUSES) });

/** The webhook body (DESIGN §4), for whoever receives it. */
export const payrollEventSchema = z.object({
  type: z.literal('agent.status.changed'),
  data: z.object({
    eventId: z.string().min(1),
    agentId: z.string().min(1),
    email: z.string(),
    from: side,
    to: side,
    reason: z.string().nullable(),
    changedAt: z.string(),
    changedBy: z.string().nullable(),
    source: z.enum(['slack', 'genesys']),
    requestId: z.string(),
  }),
}) satisfies z.ZodType<PayrollEvent>;

/** The acknowledgement body a receiver posts to `/webhooks/payroll/ack`. */
export const payrollAckSchema = z.object({
  eventId: z.string().min(1),
  status: z.enum(['processed', 'rejected']),
  message: z.string().max(INPUT_LIMITS.ackMessageChars).optional(),
});
export type PayrollAck = z.infer<typeof payrollAckSchema>;
