/**
 * Live presence from Genesys's notifications API: agents are spread over channels (2 topics each, at most
 * 1 000 topics per channel, at most 20 channels per OAuth client), each channel held open by one websocket.
 * A socket that misses its heartbeats, closes, or warns that it is closing is replaced; a channel is replaced
 * before it expires, the new one subscribed before the old is closed so no change falls in between. After
 * every (re)connect the agents it carries are resynchronised by bulk read before it counts as live.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import type { SystemPresence } from '../domain/presence.js';
import type { LivePresenceMetrics, PresenceChannelState } from '../pipeline/live-feed.js';
import type { PresenceObservation } from '../pipeline/live-presence.js';
import type { NotificationChannel, NotificationChannelApi } from './channel-api.js';
import { observationOf, parseChannelMessage, presenceTopic, routingTopic } from './notification-events.js';

export interface PresenceNotificationsOptions {
  api: NotificationChannelApi;
  /** Feeds one event into the mirror. */
  observe(observation: PresenceObservation): Promise<void>;
  /** Reads these agents after a (re)connect, for whatever changed while no socket listened. */
  resync(agentIds: readonly string[]): Promise<void>;
  /** The system presence of a definition an event named only by id. */
  systemPresenceOf(presenceId: string): Promise<SystemPresence | undefined>;
  metrics: Pick<LivePresenceMetrics, 'setChannelLive'>;
  logger: Logger;
  /** Topics per channel (Genesys allows 1 000). */
  topicsPerChannel?: number;
  /** Channels per OAuth client (Genesys allows 20; a 21st evicts the oldest). One is kept for replacing. */
  maxChannels?: number;
  /** Silence after which a socket counts as dead (Genesys sends a heartbeat about every 30 s). */
  heartbeatTimeoutMs?: number;
  /** How long before its expiry a channel is replaced. */
  renewBeforeExpiryMs?: number;
  /** First reconnect delay; doubles per failure up to `reconnectMaxMs`, with full jitter. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  random?: () => number;
  now?: () => number;
}

/** What `/readyz` shows about the channels. */
export interface ChannelsStatus {
  live: boolean;
  channels: number;
  liveChannels: number;
  agents: number;
  coveredAgents: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TOPICS_PER_AGENT = 2;

type SocketEnd = 'lost' | 'renew' | 'stopped';

interface Session {
  channel: NotificationChannel;
  socket: WebSocket;
  /** Resolves once: the socket died, Genesys warned it will close it, or the app is stopping. */
  ended: Promise<SocketEnd>;
  end(reason: SocketEnd): void;
}

/** One channel and the agents it carries; `run` keeps it connected until stopped. */
class ChannelGroup {
  readonly agents = new Set<string>();
  /** Agents whose topics Genesys accepted and who were read since the current socket opened. */
  covered = new Set<string>();
  live = false;
  private session: Session | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly owner: PresenceNotifications,
    readonly index: number,
  ) {}

  /** Subscribes a live channel to its full list again, then reads `agentIds`, newly in `agents`. */
  add(agentIds: readonly string[]): void {
    this.pending = this.pending.then(async () => {
      const session = this.session;
      if (!this.live || session === undefined) return;
      try {
        await this.owner.subscribe(session.channel, [...this.agents], this.covered, agentIds);
      } catch (err) {
        this.owner.logger.warn({ err, channel: session.channel.id }, 'could not add agents to the channel');
      }
    });
  }

  async run(): Promise<void> {
    let failures = 0;
    let reuse: NotificationChannel | undefined;
    while (!this.owner.stopped) {
      try {
        const wanted = [...this.agents];
        let { session, covered } = await this.owner.connect(reuse, wanted);
        this.session = session;
        this.covered = covered;
        failures = 0;
        this.live = true;
        this.owner.liveChanged();
        this.addLate(wanted);
        for (;;) {
          const reason = await Promise.race([session.ended, this.owner.renewalDue(session.channel)]);
          if (reason !== 'renew') {
            reuse = reason === 'lost' && !this.owner.expiresSoon(session.channel) ? session.channel : undefined;
            break;
          }
          // A fresh channel, subscribed and read, before the old socket goes: both deliver for a moment.
          const moving = [...this.agents];
          // The old channel covers its agents until the new one does, or until Genesys closes it first.
          const old = session;
          old.socket.once('close', () => {
            if (this.session === old) this.covered = new Set();
          });
          const next = await this.owner.connect(undefined, moving);
          session.end('stopped');
          session.socket.close();
          ({ session, covered } = next);
          this.session = session;
          this.covered = covered;
          this.addLate(moving);
          this.owner.logger.info({ channel: session.channel.id, group: this.index }, 'moved to a fresh channel');
        }
      } catch (err) {
        reuse = undefined;
        this.owner.logger.warn({ err, group: this.index }, 'notification channel could not be (re)connected');
      }
      this.session?.socket.terminate();
      this.session = undefined;
      this.covered = new Set();
      if (this.live) {
        this.live = false;
        this.owner.liveChanged();
      }
      if (this.owner.stopped) break;
      await this.owner.backoff(failures++);
    }
  }

  /** Agents watched while the channel was being connected with the list `connected`. */
  private addLate(connected: readonly string[]): void {
    const known = new Set(connected);
    const late = [...this.agents].filter((id) => !known.has(id));
    if (late.length > 0) this.add(late);
  }

  stop(): void {
    this.session?.end('stopped');
    this.session?.socket.close();
  }
}

export class PresenceNotifications implements PresenceChannelState {
  stopped = false;
  readonly logger: Logger;
  private readonly groups: ChannelGroup[] = [];
  private readonly groupOf = new Map<string, ChannelGroup>();
  private readonly runs: Promise<void>[] = [];
  /** Every socket not yet closed, opening ones included: stopping closes them all. */
  private readonly sockets = new Set<WebSocket>();
  private readonly stopSignal = new AbortController();
  private warnedFull = false;
  private readonly agentsPerChannel: number;
  private readonly maxGroups: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly renewBeforeExpiryMs: number;
  private readonly now: () => number;

  constructor(private readonly options: PresenceNotificationsOptions) {
    this.logger = options.logger.child({ component: 'genesys-notifications' });
    this.agentsPerChannel = Math.floor((options.topicsPerChannel ?? 1_000) / TOPICS_PER_AGENT);
    this.maxGroups = (options.maxChannels ?? 20) - 1;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 75_000;
    this.renewBeforeExpiryMs = options.renewBeforeExpiryMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  covers(agentId: string): boolean {
    const group = this.groupOf.get(agentId);
    return group?.live === true && group.covered.has(agentId);
  }

  watch(agentIds: readonly string[]): void {
    if (this.stopped) return;
    const added = new Map<ChannelGroup, string[]>();
    const starting = new Set<ChannelGroup>();
    for (const id of new Set(agentIds)) {
      if (this.groupOf.has(id)) continue;
      const group = this.groupWithRoom();
      if (group === undefined) {
        if (!this.warnedFull) this.logger.error({ agents: this.groupOf.size }, 'notification channels are full');
        this.warnedFull = true;
        break;
      }
      if (group.agents.size === 0) starting.add(group);
      group.agents.add(id);
      this.groupOf.set(id, group);
      added.set(group, [...(added.get(group) ?? []), id]);
    }
    for (const [group, ids] of added) {
      if (starting.has(group)) this.runs.push(group.run());
      else group.add(ids);
    }
  }

  status(): ChannelsStatus {
    const liveChannels = this.groups.filter((g) => g.live).length;
    return {
      live: this.groups.length > 0 && liveChannels === this.groups.length,
      channels: this.groups.length,
      liveChannels,
      agents: this.groupOf.size,
      coveredAgents: this.groups.reduce((n, g) => n + (g.live ? g.covered.size : 0), 0),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort();
    for (const group of this.groups) group.stop();
    for (const socket of this.sockets) socket.terminate();
    await Promise.all(this.runs);
  }

  // ---- used by ChannelGroup

  liveChanged(): void {
    this.options.metrics.setChannelLive(this.status().live);
  }

  expiresSoon(channel: NotificationChannel): boolean {
    return this.renewAt(channel) <= this.now();
  }

  /** Resolves `renew` when the channel is due for replacement (never, once stopping). */
  renewalDue(channel: NotificationChannel): Promise<SocketEnd> {
    return sleep(Math.max(0, this.renewAt(channel) - this.now()), 'renew' as const, {
      signal: this.stopSignal.signal,
      ref: false,
    }).catch(() => 'stopped' as const);
  }

  async backoff(failures: number): Promise<void> {
    const base = this.options.reconnectBaseMs ?? 1_000;
    const cap = this.options.reconnectMaxMs ?? 60_000;
    const delay = (this.options.random ?? Math.random)() * Math.min(cap, base * 2 ** Math.min(failures, 30));
    await sleep(delay, undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
  }

  /**
   * Opens a socket on `reuse` (a channel that is still valid) or on a new channel, subscribes `agents`, and reads
   * them; `covered` holds those Genesys accepted. Rejects if any step fails (the socket is then closed).
   */
  async connect(
    reuse: NotificationChannel | undefined,
    agents: string[],
  ): Promise<{ session: Session; covered: Set<string> }> {
    const channel = reuse ?? (await this.options.api.create());
    const session = await this.open(channel);
    try {
      const covered = new Set<string>();
      await this.subscribe(channel, agents, covered, agents);
      return { session, covered };
    } catch (error) {
      session.end('stopped');
      session.socket.terminate();
      throw error;
    }
  }

  /** PUT the topics of every agent in `all`, then read `fresh` and count those accepted as covered. */
  async subscribe(channel: NotificationChannel, all: string[], covered: Set<string>, fresh: readonly string[]) {
    const rejections = await this.options.api.subscribe(
      channel.id,
      all.flatMap((id) => [presenceTopic(id), routingTopic(id)]),
    );
    if (rejections.length > 0) {
      this.logger.warn({ channel: channel.id, rejections: rejections.slice(0, 20) }, 'Genesys refused topics');
    }
    const refused = new Set(rejections.map((r) => r.topic));
    const accepted = fresh.filter((id) => !refused.has(presenceTopic(id)) && !refused.has(routingTopic(id)));
    await this.options.resync(accepted);
    for (const id of accepted) covered.add(id);
  }

  // ---- internals

  private renewAt(channel: NotificationChannel): number {
    const expires = channel.expires === undefined ? Number.NaN : Date.parse(channel.expires);
    return (Number.isNaN(expires) ? this.now() + DAY_MS : expires) - this.renewBeforeExpiryMs;
  }

  private groupWithRoom(): ChannelGroup | undefined {
    const last = this.groups.at(-1);
    if (last !== undefined && last.agents.size < this.agentsPerChannel) return last;
    if (this.groups.length >= this.maxGroups) return undefined;
    const group = new ChannelGroup(this, this.groups.length);
    this.groups.push(group);
    return group;
  }

  private open(channel: NotificationChannel): Promise<Session> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(channel.connectUri, { handshakeTimeout: 10_000 });
      this.sockets.add(socket);
      let endSession: (reason: SocketEnd) => void = () => {};
      const ended = new Promise<SocketEnd>((settle) => {
        endSession = settle;
      });
      let heartbeat: NodeJS.Timeout | undefined;
      const end = (reason: SocketEnd) => {
        clearTimeout(heartbeat);
        endSession(reason);
      };
      const armHeartbeat = () => {
        clearTimeout(heartbeat);
        heartbeat = setTimeout(() => {
          this.logger.warn({ channel: channel.id }, 'no heartbeat from Genesys; the socket counts as dead');
          end('lost');
          socket.terminate();
        }, this.heartbeatTimeoutMs);
      };
      socket.once('open', () => {
        if (this.stopped) {
          socket.terminate();
          return;
        }
        armHeartbeat();
        resolve({ channel, socket, ended, end });
      });
      socket.on('error', (err) => {
        this.logger.warn({ err, channel: channel.id }, 'notification socket error');
        reject(err);
      });
      socket.on('close', (code) => {
        this.sockets.delete(socket);
        this.logger.info({ channel: channel.id, code }, 'notification socket closed');
        reject(new Error(`socket closed (${code}) before it opened`));
        end('lost');
      });
      // One message at a time, in the order Genesys sent them.
      let handling = Promise.resolve();
      socket.on('message', (data) => {
        armHeartbeat();
        handling = handling.then(() => this.handle(channel, String(data), end));
      });
    });
  }

  private async handle(channel: NotificationChannel, text: string, end: (reason: SocketEnd) => void) {
    const message = parseChannelMessage(text);
    switch (message.kind) {
      case 'heartbeat':
        return;
      case 'closing':
        this.logger.info({ channel: channel.id, message: message.message }, 'Genesys will close the socket');
        end('renew');
        return;
      case 'ignored':
        this.logger.debug({ channel: channel.id, why: message.why }, 'notification ignored');
        return;
      default: {
        try {
          const observation = await observationOf(message, new Date(this.now()).toISOString(), (id) =>
            this.options.systemPresenceOf(id),
          );
          if (observation === undefined) {
            this.logger.warn({ agentId: message.agentId }, 'presence event with an unknown presence ignored');
            return;
          }
          await this.options.observe(observation);
        } catch (err) {
          this.logger.error({ err, agentId: message.agentId }, 'a presence notification could not be applied');
        }
      }
    }
  }
}
