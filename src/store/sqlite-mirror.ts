import type Database from 'better-sqlite3';
import { ROUTING_STATUSES, SYSTEM_PRESENCES } from '../domain/presence.js';
import type {
  MirroredAgent,
  MirrorUpdate,
  ObservationSource,
  PresenceMirrorStore,
  PresenceObservation,
} from '../pipeline/live-presence.js';

interface MirrorRow {
  agent_id: string;
  presence_id: string | null;
  system_presence: string | null;
  message: string | null;
  modified_date: string | null;
  routing_status: string | null;
  routing_changed_at: string | null;
  source: string;
  observed_at: string;
}

const SOURCES: readonly ObservationSource[] = ['event', 'read', 'write'];

/**
 * The presence mirror in the `presence_mirror` table. Presence and routing status are ordered separately, by
 * Genesys's own timestamps (`modifiedDate`, the routing status's `startTime`): notifications arrive out of
 * order and a late one must not move an agent back. A row may know only one part until the other arrives.
 */
export function sqlitePresenceMirror(db: Database.Database): PresenceMirrorStore {
  const select = db.prepare<[string], MirrorRow>('SELECT * FROM presence_mirror WHERE agent_id = ?');
  const upsert = db.prepare<MirrorRow>(
    `INSERT INTO presence_mirror (agent_id, presence_id, system_presence, message, modified_date, routing_status,
       routing_changed_at, source, observed_at)
     VALUES (@agent_id, @presence_id, @system_presence, @message, @modified_date, @routing_status,
       @routing_changed_at, @source, @observed_at)
     ON CONFLICT (agent_id) DO UPDATE SET presence_id = excluded.presence_id,
       system_presence = excluded.system_presence, message = excluded.message,
       modified_date = excluded.modified_date, routing_status = excluded.routing_status,
       routing_changed_at = excluded.routing_changed_at, source = excluded.source,
       observed_at = excluded.observed_at`,
  );
  const all = db.prepare<[], { agent_id: string }>('SELECT agent_id FROM presence_mirror');

  const merge = db.transaction((observation: PresenceObservation): MirrorUpdate => {
    const held = select.get(observation.agentId);
    const presence =
      observation.presence !== undefined && isNewer(observation.presence.modifiedDate, held?.modified_date)
        ? observation.presence
        : undefined;
    const routing =
      observation.routing !== undefined && isNewer(observation.routing.changedAt, held?.routing_changed_at)
        ? observation.routing
        : undefined;
    const before = held === undefined ? undefined : toMirrored(held);
    if (presence === undefined && routing === undefined) {
      return { changed: false, ...(before === undefined ? {} : { before, after: before }) };
    }
    const row: MirrorRow = {
      agent_id: observation.agentId,
      presence_id: presence?.presenceId ?? held?.presence_id ?? null,
      system_presence: presence?.systemPresence ?? held?.system_presence ?? null,
      message: presence === undefined ? (held?.message ?? null) : (presence.message ?? null),
      modified_date: presence?.modifiedDate ?? held?.modified_date ?? null,
      routing_status: routing?.status ?? held?.routing_status ?? null,
      routing_changed_at: routing?.changedAt ?? held?.routing_changed_at ?? null,
      source: observation.source,
      observed_at: observation.observedAt,
    };
    upsert.run(row);
    const after = toMirrored(row);
    return { changed: true, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
  });

  return {
    async apply(observation) {
      return merge.immediate(observation);
    },
    async get(agentIds) {
      return [...new Set(agentIds)].flatMap((id) => {
        const row = select.get(id);
        const mirrored = row === undefined ? undefined : toMirrored(row);
        return mirrored === undefined ? [] : [mirrored];
      });
    },
    async known() {
      return all.all().map((row) => row.agent_id);
    },
  };
}

/** A part with an unreadable time never replaces one; anything replaces a part not held yet. */
function isNewer(incoming: string, held: string | null | undefined): boolean {
  const incomingMs = Date.parse(incoming);
  if (Number.isNaN(incomingMs)) return false;
  if (held === null || held === undefined) return true;
  const heldMs = Date.parse(held);
  return Number.isNaN(heldMs) || incomingMs > heldMs;
}

/** The row as a `MirroredAgent`, or undefined while it lacks either part. */
function toMirrored(row: MirrorRow): MirroredAgent | undefined {
  const systemPresence = SYSTEM_PRESENCES.find((p) => p === row.system_presence);
  const routingStatus = ROUTING_STATUSES.find((s) => s === row.routing_status);
  const source = SOURCES.find((s) => s === row.source);
  if (row.presence_id === null || row.modified_date === null || !systemPresence || !routingStatus || !source) {
    return undefined;
  }
  return {
    agentId: row.agent_id,
    presenceId: row.presence_id,
    systemPresence,
    routingStatus,
    modifiedDate: row.modified_date,
    ...(row.message === null ? {} : { message: row.message }),
    ...(row.routing_changed_at === null ? {} : { routingChangedAt: row.routing_changed_at }),
    source,
    observedAt: row.observed_at,
  };
}
