import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  CHANNELS_PER_CLIENT,
  CLOSING_TOPIC,
  HEARTBEAT_TOPIC,
  type SimulatorHandle,
  startSimulator,
  TOPICS_PER_CHANNEL,
} from '../../src/demo/genesys-simulator/index.js';
import { definitionId, userId } from '../genesys/helpers.js';
import { virtualClock } from '../support/clock.js';
import { waitFor } from '../support/wait.js';

// Channel expiry runs on this clock, never on the wall clock.
const clock = virtualClock();
let sim: SimulatorHandle;
let token: string;
const sockets: WebSocket[] = [];

interface Notification {
  topicName: string;
  version?: string;
  eventBody: Record<string, unknown>;
  metadata?: unknown;
}

interface Listener {
  socket: WebSocket;
  messages: Notification[];
  /** The topics received, heartbeats left out. */
  topics(): string[];
  /** Resolves with the first message (from the `from`-th on) that `match` accepts. */
  next(match: (message: Notification) => boolean, from?: number): Promise<Notification>;
  closed: Promise<number>;
}

async function fetchToken(simulator: SimulatorHandle): Promise<string> {
  const response = await fetch(`${simulator.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('demo-client:demo-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function api(method: string, path: string, body?: unknown, simulator = sim, bearer = token) {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: test reads loosely typed JSON answers
  return { status: response.status, json: (text === '' ? undefined : JSON.parse(text)) as any };
}

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}/__sim${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

async function listen(connectUri: string): Promise<Listener> {
  const socket = new WebSocket(connectUri);
  sockets.push(socket);
  const messages: Notification[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Notification));
  const closed = once(socket, 'close').then(([code]) => code as number);
  await once(socket, 'open');
  return {
    socket,
    messages,
    topics: () => messages.map((m) => m.topicName).filter((t) => t !== HEARTBEAT_TOPIC),
    next: (match, from = 0) =>
      waitFor(() => messages.slice(from).find(match), { what: 'a notification on the socket' }),
    closed,
  };
}

/** A channel subscribed to `topics`, with a socket open on it. */
async function channelWith(topics: string[], simulator = sim, bearer = token) {
  const created = await api('POST', '/api/v2/notifications/channels', undefined, simulator, bearer);
  const { id, connectUri } = created.json as { id: string; connectUri: string };
  await api(
    'PUT',
    `/api/v2/notifications/channels/${id}/subscriptions`,
    topics.map((t) => ({ id: t })),
    simulator,
    bearer,
  );
  return { id, listener: await listen(connectUri) };
}

/** Every message the socket had received by the time it answered a ping: nothing sent before is still in flight. */
async function settled(listener: Listener): Promise<Notification[]> {
  const from = listener.messages.length;
  listener.socket.send(JSON.stringify({ message: 'ping' }));
  await listener.next((m) => m.topicName === HEARTBEAT_TOPIC && m.eventBody.message === 'pong', from);
  return listener.messages.filter((m) => !(m.topicName === HEARTBEAT_TOPIC && m.eventBody.message === 'pong'));
}

const presenceTopic = (email: string) => `v2.users.${userId(sim, email)}.presence`;
const routingTopic = (email: string) => `v2.users.${userId(sim, email)}.routingStatus`;
const activityTopic = (email: string) => `v2.users.${userId(sim, email)}.activity`;

beforeAll(async () => {
  sim = await startSimulator({ now: clock.now, sleep: clock.sleep });
});
afterAll(() => sim.close());
// A fresh token each time: tests move the clock past a token's life.
beforeEach(async () => {
  sim.reset();
  token = await fetchToken(sim);
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
  sim.notifications.expireChannels();
});

describe('channels', () => {
  it('creates a channel with only the fields Genesys sends: a websocket connectUri, an id and a 24-hour expiry', async () => {
    const { status, json } = await api('POST', '/api/v2/notifications/channels');
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(['connectUri', 'expires', 'id']);
    expect(json.connectUri).toBe(`${sim.url.replace('http', 'ws')}/channels/${json.id}`);
    expect(Date.parse(json.expires)).toBe(clock.now() + 24 * 60 * 60 * 1000);
    expect((await api('HEAD', `/api/v2/notifications/channels/${json.id}`)).status).toBe(200);
    expect((await api('GET', '/api/v2/notifications/channels')).json.entities).toEqual([json]);
    expect(sim.requests({ path: '/api/v2/notifications/**' }).map((r) => r.method)).toEqual(['POST', 'HEAD', 'GET']);
  });

  it(`evicts the oldest channel when a client opens a ${CHANNELS_PER_CLIENT + 1}st, closing its socket`, async () => {
    const first = await channelWith([presenceTopic('alice@example.com')]);
    for (let i = 1; i < CHANNELS_PER_CLIENT; i++) await api('POST', '/api/v2/notifications/channels');
    expect(sim.notifications.channels()).toHaveLength(CHANNELS_PER_CLIENT);
    await api('POST', '/api/v2/notifications/channels');
    expect(sim.notifications.channels()).toHaveLength(CHANNELS_PER_CLIENT);
    expect((await api('HEAD', `/api/v2/notifications/channels/${first.id}`)).status).toBe(404);
    await first.listener.closed;
  });

  it('answers 404 for an unknown channel, and refuses a websocket on it', async () => {
    expect((await api('GET', '/api/v2/notifications/channels/streaming-0-nope/subscriptions')).json).toMatchObject({
      status: 404,
      code: 'not.found',
    });
    const socket = new WebSocket(`${sim.url.replace('http', 'ws')}/channels/streaming-0-nope`);
    const [, response] = await once(socket, 'unexpected-response');
    expect(response.statusCode).toBe(404);
  });

  it('expires a channel after its lifetime on the simulator clock; re-subscribing extends it', async () => {
    const { json: channel } = await api('POST', '/api/v2/notifications/channels');
    const subscriptions = `/api/v2/notifications/channels/${channel.id}/subscriptions`;
    clock.advance(23 * 60 * 60 * 1000);
    const renewed = await api('PUT', subscriptions, [{ id: presenceTopic('bob@example.com') }]);
    expect(renewed.status).toBe(200);
    clock.advance(2 * 60 * 60 * 1000);
    token = await fetchToken(sim);
    expect((await api('HEAD', `/api/v2/notifications/channels/${channel.id}`)).status).toBe(200);
    clock.advance(23 * 60 * 60 * 1000);
    expect((await api('HEAD', `/api/v2/notifications/channels/${channel.id}`)).status).toBe(404);
    expect((await api('GET', subscriptions)).status).toBe(404);
  });
});

describe('subscriptions', () => {
  it('accepts user presence, routing status and activity topics and rejects the rest in the answer', async () => {
    const { json: channel } = await api('POST', '/api/v2/notifications/channels');
    const subscriptions = `/api/v2/notifications/channels/${channel.id}/subscriptions`;
    const wanted = [
      presenceTopic('alice@example.com'),
      routingTopic('alice@example.com'),
      activityTopic('bob@example.com'),
    ];
    const unknown = [
      'v2.users.no-such-user.presence',
      `v2.users.${userId(sim, 'bob@example.com')}.geolocation`,
      'v2.nope',
    ];
    const { status, json } = await api(
      'PUT',
      subscriptions,
      [...wanted, ...unknown].map((id) => ({ id })),
    );
    expect(status).toBe(200);
    expect(json.entities).toEqual([
      ...wanted.map((id) => ({ id, state: 'Permitted' })),
      ...unknown.map((id) => ({ id, state: 'Rejected', rejectionReason: expect.stringContaining(id) })),
    ]);
    expect((await api('GET', subscriptions)).json.entities.map((t: { id: string }) => t.id)).toEqual(wanted);
    await api('POST', subscriptions, [{ id: presenceTopic('carol@example.com') }]);
    expect((await api('GET', subscriptions)).json.entities).toHaveLength(4);
    await api('PUT', subscriptions, [{ id: presenceTopic('carol@example.com') }]);
    expect((await api('GET', subscriptions)).json.entities).toEqual([
      { id: presenceTopic('carol@example.com'), state: 'Permitted' },
    ]);
    expect((await api('DELETE', subscriptions)).status).toBe(204);
    expect((await api('GET', subscriptions)).json.entities).toEqual([]);
  });

  it(`refuses more than ${TOPICS_PER_CHANNEL} topics on one channel, and a body that is not a topic list`, async () => {
    // The demo org has too few users for 1 000 topics: an org of 501 (two topics each) has 1 002.
    const many = await startSimulator({
      fixture: {
        ...sim.fixture,
        users: Array.from({ length: 501 }, (_, i) => ({
          ...sim.fixture.users[0]!,
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          email: `user${i}@example.com`,
        })),
      },
    });
    try {
      const bearer = await fetchToken(many);
      const { json: channel } = await api('POST', '/api/v2/notifications/channels', undefined, many, bearer);
      const subscriptions = `/api/v2/notifications/channels/${channel.id}/subscriptions`;
      const all = many
        .users()
        .flatMap((u) => [{ id: `v2.users.${u.id}.presence` }, { id: `v2.users.${u.id}.routingStatus` }]);
      const tooMany = await api('PUT', subscriptions, all, many, bearer);
      expect(tooMany.status).toBe(400);
      expect(tooMany.json.message).toContain(String(TOPICS_PER_CHANNEL));
      expect((await api('PUT', subscriptions, all.slice(0, TOPICS_PER_CHANNEL), many, bearer)).status).toBe(200);
      expect((await api('POST', subscriptions, all.slice(TOPICS_PER_CHANNEL), many, bearer)).status).toBe(400);
      expect((await api('GET', subscriptions, undefined, many, bearer)).json.entities).toHaveLength(TOPICS_PER_CHANNEL);
      expect((await api('PUT', subscriptions, 'not topics', many, bearer)).status).toBe(400);
    } finally {
      await many.close();
    }
  });
});

describe('events', () => {
  it('sends presence and routing-status events in the SDK shapes for a change through the API', async () => {
    const { listener } = await channelWith([presenceTopic('alice@example.com'), routingTopic('alice@example.com')]);
    const alice = userId(sim, 'alice@example.com');
    const breakId = definitionId(sim, 'Break');
    const written = await api('PATCH', `/api/v2/users/${alice}/presences/purecloud`, {
      presenceDefinition: { id: breakId },
      message: 'coffee',
    });
    const presence = await listener.next((m) => m.topicName === presenceTopic('alice@example.com'));
    expect(presence).toMatchObject({ version: '2', metadata: { CorrelationId: expect.any(String) } });
    expect(presence.eventBody).toEqual({
      source: 'PURECLOUD',
      presenceDefinition: { id: breakId, systemPresence: 'BREAK' },
      primary: true,
      message: 'coffee',
      modifiedDate: written.json.modifiedDate,
    });
    const routing = await listener.next((m) => m.topicName === routingTopic('alice@example.com'));
    expect(routing.eventBody).toEqual({
      id: alice,
      routingStatus: { status: 'OFF_QUEUE', startTime: written.json.modifiedDate },
    });
  });

  it('spells On Queue ON_QUEUE, and sends no routing event when the routing status stays', async () => {
    sim.setAgentPresence('bob@example.com', 'Break');
    const { listener } = await channelWith([presenceTopic('bob@example.com'), routingTopic('bob@example.com')]);
    sim.setAgentPresence('bob@example.com', 'On Queue');
    sim.setAgentPresence('bob@example.com', 'On Queue', 'still here');
    const received = await settled(listener);
    expect(received.map((m) => m.topicName)).toEqual([
      presenceTopic('bob@example.com'),
      routingTopic('bob@example.com'),
      presenceTopic('bob@example.com'),
    ]);
    expect(received[0]!.eventBody.presenceDefinition).toMatchObject({ systemPresence: 'ON_QUEUE' });
    expect(received[1]!.eventBody.routingStatus).toMatchObject({ status: 'IDLE' });
    expect(received[2]!.eventBody.message).toBe('still here');
  });

  it('sends an activity event carrying presence and routing status together', async () => {
    const { listener } = await channelWith([activityTopic('carol@example.com')]);
    const after = sim.setAgentPresence('carol@example.com', 'Lunch', 'sandwich');
    const activity = await listener.next((m) => m.topicName === activityTopic('carol@example.com'));
    expect(activity.eventBody).toEqual({
      id: after.userId,
      routingStatus: { status: 'OFF_QUEUE', startTime: expect.any(String) },
      presence: {
        presenceDefinition: { id: after.presenceId, systemPresence: 'MEAL' },
        presenceMessage: 'sandwich',
        modifiedDate: after.modifiedDate,
      },
      activeQueueIds: [],
    });
  });

  it('notifies changes from the control API and from bulk writes, and only on subscribed topics', async () => {
    const { listener } = await channelWith([presenceTopic('dave@example.com'), presenceTopic('erin@example.com')]);
    const put = await control('PUT', '/agents/dave@example.com/presence', { presence: 'Busy' });
    expect(put.status).toBe(200);
    const away = definitionId(sim, 'Away');
    await api(
      'PUT',
      '/api/v2/users/presences/bulk',
      ['erin@example.com', 'frank@example.com'].map((email) => ({
        id: userId(sim, email),
        source: 'PURECLOUD',
        presenceDefinition: { id: away },
      })),
    );
    expect((await settled(listener)).map((m) => m.topicName)).toEqual([
      presenceTopic('dave@example.com'),
      presenceTopic('erin@example.com'),
    ]);
    expect(sim.notifications.sent().map((s) => s.topicName)).toEqual(listener.topics());
  });

  it('notifies every subscribed agent on reset, since each one is back at the fixture', async () => {
    const { listener } = await channelWith([presenceTopic('alice@example.com'), presenceTopic('bob@example.com')]);
    sim.reset();
    expect((await settled(listener)).map((m) => m.topicName).sort()).toEqual(
      [presenceTopic('alice@example.com'), presenceTopic('bob@example.com')].sort(),
    );
  });
});

describe('breaking the channel on purpose', () => {
  it('drops a socket without a close frame; events meanwhile are lost; the channel takes a new socket', async () => {
    const { id, listener } = await channelWith([presenceTopic('alice@example.com')]);
    expect(sim.notifications.dropSockets()).toBe(1);
    expect(await listener.closed).toBe(1006);
    expect(sim.notifications.channels()).toMatchObject([{ id, connected: false }]);
    sim.setAgentPresence('alice@example.com', 'Break');
    expect(sim.notifications.sent()).toEqual([]);
    const { json } = await api('GET', '/api/v2/notifications/channels');
    const again = await listen(json.entities[0].connectUri);
    const after = sim.setAgentPresence('alice@example.com', 'Away');
    const event = await again.next((m) => m.topicName === presenceTopic('alice@example.com'));
    expect(event.eventBody.modifiedDate).toBe(after.modifiedDate);
  });

  it('keeps one connection per channel: a second socket closes the first', async () => {
    const { id, listener } = await channelWith([presenceTopic('alice@example.com')]);
    const second = await listen(`${sim.url.replace('http', 'ws')}/channels/${id}`);
    expect(await listener.closed).toBe(1000);
    sim.setAgentPresence('alice@example.com', 'Break');
    await second.next((m) => m.topicName === presenceTopic('alice@example.com'));
  });

  it('holds events and releases them reversed, so a client sees them out of order', async () => {
    const { listener } = await channelWith([presenceTopic('bob@example.com')]);
    sim.notifications.holdEvents();
    const first = sim.setAgentPresence('bob@example.com', 'Break');
    const second = sim.setAgentPresence('bob@example.com', 'Away');
    expect(sim.notifications.releaseEvents('reversed')).toBe(2);
    const received = await settled(listener);
    expect(received.map((m) => m.eventBody.modifiedDate)).toEqual([second.modifiedDate, first.modifiedDate]);
  });

  it('delays events by the simulator clock', async () => {
    const waits: Array<() => void> = [];
    const delayed = await startSimulator({
      sleep: () => new Promise<void>((resolve) => waits.push(resolve)),
    });
    try {
      const bearer = await fetchToken(delayed);
      const carol = delayed.users().find((u) => u.email === 'carol@example.com')!.id;
      const { listener } = await channelWith([`v2.users.${carol}.presence`], delayed, bearer);
      delayed.notifications.setEventDelay(5_000);
      delayed.setAgentPresence('carol@example.com', 'Break');
      expect(waits).toHaveLength(1);
      expect(await settled(listener)).toEqual([]);
      waits[0]!();
      await listener.next((m) => m.topicName === `v2.users.${carol}.presence`);
    } finally {
      await delayed.close();
    }
  });

  it('answers a ping with a pong, and sends heartbeats on channel.metadata', async () => {
    const { listener } = await channelWith([]);
    sim.notifications.heartbeat();
    const beat = await listener.next((m) => m.topicName === HEARTBEAT_TOPIC);
    expect(beat.eventBody).toEqual({ message: 'WebSocket Heartbeat' });
  });

  it('beats periodically until told to stop', async () => {
    const ticking = await startSimulator({ heartbeatIntervalMs: 10, now: clock.now });
    try {
      const bearer = await fetchToken(ticking);
      const { listener } = await channelWith([], ticking, bearer);
      await listener.next((m) => m.topicName === HEARTBEAT_TOPIC && m.eventBody.message === 'WebSocket Heartbeat');
      ticking.notifications.setHeartbeats(false);
      await settled(listener);
      const stoppedAt = listener.messages.length;
      // The next beat closes the channel past its expiry, after its heartbeat if heartbeats were on.
      clock.advance(25 * 60 * 60 * 1000);
      await listener.closed;
      expect(listener.messages.slice(stoppedAt).map((m) => m.topicName)).toEqual([CLOSING_TOPIC]);
    } finally {
      await ticking.close();
    }
  });

  it('warns before closing, and on expiry warns, closes the socket and forgets the channel', async () => {
    const { id, listener } = await channelWith([presenceTopic('alice@example.com')]);
    sim.notifications.warnClosing();
    const warning = await listener.next((m) => m.topicName === CLOSING_TOPIC);
    expect(warning.eventBody).toEqual({ message: expect.any(String) });
    expect(sim.notifications.channels()).toMatchObject([{ id, connected: true }]);
    expect(sim.notifications.expireChannels(id)).toBe(1);
    expect(await listener.closed).toBe(1000);
    expect(listener.messages.filter((m) => m.topicName === CLOSING_TOPIC)).toHaveLength(2);
    expect((await api('HEAD', `/api/v2/notifications/channels/${id}`)).status).toBe(404);
  });

  it('offers the same controls over HTTP at /__sim/notifications/', async () => {
    const { id, listener } = await channelWith([presenceTopic('alice@example.com')]);
    expect((await control('GET', '/notifications/channels')).json.channels).toMatchObject([{ id, connected: true }]);
    expect((await control('POST', '/notifications/hold')).status).toBe(204);
    sim.setAgentPresence('alice@example.com', 'Break');
    expect((await control('POST', '/notifications/release', { order: 'reversed' })).json).toEqual({ released: 1 });
    await listener.next((m) => m.topicName === presenceTopic('alice@example.com'));
    expect((await control('GET', '/notifications/sent')).json.sent).toHaveLength(1);
    expect((await control('PUT', '/notifications/delay', { ms: -1 })).status).toBe(400);
    expect((await control('PUT', '/notifications/heartbeats', { on: false })).status).toBe(204);
    expect((await control('PUT', '/notifications/channel-lifetime', { seconds: 60 })).status).toBe(204);
    expect((await control('POST', '/notifications/drop', {})).json).toEqual({ dropped: 1 });
    await listener.closed;
    expect((await control('POST', '/notifications/expire', { channelId: id })).json).toEqual({ expired: 1 });
    const { json } = await api('POST', '/api/v2/notifications/channels');
    expect(Date.parse(json.expires)).toBe(clock.now() + 60_000);
  });
});
