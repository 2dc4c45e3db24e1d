/**
 * What every policy check answers: go ahead, or a refusal whose code is the pipeline's `RefusalCode` and
 * whose message is plain text for the person who asked (short, and says what to do next).
 */
import type { RefusalCode } from '../domain/transition.js';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  message: string;
  /** Catalog names the person may have meant (`unknown_status` only). */
  suggestions?: string[];
  /** Seconds until the same request can pass (`dwell` only). */
  retryAfterSeconds?: number;
  /** Policy entries (e-mails or Slack user ids) the message names as they are: a surface may show them as people. */
  people?: string[];
}

export function refuse(
  code: RefusalCode,
  message: string,
  extra: Pick<Refusal, 'suggestions' | 'retryAfterSeconds' | 'people'> = {},
): Refusal {
  return { ok: false, code, message, ...extra };
}
