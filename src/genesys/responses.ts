/**
 * The parts of Genesys answers the client relies on, validated with zod (unknown fields are dropped),
 * and their mapping to the domain types. Shapes follow the SDK's models in index.d.ts.
 */
import { z } from 'zod';
import {
  normalizeSystemPresence,
  type PresenceDefinition,
  ROUTING_STATUSES,
  type SystemPresence,
} from '../domain/presence.js';
import type { GenesysUser } from '../pipeline/ports.js';

const presenceDefinitionRef = z.object({ id: z.string().min(1), systemPresence: z.string().optional() });

/** `UserPresence` (GET/PATCH /api/v2/users/{id}/presences/purecloud). */
export const userPresence = z.object({
  presenceDefinition: presenceDefinitionRef,
  modifiedDate: z.string().min(1),
});

/** `UcUserPresence[]` (GET /api/v2/users/presences/purecloud/bulk). */
export const bulkUserPresences = z.array(
  z.object({ userId: z.string().min(1), presenceDefinition: presenceDefinitionRef, modifiedDate: z.string().min(1) }),
);

/** `UserPresence[]` (PUT /api/v2/users/presences/bulk): `id` is the user's id. */
export const bulkPresenceWrite = z.array(z.object({ id: z.string().optional() }));

const routingStatusValue = z.enum(ROUTING_STATUSES);

/** `RoutingStatus` (GET /api/v2/users/{id}/routingstatus). */
export const routingStatus = z.object({ status: routingStatusValue });

/** `OrganizationPresenceDefinitionEntityListing` (GET /api/v2/presence/definitions). */
export const presenceDefinitionListing = z.object({
  entities: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().optional(),
      type: z.string().optional(),
      languageLabels: z.record(z.string(), z.string()).optional(),
      systemPresence: z.string(),
      deactivated: z.boolean().optional(),
    }),
  ),
});

/** `User` (search results, listings). */
const user = z.object({
  id: z.string().min(1),
  name: z.string(),
  email: z.string().optional(),
  state: z.string().optional(),
});

/** `UsersSearchResponse`; `results` is tolerated missing on an empty answer. */
export const usersSearch = z.object({ results: z.array(user).optional() });

/**
 * `User` with `expand=presence,routingStatus` (GET /api/v2/users/{id}, GET /api/v2/users?id=…). Genesys
 * resolves expands best effort: a field left out, or sent incomplete, counts as missing.
 */
export const userWithState = user.extend({
  presence: userPresence.optional().catch(undefined),
  routingStatus: routingStatus.optional().catch(undefined),
});

/** `UserEntityListing` with `expand=presence,routingStatus`. */
export const usersWithState = z.object({ entities: z.array(userWithState) });

export function toGenesysUser(raw: z.infer<typeof user>): GenesysUser {
  return {
    id: raw.id,
    name: raw.name,
    email: raw.email ?? '',
    ...(raw.state === undefined ? {} : { state: raw.state }),
  };
}

/** Definitions with a system presence this app does not know are left out (and reported to the caller). */
export function toPresenceDefinitions(raw: z.infer<typeof presenceDefinitionListing>): {
  definitions: PresenceDefinition[];
  skipped: string[];
} {
  const definitions: PresenceDefinition[] = [];
  const skipped: string[] = [];
  for (const entity of raw.entities) {
    const systemPresence = normalizeSystemPresence(entity.systemPresence);
    if (systemPresence === undefined) {
      skipped.push(`${entity.id} (${entity.systemPresence})`);
      continue;
    }
    definitions.push({
      id: entity.id,
      label: entity.languageLabels?.en_US ?? entity.name ?? entity.systemPresence,
      systemPresence,
      kind: entity.type === 'System' ? 'system' : 'secondary',
      deactivated: entity.deactivated ?? false,
    });
  }
  return { definitions, skipped };
}

/** The system presence of a presence as Genesys reported it, any of its spellings. */
export function systemPresenceOf(ref: z.infer<typeof presenceDefinitionRef>): SystemPresence | undefined {
  return ref.systemPresence === undefined ? undefined : normalizeSystemPresence(ref.systemPresence);
}
