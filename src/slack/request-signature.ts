import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window, applied both ways: a request dated more than this in the past or future is refused. */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
}

/**
 * Checks Slack's request signature (`v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`) and that the timestamp is
 * within the tolerance of `nowMs` in either direction. Returns why it fails, or undefined when it holds.
 */
export function signatureProblem(secret: string, request: SignedRequest, nowMs: number): string | undefined {
  if (!request.timestamp || !/^\d{1,12}$/.test(request.timestamp)) return 'missing or malformed timestamp';
  if (!request.signature?.startsWith('v0=')) return 'missing or malformed signature';
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(request.timestamp));
  if (skew > SLACK_TIMESTAMP_TOLERANCE_SECONDS) return 'timestamp more than 5 minutes from now';
  const expected = createHmac('sha256', secret).update(`v0:${request.timestamp}:${request.body}`).digest();
  const given = Buffer.from(request.signature.slice(3), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'signature mismatch';
}
