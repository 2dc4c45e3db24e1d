/**
 * The live `PresenceReader` and the feed that keeps the mirror: observations from notifications and resyncs go
 * into the mirror, event-sourced changes to the `MirrorChangeListener`, and the echo of the app's own write to
 * whoever waits to confirm it. Reads come from the mirror for agents a live channel covers and from Genesys
 * (`direct`) for everyone else; what Genesys answers is mirrored too.
 */
import { type AgentState, showsWriteOver } from '../domain/presence.js';
import type {
  MirrorChangeListener,
  MirroredAgent,
  ObservationSource,
  PresenceMirrorStore,
  PresenceObservation,
  PresenceReader,
} from './live-presence.js';
import type { Log } from './ports.js';

/** What the notification channel tells the reader: whom it carries live, and whom to add. */
export interface PresenceChannelState {
  /** True when a live channel carries each of these agents' changes and the mirror was resynchronised since. */
  covers(agentId: string): boolean;
  /** Subscribes to these agents' changes from now on (everyone the app reads about is watched). */
  watch(agentIds: readonly string[]): void;
}

/** What the live feed counts; implemented with prom-client in `obs/`. */
export interface LivePresenceMetrics {
  /** A notification applied to the mirror, by part. */
  countEvent(part: 'presence' | 'routing'): void;
  /** Seconds between a change in Genesys (its own timestamp) and its notification reaching the mirror. */
  observeLag(seconds: number): void;
  /** Whether every channel the app wants is connected, subscribed and resynchronised. */
  setChannelLive(live: boolean): void;
  /** One resynchronisation by bulk read after a (re)connect. */
  countResync(): void;
}

export interface LivePresenceOptions {
  mirror: PresenceMirrorStore;
  /** Genesys read directly, for agents no live channel covers and when the echo of a write does not come. */
  direct: PresenceReader;
  channel: PresenceChannelState;
  /** Told of changes notifications (and resyncs after a reconnect) made to agents the mirror already knew. */
  onChange?: MirrorChangeListener;
  metrics: LivePresenceMetrics;
  log: Log;
  /** How long `confirmWrite` waits for the notification of the app's own write before reading (default 2 s). */
  confirmWithinMs?: number;
  now?: () => Date;
}

export interface LivePresence {
  reader: PresenceReader;
  /** Feeds one notification into the mirror. */
  observe(observation: PresenceObservation): Promise<void>;
  /** Re-reads these agents from Genesys after a (re)connect; changes found are told like notifications. */
  resync(agentIds: readonly string[]): Promise<void>;
}

interface EchoWaiter {
  presenceId: string;
  fromVersion: string;
  resolve(state: AgentState): void;
}

export function createLivePresence(options: LivePresenceOptions): LivePresence {
  const { mirror, direct, channel, metrics, log } = options;
  const confirmWithinMs = options.confirmWithinMs ?? 2_000;
  const now = options.now ?? (() => new Date());
  const waiters = new Map<string, Set<EchoWaiter>>();

  function settleWaiters(after: MirroredAgent): void {
    for (const waiter of waiters.get(after.agentId) ?? []) {
      if (showsWriteOver(after, waiter.presenceId, waiter.fromVersion)) waiter.resolve(stateOf(after));
    }
  }

  async function tell(observation: PresenceObservation, before: MirroredAgent | undefined, after: MirroredAgent) {
    if (options.onChange === undefined) return;
    try {
      await options.onChange({ observation, ...(before === undefined ? {} : { before }), after });
    } catch (err) {
      log.error({ err, agentId: observation.agentId }, 'handling a presence change from Genesys failed');
    }
  }

  async function record(state: AgentState, source: ObservationSource) {
    const observedAt = now().toISOString();
    return mirror.apply({
      agentId: state.agentId,
      presence: {
        presenceId: state.presenceId,
        systemPresence: state.systemPresence,
        modifiedDate: state.modifiedDate,
      },
      // A read carries no routing timestamp of Genesys's: the routing status was true when it was read.
      routing: { status: state.routingStatus, changedAt: observedAt },
      source,
      observedAt,
    });
  }

  /** The mirror's state of an agent the channel covers, if it knows them in full. */
  async function mirrored(agentIds: readonly string[]): Promise<Map<string, AgentState>> {
    const covered = agentIds.filter((id) => channel.covers(id));
    if (covered.length === 0) return new Map();
    return new Map((await mirror.get(covered)).map((agent) => [agent.agentId, stateOf(agent)]));
  }

  async function waitForEcho(agentId: string, presenceId: string, fromVersion: string) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let waiter: EchoWaiter | undefined;
    const echo = new Promise<AgentState | undefined>((resolve) => {
      waiter = { presenceId, fromVersion, resolve };
      const forAgent = waiters.get(agentId) ?? new Set();
      forAgent.add(waiter);
      waiters.set(agentId, forAgent);
      timer = setTimeout(() => resolve(undefined), confirmWithinMs);
    });
    try {
      // Registered before looking, so an echo that lands in between is not missed.
      const [held] = await mirror.get([agentId]);
      if (held !== undefined && showsWriteOver(held, presenceId, fromVersion)) return stateOf(held);
      return await echo;
    } finally {
      clearTimeout(timer);
      const forAgent = waiters.get(agentId);
      forAgent?.delete(waiter!);
      if (forAgent?.size === 0) waiters.delete(agentId);
    }
  }

  const reader: PresenceReader = {
    async state(agentId) {
      channel.watch([agentId]);
      const live = (await mirrored([agentId])).get(agentId);
      if (live !== undefined) return live;
      const state = await direct.state(agentId);
      await record(state, 'read');
      return state;
    },

    async states(agentIds) {
      const unique = [...new Set(agentIds)];
      channel.watch(unique);
      const live = await mirrored(unique);
      const missing = unique.filter((id) => !live.has(id));
      const read = missing.length === 0 ? [] : await direct.states(missing);
      for (const state of read) await record(state, 'read');
      const byId = new Map([...live, ...read.map((state) => [state.agentId, state] as const)]);
      return unique.flatMap((id) => {
        const state = byId.get(id);
        return state === undefined ? [] : [state];
      });
    },

    async confirmWrite(agentId, presenceId, fromVersion) {
      if (channel.covers(agentId)) {
        const echoed = await waitForEcho(agentId, presenceId, fromVersion);
        if (echoed !== undefined) return echoed;
        log.info({ agentId, waitedMs: confirmWithinMs }, 'no notification of the write came in time; reading it');
      }
      const state = await direct.confirmWrite(agentId, presenceId, fromVersion);
      if (state !== undefined) await record(state, showsWriteOver(state, presenceId, fromVersion) ? 'write' : 'read');
      return state;
    },
  };

  return {
    reader,

    async observe(observation) {
      const update = await mirror.apply(observation);
      if (observation.presence !== undefined) metrics.countEvent('presence');
      if (observation.routing !== undefined) metrics.countEvent('routing');
      const changedAt = observation.presence?.modifiedDate ?? observation.routing?.changedAt;
      const lagMs = Date.parse(observation.observedAt) - Date.parse(changedAt ?? '');
      // Genesys's clock and this host's differ a little: a negative lag is skew, not a time machine.
      if (Number.isFinite(lagMs)) metrics.observeLag(Math.max(0, lagMs) / 1000);
      if (!update.changed || update.after === undefined) return;
      settleWaiters(update.after);
      await tell(observation, update.before, update.after);
    },

    async resync(agentIds) {
      if (agentIds.length === 0) return;
      metrics.countResync();
      for (const state of await direct.states(agentIds)) {
        const update = await record(state, 'read');
        // A change missed while the channel was down; an agent seen for the first time is no change.
        if (!update.changed || update.before === undefined || update.after === undefined) continue;
        settleWaiters(update.after);
        await tell({ ...observationOf(update.after), source: 'read' }, update.before, update.after);
      }
    },
  };
}

function stateOf(agent: AgentState): AgentState {
  const { agentId, presenceId, systemPresence, routingStatus, modifiedDate } = agent;
  return { agentId, presenceId, systemPresence, routingStatus, modifiedDate };
}

function observationOf(agent: MirroredAgent): Omit<PresenceObservation, 'source'> {
  return {
    agentId: agent.agentId,
    presence: {
      presenceId: agent.presenceId,
      systemPresence: agent.systemPresence,
      modifiedDate: agent.modifiedDate,
      ...(agent.message === undefined ? {} : { message: agent.message }),
    },
    routing: { status: agent.routingStatus, changedAt: agent.routingChangedAt ?? agent.observedAt },
    observedAt: agent.observedAt,
  };
}
