/**
 * Genesys's notification service as the simulator plays it: channels, subscriptions, the websocket at
 * `connectUri`, heartbeats, the close warning and channel expiry, and one event per subscribed topic for every
 * presence or routing change (from the API, the control API and reset alike). Events for a channel without an
 * open socket are lost, as in Genesys: that is why a client resynchronises after every (re)connect.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type platformClient from 'purecloud-platform-client-v2';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import * as answers from './answers.js';
import type { JsonAnswer, Route } from './genesys-routes.js';
import type { OrgChange, OrgState, SimUser } from './org-state.js';

/** Genesys's limits: topics per channel, and channels per user and app (a 21st evicts the oldest). */
export const TOPICS_PER_CHANNEL = 1000;
export const CHANNELS_PER_CLIENT = 20;
const DEFAULT_CHANNEL_LIFETIME_SECONDS = 24 * 60 * 60;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;

export const HEARTBEAT_TOPIC = 'channel.metadata';
export const CLOSING_TOPIC = 'v2.system.socket_closing';
const USER_TOPIC = /^v2\.users\.([^.]+)\.(presence|routingStatus|activity)$/;

export interface NotificationOptions {
  /** Time of channel expiry (the simulator's clock). */
  now: () => number;
  /** How an event delay is waited for. */
  sleep: (ms: number) => Promise<void>;
  /** Default 86400, Genesys's 24 hours. */
  channelLifetimeSeconds?: number;
  /** Default 30 000, Genesys's heartbeat period; each beat also closes channels past their expiry. */
  heartbeatIntervalMs?: number;
}

export interface ChannelInfo {
  id: string;
  clientId: string;
  topics: string[];
  expires: string;
  /** A socket is open on the channel. */
  connected: boolean;
}

/** A message the simulator sent on a socket (heartbeats left out). */
export interface SentNotification {
  channelId: string;
  topicName: string;
  eventBody: unknown;
}

export interface NotificationControls {
  channels(): ChannelInfo[];
  /** Drops the open sockets (of one channel, or all) without a close frame, as a network failure does; the channels stay. */
  dropSockets(channelId?: string): number;
  /** Every later event waits this long before it is sent (0: at once). */
  setEventDelay(ms: number): void;
  /** Events wait until `releaseEvents`. */
  holdEvents(): void;
  /** Sends the held events, in the order they happened or reversed (to test out-of-order arrival); returns how many. */
  releaseEvents(order?: 'happened' | 'reversed'): number;
  /** Stops (false) or resumes the periodic heartbeats, so a client can detect a dead socket. */
  setHeartbeats(on: boolean): void;
  /** One heartbeat on every open socket now. */
  heartbeat(): void;
  /** The maintenance warning Genesys sends ahead of closing a socket; the socket stays open. */
  warnClosing(channelId?: string): void;
  /** Expires channels now (one, or all): the close warning, the socket closed, the channel gone; returns how many. */
  expireChannels(channelId?: string): number;
  /** The lifetime of channels created from now on, and of those re-subscribed. */
  setChannelLifetime(seconds: number): void;
  /** Every event sent on a socket since the last reset, oldest first. */
  sent(): SentNotification[];
}

export interface NotificationHub {
  controls: NotificationControls;
  routes: Route[];
  /** The control API's `/__sim/notifications/…` part; undefined when `path` is not one of its paths. */
  controlRoute(method: string, path: string, body: unknown): JsonAnswer | undefined;
  /** Takes an HTTP upgrade at `/channels/<id>` (the `connectUri`); false when the path is not one. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Back to the defaults (no delay, nothing held, heartbeats on, the sent log empty); channels stay open. */
  reset(): void;
  close(): void;
}

interface Channel {
  id: string;
  clientId: string;
  topics: Set<string>;
  expiresAt: number;
  socket?: WebSocket;
}

interface Pending {
  channelId: string;
  topicName: string;
  eventBody: unknown;
}

const topicRequest = z.array(z.object({ id: z.string().min(1) }));

const notFound = (id: string): JsonAnswer => ({
  status: 404,
  body: answers.errorBody(404, 'not.found', `Channel ${id} does not exist.`),
});

function message(topicName: string, eventBody: unknown): string {
  return JSON.stringify({ topicName, version: '2', eventBody, metadata: { CorrelationId: randomUUID() } });
}

export function createNotificationHub(
  state: OrgState,
  baseUrl: () => string,
  options: NotificationOptions,
): NotificationHub {
  const { now, sleep } = options;
  const defaultLifetime = options.channelLifetimeSeconds ?? DEFAULT_CHANNEL_LIFETIME_SECONDS;
  const channels = new Map<string, Channel>();
  const wss = new WebSocketServer({ noServer: true });
  let lifetimeSeconds = defaultLifetime;
  let eventDelayMs = 0;
  let held: Pending[] | undefined;
  let heartbeats = true;
  let sentLog: SentNotification[] = [];
  /** Bumped by reset(), so events delayed before it are not sent after it. */
  let generation = 0;

  const heartbeatTimer = setInterval(() => {
    for (const channel of [...channels.values()]) if (channel.expiresAt <= now()) expire(channel);
    if (heartbeats) beat();
  }, options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
  heartbeatTimer.unref();

  const open = (channel: Channel): WebSocket | undefined =>
    channel.socket?.readyState === WebSocket.OPEN ? channel.socket : undefined;

  function beat(): void {
    for (const channel of channels.values()) {
      open(channel)?.send(message(HEARTBEAT_TOPIC, { message: 'WebSocket Heartbeat' }));
    }
  }

  function warn(channel: Channel): void {
    open(channel)?.send(message(CLOSING_TOPIC, { message: 'The socket will close soon: reconnect on a new channel.' }));
  }

  function expire(channel: Channel): void {
    warn(channel);
    channel.socket?.close(1000, 'Channel expired');
    channels.delete(channel.id);
  }

  /** The caller's live channel: expired ones are closed on sight. */
  function live(id: string, clientId?: string): Channel | undefined {
    const channel = channels.get(id);
    if (channel === undefined || (clientId !== undefined && channel.clientId !== clientId)) return undefined;
    if (channel.expiresAt <= now()) {
      expire(channel);
      return undefined;
    }
    return channel;
  }

  function targets(channelId: string | undefined): Channel[] {
    if (channelId === undefined) return [...channels.values()];
    const channel = channels.get(channelId);
    return channel === undefined ? [] : [channel];
  }

  function send(pending: Pending): void {
    const channel = channels.get(pending.channelId);
    const socket = channel === undefined ? undefined : open(channel);
    if (socket === undefined) return; // no socket, no delivery: Genesys keeps nothing for later
    socket.send(message(pending.topicName, pending.eventBody));
    sentLog.push(pending);
  }

  function dispatch(pending: Pending): void {
    if (held !== undefined) {
      held.push(pending);
    } else if (eventDelayMs > 0) {
      const scheduledIn = generation;
      void sleep(eventDelayMs).then(() => {
        if (scheduledIn === generation) send(pending);
      });
    } else {
      send(pending);
    }
  }

  function eventBody(user: SimUser, kind: string, routingChanged: boolean): unknown {
    if (kind === 'presence') return answers.presenceEvent(state, user);
    if (kind === 'activity') return answers.activityEvent(state, user);
    return routingChanged ? answers.routingStatusEvent(user) : undefined;
  }

  state.onChange(({ user, routingChanged }: OrgChange) => {
    for (const channel of channels.values()) {
      if (open(channel) === undefined) continue;
      for (const kind of ['presence', 'routingStatus', 'activity']) {
        const topicName = `v2.users.${user.id}.${kind}`;
        if (!channel.topics.has(topicName)) continue;
        const body = eventBody(user, kind, routingChanged);
        if (body !== undefined) dispatch({ channelId: channel.id, topicName, eventBody: body });
      }
    }
  });

  function permitted(topic: string): boolean {
    const match = USER_TOPIC.exec(topic);
    return match !== null && state.users().some((u) => u.id === match[1]);
  }

  /** PUT replaces the topics, POST adds to them; topics the service does not know come back rejected. */
  function subscribe(channel: Channel, body: unknown, replace: boolean): JsonAnswer {
    const request = topicRequest.safeParse(body);
    if (!request.success) {
      return { status: 400, body: answers.errorBody(400, 'bad.request', 'The request could not be understood.') };
    }
    const requested = request.data.map((t) => t.id);
    const accepted = requested.filter(permitted);
    const next = new Set(replace ? accepted : [...channel.topics, ...accepted]);
    if (next.size > TOPICS_PER_CHANNEL) {
      return {
        status: 400,
        body: answers.errorBody(400, 'bad.request', `A channel can have at most ${TOPICS_PER_CHANNEL} topics.`),
      };
    }
    channel.topics = next;
    channel.expiresAt = now() + lifetimeSeconds * 1000; // re-subscribing extends a channel's life in Genesys
    const rejected = [...new Set(requested.filter((t) => !permitted(t)))].map(
      (id) =>
        ({
          id,
          state: 'Rejected',
          rejectionReason: `Topic ${id} does not exist or is not permitted.`,
        }) satisfies platformClient.Models.ChannelTopic,
    );
    return { status: 200, body: answers.channelTopics([...listTopics(channel), ...rejected]) };
  }

  function listTopics(channel: Channel): platformClient.Models.ChannelTopic[] {
    return [...channel.topics].map((id) => ({ id, state: 'Permitted' }));
  }

  function describe(channel: Channel) {
    return answers.channel(
      channel.id,
      `${baseUrl().replace(/^http/, 'ws')}/channels/${channel.id}`,
      new Date(channel.expiresAt).toISOString(),
    );
  }

  const withChannel =
    (then: (channel: Channel, body: unknown) => JsonAnswer) =>
    ({ params, body, clientId }: { params: string[]; body: unknown; clientId: string }): JsonAnswer => {
      const channel = live(params[0]!, clientId);
      return channel === undefined ? notFound(params[0]!) : then(channel, body);
    };

  const subscriptions = /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/;
  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/api\/v2\/notifications\/channels$/,
      handle: ({ clientId }) => {
        const own = [...channels.values()].filter((c) => c.clientId === clientId);
        // Oldest first (insertion order): the 21st channel evicts the oldest.
        if (own.length >= CHANNELS_PER_CLIENT) expire(own[0]!);
        const channel: Channel = {
          id: `streaming-0-${randomBytes(13).toString('base64url').toLowerCase()}`,
          clientId,
          topics: new Set(),
          expiresAt: now() + lifetimeSeconds * 1000,
        };
        channels.set(channel.id, channel);
        return { status: 200, body: describe(channel) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/notifications\/channels$/,
      handle: ({ clientId }) => ({
        status: 200,
        body: {
          entities: [...channels.keys()].flatMap((id) => {
            const channel = live(id, clientId);
            return channel === undefined ? [] : [describe(channel)];
          }),
        } satisfies platformClient.Models.ChannelEntityListing,
      }),
    },
    {
      method: 'HEAD',
      pattern: /^\/api\/v2\/notifications\/channels\/([^/]+)$/,
      handle: withChannel(() => ({ status: 200, body: undefined })),
    },
    {
      method: 'GET',
      pattern: subscriptions,
      handle: withChannel((channel) => ({ status: 200, body: answers.channelTopics(listTopics(channel)) })),
    },
    { method: 'PUT', pattern: subscriptions, handle: withChannel((channel, body) => subscribe(channel, body, true)) },
    { method: 'POST', pattern: subscriptions, handle: withChannel((channel, body) => subscribe(channel, body, false)) },
    {
      method: 'DELETE',
      pattern: subscriptions,
      handle: withChannel((channel) => {
        channel.topics = new Set();
        return { status: 204, body: undefined };
      }),
    },
  ];

  function connect(channel: Channel, socket: WebSocket): void {
    // One connection per channel: a new one replaces the old.
    channel.socket?.close(1000, 'Another connection was opened on this channel');
    channel.socket = socket;
    socket.on('message', (data: RawData) => {
      const ping = z.object({ message: z.literal('ping') }).safeParse(safeJson(data.toString()));
      if (ping.success) socket.send(message(HEARTBEAT_TOPIC, { message: 'pong' }));
    });
    socket.on('close', () => {
      if (channel.socket === socket) delete channel.socket;
    });
  }

  const controls: NotificationControls = {
    channels: () =>
      [...channels.values()].map((c) => ({
        id: c.id,
        clientId: c.clientId,
        topics: [...c.topics],
        expires: new Date(c.expiresAt).toISOString(),
        connected: open(c) !== undefined,
      })),
    dropSockets(channelId) {
      let dropped = 0;
      for (const channel of targets(channelId)) {
        if (channel.socket === undefined) continue;
        channel.socket.terminate();
        delete channel.socket;
        dropped += 1;
      }
      return dropped;
    },
    setEventDelay(ms) {
      eventDelayMs = z.number().nonnegative().parse(ms);
    },
    holdEvents() {
      held ??= [];
    },
    releaseEvents(order = 'happened') {
      const released = held ?? [];
      held = undefined;
      for (const pending of order === 'reversed' ? [...released].reverse() : released) send(pending);
      return released.length;
    },
    setHeartbeats(on) {
      heartbeats = on;
    },
    heartbeat: beat,
    warnClosing(channelId) {
      for (const channel of targets(channelId)) warn(channel);
    },
    expireChannels(channelId) {
      const expiring = targets(channelId);
      for (const channel of expiring) expire(channel);
      return expiring.length;
    },
    setChannelLifetime(seconds) {
      lifetimeSeconds = z.number().positive().parse(seconds);
    },
    sent: () => [...sentLog],
  };

  const channelRef = z.object({ channelId: z.string().min(1).optional() }).default({});
  const controlRoute = (method: string, path: string, body: unknown): JsonAnswer | undefined => {
    const done: JsonAnswer = { status: 204, body: undefined };
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /notifications/channels':
        return { status: 200, body: { channels: controls.channels() } };
      case 'GET /notifications/sent':
        return { status: 200, body: { sent: controls.sent() } };
      case 'POST /notifications/drop':
        return { status: 200, body: { dropped: controls.dropSockets(channelRef.parse(body).channelId) } };
      case 'PUT /notifications/delay':
        controls.setEventDelay(z.object({ ms: z.number() }).parse(body).ms);
        return done;
      case 'POST /notifications/hold':
        controls.holdEvents();
        return done;
      case 'POST /notifications/release': {
        const { order } = z
          .object({ order: z.enum(['happened', 'reversed']).optional() })
          .default({})
          .parse(body);
        return { status: 200, body: { released: controls.releaseEvents(order) } };
      }
      case 'PUT /notifications/heartbeats':
        controls.setHeartbeats(z.object({ on: z.boolean() }).parse(body).on);
        return done;
      case 'POST /notifications/heartbeat':
        controls.heartbeat();
        return done;
      case 'POST /notifications/warn':
        controls.warnClosing(channelRef.parse(body).channelId);
        return done;
      case 'POST /notifications/expire':
        return { status: 200, body: { expired: controls.expireChannels(channelRef.parse(body).channelId) } };
      case 'PUT /notifications/channel-lifetime':
        controls.setChannelLifetime(z.object({ seconds: z.number() }).parse(body).seconds);
        return done;
      default:
        return undefined;
    }
  };

  return {
    controls,
    routes,
    controlRoute,
    upgrade(req, socket, head) {
      const match = /^\/channels\/([^/?]+)/.exec(req.url ?? '');
      if (match === null) return false;
      const channel = live(decodeURIComponent(match[1]!));
      if (channel === undefined) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => connect(channel, ws));
      return true;
    },
    reset() {
      eventDelayMs = 0;
      held = undefined;
      heartbeats = true;
      lifetimeSeconds = defaultLifetime;
      sentLog = [];
      generation += 1;
    },
    close() {
      clearInterval(heartbeatTimer);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
