/**
 * Binds the catalog to the org's presence definitions (read from Genesys at start-up): catalog name ↔
 * presence definition id, and a warning for every catalog status the org cannot show.
 */
import type { PresenceDefinition } from '../domain/presence.js';
import { catalogNames } from './catalog.js';
import type { Policy, StatusPolicy } from './schema.js';
import { isSystemStatus, systemPresenceOf } from './status-presence.js';
import { systemPresenceLabel } from './wording.js';

export interface CatalogBinding {
  /** Catalog name → presence definition id, for every bound status. */
  presenceIdByStatus: ReadonlyMap<string, string>;
  /** Presence definition id → catalog name, for every bound status. */
  statusByPresenceId: ReadonlyMap<string, string>;
  /** Presence definition id → Genesys label, for every definition (bound or not, active or not). */
  labelByPresenceId: ReadonlyMap<string, string>;
  /** Catalog names with no active matching definition: they cannot be set until the org has one. */
  unbound: readonly string[];
  /** One line per problem, for the start-up log. */
  warnings: readonly string[];
}

/**
 * A system status (`presence: Break`) matches the system definition of that system presence; a secondary
 * one (`presence: Lunch`, `systemPresence: Meal`) matches a secondary definition with that label (any
 * case) under that system presence. Deactivated definitions never match.
 */
export function bindCatalog(policy: Policy, definitions: readonly PresenceDefinition[]): CatalogBinding {
  const presenceIdByStatus = new Map<string, string>();
  const statusByPresenceId = new Map<string, string>();
  const unbound: string[] = [];
  const warnings: string[] = [];

  for (const name of catalogNames(policy)) {
    const status = policy.statuses[name]!;
    const candidates = definitions.filter((definition) => matches(status, definition));
    const active = candidates.filter((definition) => !definition.deactivated);
    const chosen = active[0];
    if (chosen) {
      presenceIdByStatus.set(name, chosen.id);
      statusByPresenceId.set(chosen.id, name);
      if (active.length > 1) {
        warnings.push(
          `policy status "${name}": ${active.length} Genesys presences match ${describe(status)}; using ${chosen.id}`,
        );
      }
      continue;
    }
    unbound.push(name);
    warnings.push(
      candidates.length > 0
        ? `policy status "${name}": Genesys presence ${describe(status)} is deactivated; it cannot be set`
        : `policy status "${name}": the org has no Genesys presence ${describe(status)}; it cannot be set`,
    );
  }

  const labelByPresenceId = new Map(definitions.map((definition) => [definition.id, definition.label]));
  return { presenceIdByStatus, statusByPresenceId, labelByPresenceId, unbound, warnings };
}

/**
 * The name the product shows for a presence: its catalog name, else its Genesys label, else the id itself
 * (a definition the org created after start-up).
 */
export function statusNameOfPresence(binding: CatalogBinding, presenceId: string): string {
  return binding.statusByPresenceId.get(presenceId) ?? binding.labelByPresenceId.get(presenceId) ?? presenceId;
}

function matches(status: StatusPolicy, definition: PresenceDefinition): boolean {
  if (definition.systemPresence !== systemPresenceOf(status)) return false;
  if (isSystemStatus(status)) return definition.kind === 'system';
  return (
    definition.kind === 'secondary' && definition.label.trim().toLowerCase() === status.presence.trim().toLowerCase()
  );
}

function describe(status: StatusPolicy): string {
  const system = systemPresenceOf(status);
  if (isSystemStatus(status) || !system) return `"${status.presence}"`;
  return `"${status.presence}" under ${systemPresenceLabel(system)}`;
}
