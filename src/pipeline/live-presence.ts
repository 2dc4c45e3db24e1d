/**
 * Live presence: the ports behind the app's view of the floor. A mirror fed by Genesys notifications answers
 * reads while the notification channel is live; without a live channel, reads go to Genesys. The pipeline and
 * the read side learn agents' states only through `PresenceReader`, so the conditional write keeps its
 * guarantee whichever way the state arrived.
 */
import type { AgentState, RoutingStatus, SystemPresence } from '../domain/presence.js';

/** Where a mirrored value came from: a notification, a read, or the app's own confirmed write. */
export type ObservationSource = 'event' | 'read' | 'write';

/** One thing learnt about an agent: its presence, its routing status, or both. */
export interface PresenceObservation {
  agentId: string;
  presence?: {
    presenceId: string;
    systemPresence: SystemPresence;
    message?: string;
    /** Genesys's `modifiedDate` of the presence: the order of presence observations. */
    modifiedDate: string;
  };
  routing?: {
    status: RoutingStatus;
    /** Genesys's `startTime` of the routing status: the order of routing observations. */
    changedAt: string;
  };
  source: ObservationSource;
  /** ISO time the app learnt it. */
  observedAt: string;
}

/** The mirror's view of one agent, known in full (presence and routing status). */
export interface MirroredAgent extends AgentState {
  message?: string;
  routingChangedAt?: string;
  source: ObservationSource;
  observedAt: string;
}

export interface MirrorUpdate {
  /** False when every part of the observation was older than (or equal to) what the mirror holds. */
  changed: boolean;
  before?: MirroredAgent;
  after?: MirroredAgent;
}

/** The mirror in the store (SQLite in one process; Redis when replicas share it). */
export interface PresenceMirrorStore {
  /** Merges an observation; a part older than the one held is ignored (notifications arrive out of order). */
  apply(observation: PresenceObservation): Promise<MirrorUpdate>;
  /** The agents among `agentIds` the mirror knows in full, in no particular order. */
  get(agentIds: readonly string[]): Promise<MirroredAgent[]>;
  /** Every agent the mirror has heard of: who to subscribe to again after a restart. */
  known(): Promise<string[]>;
}

/** How the pipeline and the read side learn agents' live states. */
export interface PresenceReader {
  /** One agent's state now: from the mirror while the channel is live, else from Genesys (and mirrored). */
  state(agentId: string): Promise<AgentState>;
  /** Several agents' states; an agent Genesys does not answer for is left out. */
  states(agentIds: readonly string[]): Promise<AgentState[]>;
  /**
   * The state after the app's own write of `presenceId` over the state with version `fromVersion`: the
   * notification of that write when the channel is live (waited for a bounded time), else a read. Undefined
   * when neither could say.
   */
  confirmWrite(agentId: string, presenceId: string, fromVersion: string): Promise<AgentState | undefined>;
}

/** A change a notification made to the mirror: an outside change, or the echo of the app's own write. */
export interface MirrorChange {
  observation: PresenceObservation;
  before?: MirroredAgent;
  after: MirroredAgent;
}

/**
 * Told of every mirror change that came from a notification, or from the resync after a reconnect (a change the
 * notification of which was missed; its observation's source is then `read`). Never of other reads or of
 * confirmed own writes.
 */
export type MirrorChangeListener = (change: MirrorChange) => Promise<void>;
