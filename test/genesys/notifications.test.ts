import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import type { NotificationChannel, NotificationChannelApi } from '../../src/genesys/channel-api.js';
import { PresenceNotifications, type PresenceNotificationsOptions } from '../../src/genesys/notifications.js';
import type { PresenceObservation } from '../../src/pipeline/live-presence.js';
import { waitFor } from '../support/wait.js';

/** Genesys's streaming side: channels by id, each with its sockets and topics. */
async function fakeStreaming() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const sockets = new Map<string, Set<WebSocket>>();
  const topics = new Map<string, string[]>();
  const created: NotificationChannel[] = [];
  let refuse = new Set<string>();
  const DAY_MS = 24 * 60 * 60 * 1000;
  let nextLifetimeMs = DAY_MS;
  server.on('connection', (socket, request) => {
    const id = /\/channels\/(.+)$/.exec(request.url ?? '')?.[1] ?? '';
    const open = sockets.get(id) ?? new Set();
    open.add(socket);
    sockets.set(id, open);
    socket.on('close', () => open.delete(socket));
  });
  const api: NotificationChannelApi = {
    async create() {
      const id = `ch-${created.length + 1}`;
      const channel = {
        id,
        connectUri: `ws://127.0.0.1:${port}/channels/${id}`,
        expires: new Date(Date.now() + nextLifetimeMs).toISOString(),
      };
      nextLifetimeMs = DAY_MS;
      created.push(channel);
      return channel;
    },
    async subscribe(channelId, list) {
      topics.set(
        channelId,
        list.filter((t) => !refuse.has(t)),
      );
      return list.filter((t) => refuse.has(t)).map((topic) => ({ topic, reason: 'unknown topic' }));
    },
  };
  return {
    api,
    created,
    topics,
    refuse(list: string[]) {
      refuse = new Set(list);
    },
    /** The lifetime of the next channel created (the ones after live a day). */
    expireNextAfter(ms: number) {
      nextLifetimeMs = ms;
    },
    /** Sends to every open socket of every channel subscribed to the topic (as Genesys would). */
    publish(topicName: string, eventBody: unknown) {
      let sent = 0;
      for (const [id, list] of topics) {
        if (!list.includes(topicName)) continue;
        for (const socket of sockets.get(id) ?? []) {
          socket.send(JSON.stringify({ topicName, version: '2', eventBody }));
          sent += 1;
        }
      }
      return sent;
    },
    sendAll(message: unknown) {
      for (const list of sockets.values()) for (const socket of list) socket.send(JSON.stringify(message));
    },
    openSockets: () => [...sockets.values()].reduce((n, s) => n + s.size, 0),
    dropAll() {
      for (const list of sockets.values()) for (const socket of list) socket.terminate();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

async function setup(options: Partial<PresenceNotificationsOptions> = {}) {
  const streaming = await fakeStreaming();
  const observed: PresenceObservation[] = [];
  const resyncs: string[][] = [];
  const live: boolean[] = [];
  const notifications = new PresenceNotifications({
    api: streaming.api,
    observe: async (o) => {
      observed.push(o);
    },
    resync: async (ids) => {
      resyncs.push([...ids]);
    },
    systemPresenceOf: async (id) => (id === 'p-lunch' ? 'MEAL' : undefined),
    metrics: { setChannelLive: (value) => live.push(value) },
    logger: pino({ level: 'silent' }),
    reconnectBaseMs: 1,
    reconnectMaxMs: 20,
    ...options,
  });
  running.push(
    () => streaming.close(),
    () => notifications.stop(),
  );
  return { streaming, notifications, observed, resyncs, live };
}

function presence(id: string, modifiedDate: string, systemPresence?: string) {
  return {
    source: 'PURECLOUD',
    presenceDefinition: { id, ...(systemPresence ? { systemPresence } : {}) },
    primary: true,
    modifiedDate,
  };
}

describe('presence notifications', () => {
  it('subscribes presence and routing status, reads the agents, then carries their events', async () => {
    const { streaming, notifications, observed, resyncs, live } = await setup();
    notifications.watch(['a1', 'a2']);
    await waitFor(() => notifications.covers('a1') && notifications.covers('a2'), { what: 'live channel' });
    expect(streaming.topics.get('ch-1')).toEqual([
      'v2.users.a1.presence',
      'v2.users.a1.routingStatus',
      'v2.users.a2.presence',
      'v2.users.a2.routingStatus',
    ]);
    expect(resyncs).toEqual([['a1', 'a2']]);
    expect(live.at(-1)).toBe(true);
    expect(notifications.status()).toMatchObject({ live: true, channels: 1, agents: 2, coveredAgents: 2 });

    streaming.publish('v2.users.a1.presence', presence('p-lunch', '2026-01-01T10:00:00.000Z'));
    streaming.publish('v2.users.a2.routingStatus', {
      id: 'a2',
      routingStatus: { status: 'IDLE', startTime: '2026-01-01T10:00:01.000Z' },
    });
    streaming.publish('v2.users.a1.presence', { ...presence('p-x', '2026-01-01T10:00:02.000Z'), source: 'MSTEAMS' });
    streaming.sendAll({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    await waitFor(() => observed.length === 2, { what: 'two observations' });
    expect(observed).toEqual([
      expect.objectContaining({
        agentId: 'a1',
        source: 'event',
        presence: { presenceId: 'p-lunch', systemPresence: 'MEAL', modifiedDate: '2026-01-01T10:00:00.000Z' },
      }),
      expect.objectContaining({ agentId: 'a2', routing: { status: 'IDLE', changedAt: '2026-01-01T10:00:01.000Z' } }),
    ]);
  });

  it('adds agents watched later to the live channel and reads only them', async () => {
    const { streaming, notifications, resyncs } = await setup();
    notifications.watch(['a1']);
    await waitFor(() => notifications.covers('a1'), { what: 'a1 covered' });
    notifications.watch(['a1', 'a3']);
    await waitFor(() => notifications.covers('a3'), { what: 'a3 covered' });
    expect(streaming.created).toHaveLength(1);
    expect(streaming.topics.get('ch-1')).toHaveLength(4);
    expect(resyncs).toEqual([['a1'], ['a3']]);
  });

  it('leaves an agent whose topics Genesys refused uncovered', async () => {
    const { streaming, notifications } = await setup();
    streaming.refuse(['v2.users.ghost.presence']);
    notifications.watch(['a1', 'ghost']);
    await waitFor(() => notifications.covers('a1'), { what: 'a1 covered' });
    expect(notifications.covers('ghost')).toBe(false);
  });

  it('opens another channel when one is full', async () => {
    const { streaming, notifications } = await setup({ topicsPerChannel: 4 });
    notifications.watch(['a1', 'a2', 'a3']);
    await waitFor(() => ['a1', 'a2', 'a3'].every((id) => notifications.covers(id)), { what: 'all covered' });
    expect(streaming.created.map((c) => streaming.topics.get(c.id)?.length)).toEqual([4, 2]);
    expect(notifications.status()).toMatchObject({ channels: 2, liveChannels: 2 });
  });

  it('reconnects after the socket is dropped, reads again, and carries events again', async () => {
    const { streaming, notifications, observed, resyncs, live } = await setup();
    notifications.watch(['a1']);
    await waitFor(() => notifications.covers('a1'), { what: 'live' });
    streaming.dropAll();
    await waitFor(() => resyncs.length === 2 && notifications.covers('a1'), { what: 'resynced after reconnect' });
    expect(live).toContain(false);
    // The channel outlived its socket: the same one is used again.
    expect(streaming.created).toHaveLength(1);
    streaming.publish('v2.users.a1.presence', presence('p-busy', '2026-01-01T10:00:00.000Z', 'BUSY'));
    await waitFor(() => observed.length === 1, { what: 'event after reconnect' });
  });

  it('counts a socket without heartbeats as dead and reconnects', async () => {
    const { streaming, notifications, resyncs } = await setup({ heartbeatTimeoutMs: 100 });
    notifications.watch(['a1']);
    await waitFor(() => resyncs.length >= 2, { what: 'a reconnect after silence' });
    expect(streaming.created.length).toBeGreaterThanOrEqual(1);
  });

  it('moves to a fresh channel before the old one expires, with the new one subscribed first', async () => {
    const { streaming, notifications, observed } = await setup({ renewBeforeExpiryMs: 60_000 });
    streaming.expireNextAfter(60_500);
    notifications.watch(['a1']);
    await waitFor(() => streaming.topics.get('ch-2'), { what: 'renewal' });
    expect(streaming.topics.get('ch-2')).toEqual(['v2.users.a1.presence', 'v2.users.a1.routingStatus']);
    await waitFor(() => streaming.openSockets() === 1, { what: 'old socket closed' });
    streaming.publish('v2.users.a1.presence', presence('p-busy', '2026-01-01T10:00:00.000Z', 'BUSY'));
    await waitFor(() => observed.length === 1, { what: 'event on the fresh channel' });
  });

  it('moves to a fresh channel when Genesys warns that it will close the socket', async () => {
    const { streaming, notifications } = await setup();
    notifications.watch(['a1']);
    await waitFor(() => notifications.covers('a1'), { what: 'live' });
    streaming.sendAll({ topicName: 'v2.system.socket_closing', eventBody: { message: 'closing in 1 minute' } });
    await waitFor(() => streaming.created.length === 2 && streaming.openSockets() === 1, { what: 'moved' });
    expect(notifications.covers('a1')).toBe(true);
  });

  it('is not live, and says so, while channels cannot be created', async () => {
    const { streaming, notifications, live } = await setup();
    let attempts = 0;
    streaming.api.create = async () => {
      attempts += 1;
      throw new Error('403 missing permission');
    };
    notifications.watch(['a1']);
    await waitFor(() => attempts >= 3, { what: 'retries' });
    expect(notifications.covers('a1')).toBe(false);
    expect(notifications.status()).toMatchObject({ live: false, channels: 1, liveChannels: 0 });
    expect(live).not.toContain(true);
  });
});
