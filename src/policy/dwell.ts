/** Minimum dwell: a status with `minDwellSeconds` cannot be left sooner than that after entering it. */
import { catalogStatus, statusLabel } from './catalog.js';
import type { Policy } from './schema.js';
import { type Refusal, refuse } from './verdict.js';
import { formatSeconds } from './wording.js';

/**
 * `from` is the current status (catalog name; other names have no minimum), `enteredAt` the ISO time it
 * was entered (Genesys's `modifiedDate`). An unreadable `enteredAt` cannot be enforced and passes; one in
 * the future (clock skew) counts as just entered.
 */
export function checkDwell(policy: Policy, from: string, enteredAt: string, now: Date): { ok: true } | Refusal {
  const minimum = catalogStatus(policy, from)?.minDwellSeconds ?? 0;
  const entered = Date.parse(enteredAt);
  if (minimum === 0 || Number.isNaN(entered)) return { ok: true };
  const remainingMs = minimum * 1000 - Math.max(0, now.getTime() - entered);
  if (remainingMs <= 0) return { ok: true };
  const retryAfterSeconds = Math.ceil(remainingMs / 1000);
  return refuse(
    'dwell',
    `${statusLabel(policy, from)} lasts at least ${formatSeconds(minimum)}; try again in ${formatSeconds(retryAfterSeconds)}.`,
    { retryAfterSeconds },
  );
}
