/** How the pipeline shows a Genesys presence: as the product names it, next to Genesys's own view. */
import type { AgentState } from '../domain/presence.js';
import type { StatusSnapshot } from '../domain/transition.js';
import { type CatalogBinding, statusNameOfPresence } from '../policy/binding.js';

export function snapshot(binding: CatalogBinding, state: AgentState): StatusSnapshot {
  return snapshotOf(binding, state.presenceId, state.routingStatus);
}

export function snapshotOf(
  binding: CatalogBinding,
  presenceId: string,
  routingStatus: AgentState['routingStatus'],
): StatusSnapshot {
  return {
    status: statusNameOfPresence(binding, presenceId),
    presenceId,
    presenceLabel: binding.labelByPresenceId.get(presenceId) ?? presenceId,
    routingStatus,
  };
}
