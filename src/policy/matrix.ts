/**
 * The transition matrix: `from → [allowed to]` by catalog name, `*` on either side meaning any catalog
 * status. A pair the matrix does not list is refused. A current status outside the catalog (a Genesys
 * presence the policy does not name) is only covered by `*` entries.
 */
import { catalogNames, isCatalogStatus, statusLabel } from './catalog.js';
import type { Policy } from './schema.js';
import { type Refusal, refuse } from './verdict.js';
import { listWords } from './wording.js';

/** Staying in the same status is always allowed: it is not a transition (the pipeline reports a no-op). */
export function isTransitionAllowed(policy: Policy, from: string, to: string): boolean {
  if (!isCatalogStatus(policy, to)) return false;
  if (from === to) return true;
  const targets = [
    ...(isCatalogStatus(policy, from) ? (policy.transitions[from] ?? []) : []),
    ...(policy.transitions['*'] ?? []),
  ];
  return targets.includes('*') || targets.includes(to);
}

/** Catalog names one may go to from `from`, in catalog order, without `from` itself. */
export function allowedTargets(policy: Policy, from: string): string[] {
  return catalogNames(policy).filter((to) => to !== from && isTransitionAllowed(policy, from, to));
}

export function checkTransition(policy: Policy, from: string, to: string): { ok: true } | Refusal {
  if (isTransitionAllowed(policy, from, to)) return { ok: true };
  const fromLabel = statusLabel(policy, from);
  const allowed = allowedTargets(policy, from).map((name) => statusLabel(policy, name));
  const next =
    allowed.length > 0
      ? `From ${fromLabel} you can go to ${listWords(allowed, 'or')}.`
      : `Nothing may follow ${fromLabel} here; ask an admin.`;
  return refuse('not_allowed', `You can't go from ${fromLabel} to ${statusLabel(policy, to)}. ${next}`);
}
