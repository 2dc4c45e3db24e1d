/**
 * Which Genesys presence a catalog status stands for. Below both the policy schema (which checks that no
 * two statuses share a presence) and the catalog, so neither has to import the other for it.
 */
import { normalizeSystemPresence, type SystemPresence } from '../domain/presence.js';

/** The presence fields of a policy status, as the schema parses them. */
export interface StatusPresence {
  presence: string;
  systemPresence?: SystemPresence | undefined;
}

/** The Genesys system presence a status counts as (a secondary such as Lunch counts as Meal). */
export function systemPresenceOf(status: StatusPresence): SystemPresence | undefined {
  return status.systemPresence ?? normalizeSystemPresence(status.presence);
}

/** True when the status is one of the ten system presences itself rather than an org secondary one. */
export function isSystemStatus(status: StatusPresence): boolean {
  const own = normalizeSystemPresence(status.presence);
  return own !== undefined && own === systemPresenceOf(status);
}
