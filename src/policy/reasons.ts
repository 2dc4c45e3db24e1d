/**
 * Reasons: a status takes none, an optional one or a required one, either free text or one of a list
 * (matched ignoring case and spaces versus dashes; the policy's spelling is what gets recorded).
 */
import { INPUT_LIMITS } from '../domain/input-limits.js';
import { catalogStatus, statusLabel } from './catalog.js';
import type { Policy } from './schema.js';
import { normalizeName } from './suggest.js';
import { type Refusal, refuse } from './verdict.js';
import { echoTyped, listWords } from './wording.js';

export type ReasonCheck = { ok: true; reason?: string } | Refusal;

/**
 * `status` is a catalog name. Blank counts as absent. A reason longer than Genesys's presence message takes
 * is refused with the limit named, never cut. A reason for a status that takes none is refused (it would be
 * lost silently otherwise), unless it is the reason for overriding the on-queue floor (`forFloorOverride`),
 * which is recorded apart from the status.
 */
export function checkReason(
  policy: Policy,
  status: string,
  reason: string | undefined,
  options: { forFloorOverride?: boolean } = {},
): ReasonCheck {
  const rule = catalogStatus(policy, status);
  const given = reason?.trim() ?? '';
  if (given.length > INPUT_LIMITS.reasonChars) {
    return refuse(
      'reason_too_long',
      `A reason can be at most ${INPUT_LIMITS.reasonChars} characters (Genesys shows it as the status message); yours has ${given.length}.`,
    );
  }
  const label = rule ? statusLabel(policy, status) : status;
  if (!rule || rule.reason === 'none') {
    return given === '' || options.forFloorOverride
      ? { ok: true }
      : refuse('reason_not_taken', `${label} takes no reason: send it again without "${echoTyped(given)}".`);
  }
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
