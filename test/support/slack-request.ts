import { createHmac } from 'node:crypto';

/** Signs a body exactly as Slack does: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackPostOptions {
  secret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  contentType?: string;
  /** Replaces the computed signature (forgery tests). */
  signature?: string;
}

/** POSTs a form-encoded slash command to the Slack endpoint, signed as Slack would. */
export async function postSlashCommand(
  url: string,
  fields: Record<string, string>,
  options: SlackPostOptions,
): Promise<Response> {
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0DEMO',
    team_domain: 'demo',
    channel_id: 'C0DEMO',
    channel_name: 'general',
    command: '/agent-status',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: '123.456.abc',
    api_app_id: 'A0DEMO',
    ...fields,
  }).toString();
  return postSigned(url, body, { contentType: 'application/x-www-form-urlencoded', ...options });
}

export async function postSigned(url: string, body: string, options: SlackPostOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(options.secret, timestamp, body),
    },
    body,
  });
}
