/**
 * The status catalog: what people type (names, aliases, labels) → a catalog status. Pure over the policy.
 */
import type { Policy, StatusPolicy } from './schema.js';
import { isSystemStatus, systemPresenceOf } from './status-presence.js';
import { closestNames, compactName, normalizeName } from './suggest.js';
import { type Refusal, refuse } from './verdict.js';
import { echoTyped, listWords } from './wording.js';

export type StatusResolution = { ok: true; name: string; status: StatusPolicy } | Refusal;

/** Catalog names in the policy file's order. */
export function catalogNames(policy: Policy): string[] {
  return Object.keys(policy.statuses);
}

/** The catalog entry of a catalog name; undefined for anything else (a Genesys label, `constructor`). */
export function catalogStatus(policy: Policy, name: string): StatusPolicy | undefined {
  return Object.hasOwn(policy.statuses, name) ? policy.statuses[name] : undefined;
}

export function isCatalogStatus(policy: Policy, name: string): boolean {
  return catalogStatus(policy, name) !== undefined;
}

/** What people see for a status: its label, else its presence label; a name outside the catalog as is. */
export function statusLabel(policy: Policy, name: string): string {
  const status = catalogStatus(policy, name);
  return status ? (status.label ?? status.presence) : name;
}

/** The catalog name of the system On Queue presence, which the staffing floor counts. */
export function onQueueStatusName(policy: Policy): string | undefined {
  return catalogNames(policy).find((name) => {
    const status = policy.statuses[name]!;
    return isSystemStatus(status) && systemPresenceOf(status) === 'ON_QUEUE';
  });
}

/**
 * Typed text → catalog status. Tried in order: names and aliases, then labels (`On Queue`, `Lunch`), then
 * the same without dashes (`onqueue`) when that names a single status. Case, outer spaces and
 * spaces/underscores versus dashes never matter.
 */
export function resolveStatus(policy: Policy, typed: string): StatusResolution {
  const name = catalogNameOf(policy, typed);
  return name === undefined ? unknownStatus(policy, typed) : { ok: true, name, status: policy.statuses[name]! };
}

/** The catalog name typed text resolves to (as `resolveStatus`), without the cost of suggestions. */
export function catalogNameOf(policy: Policy, typed: string): string | undefined {
  const normalized = normalizeName(typed);
  if (normalized === '') return undefined;
  const names = catalogNames(policy);
  const byNameOrAlias = names.find((name) =>
    [name, ...policy.statuses[name]!.aliases].some((word) => normalizeName(word) === normalized),
  );
  const byLabel = names.find((name) => labelWords(policy.statuses[name]!).some((w) => normalizeName(w) === normalized));
  const compact = compactName(typed);
  const byCompact = names.filter((name) => wordsOf(policy, name).some((word) => compactName(word) === compact));
  return byNameOrAlias ?? byLabel ?? (byCompact.length === 1 ? byCompact[0] : undefined);
}

/** Up to three catalog names close to what was typed, for "did you mean". */
export function suggestStatuses(policy: Policy, typed: string): string[] {
  return closestNames(
    typed,
    catalogNames(policy).map((name) => ({ name, words: wordsOf(policy, name) })),
  );
}

function unknownStatus(policy: Policy, typed: string): Refusal {
  if (typed.trim() === '') {
    return refuse('unknown_status', `Name a status: ${listWords(catalogNames(policy), 'or')}.`);
  }
  const suggestions = suggestStatuses(policy, typed);
  const hint =
    suggestions.length > 0
      ? `Did you mean ${listWords(suggestions, 'or')}?`
      : `Known statuses: ${catalogNames(policy).join(', ')}.`;
  return refuse('unknown_status', `Unknown status "${echoTyped(typed)}". ${hint}`, { suggestions });
}

function labelWords(status: StatusPolicy): string[] {
  return status.label ? [status.label, status.presence] : [status.presence];
}

function wordsOf(policy: Policy, name: string): string[] {
  const status = policy.statuses[name]!;
  return [name, ...status.aliases, ...labelWords(status)];
}
