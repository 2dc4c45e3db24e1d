/**
 * Genesys Cloud presence vocabulary, independent of the SDK.
 * Genesys spells On Queue three ways (`OnQueue`, `On Queue`, `ON_QUEUE`), so every comparison goes
 * through `normalizeSystemPresence`.
 */
export const SYSTEM_PRESENCES = [
  'AVAILABLE',
  'AWAY',
  'BUSY',
  'OFFLINE',
  'IDLE',
  'ON_QUEUE',
  'MEAL',
  'TRAINING',
  'MEETING',
  'BREAK',
] as const;
export type SystemPresence = (typeof SYSTEM_PRESENCES)[number];

export const ROUTING_STATUSES = ['OFF_QUEUE', 'IDLE', 'INTERACTING', 'NOT_RESPONDING', 'COMMUNICATING'] as const;
export type RoutingStatus = (typeof ROUTING_STATUSES)[number];

/** `On Queue`, `OnQueue`, `on-queue`, `ON_QUEUE` → `ON_QUEUE`; unknown spellings → undefined. */
export function normalizeSystemPresence(raw: string): SystemPresence | undefined {
  const compact = raw.replace(/[\s_-]+/g, '').toUpperCase();
  return SYSTEM_PRESENCES.find((p) => p.replace(/_/g, '') === compact);
}

/** A presence definition of the org: one of the ten system presences or an org ("secondary") one. */
export interface PresenceDefinition {
  id: string;
  /** Label as Genesys shows it (`languageLabels.en_US`, else the system presence name). */
  label: string;
  systemPresence: SystemPresence;
  /** `system` for the ten built-in presences, `secondary` for org-defined ones such as "Lunch". */
  kind: 'system' | 'secondary';
  deactivated: boolean;
}

/** What the app knows about an agent's live state in Genesys at one instant. */
export interface AgentState {
  agentId: string;
  presenceId: string;
  systemPresence: SystemPresence;
  routingStatus: RoutingStatus;
  /** ISO timestamp of the last presence change, as Genesys reports it. */
  modifiedDate: string;
}

/**
 * Genesys has no ETag on presence, so the app derives its own version token from what changes on every
 * write. Two reads with the same token saw the same state.
 */
export function presenceVersion(state: Pick<AgentState, 'presenceId' | 'routingStatus' | 'modifiedDate'>): string {
  return `${state.presenceId}|${state.routingStatus}|${state.modifiedDate}`;
}

/** What a version token says about the state it was taken from (its presence, routing status and time). */
export function parsePresenceVersion(
  version: string,
): Pick<AgentState, 'presenceId' | 'routingStatus' | 'modifiedDate'> {
  const [presenceId = '', routing = '', modifiedDate = ''] = version.split('|');
  const routingStatus = ROUTING_STATUSES.find((status) => status === routing) ?? 'OFF_QUEUE';
  return { presenceId, routingStatus, modifiedDate };
}

/**
 * Whether `state` is evidence that a write of `presenceId` over the state with version `fromVersion` landed:
 * Genesys shows that presence, changed after the state the write replaced. Genesys's own timestamps are
 * compared with each other, never with this app's clock.
 */
export function showsWriteOver(state: AgentState, presenceId: string, fromVersion: string): boolean {
  const replacedAt = Date.parse(parsePresenceVersion(fromVersion).modifiedDate);
  const changedAt = Date.parse(state.modifiedDate);
  if (Number.isNaN(changedAt)) return false;
  return state.presenceId === presenceId && (Number.isNaN(replacedAt) || changedAt > replacedAt);
}
