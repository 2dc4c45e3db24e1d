/**
 * Reasons: a status takes none, an optional one or a required one, either free text or one of a list
 * (matched ignoring case and spaces versus dashes; the policy's spelling is what gets recorded).
 */
import { catalogStatus, statusLabel } from './catalog.js';
import type { Policy } from './schema.js';
import { normalizeName } from './suggest.js';
import { type Refusal, refuse } from './verdict.js';
import { echoTyped, listWords } from './wording.js';

export type ReasonCheck = { ok: true; reason?: string } | Refusal;

/**
 * `status` is a catalog name. A reason given for a status that takes none is dropped, so it never reaches
 * Genesys or payroll. Blank counts as absent.
 */
export function checkReason(policy: Policy, status: string, reason: string | undefined): ReasonCheck {
  const rule = catalogStatus(policy, status);
  const given = reason?.trim() ?? '';
  if (!rule || rule.reason === 'none') return { ok: true };
  const label = statusLabel(policy, status);
  const choices = rule.reasons ? ` Choose ${listWords(rule.reasons, 'or')}.` : '';
  if (given === '') {
    return rule.reason === 'required'
      ? refuse('reason_missing', `${label} needs a reason.${choices || ' Say briefly why.'}`)
      : { ok: true };
  }
  if (!rule.reasons) return { ok: true, reason: given };
  const canonical = rule.reasons.find((allowed) => normalizeName(allowed) === normalizeName(given));
  if (canonical !== undefined) return { ok: true, reason: canonical };
  return refuse('reason_invalid', `"${echoTyped(given)}" isn't a reason for ${label}.${choices}`);
}
