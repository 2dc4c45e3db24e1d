/**
 * The app's notification client (the SDK's NotificationsApi and the `ws` socket) against the simulator's
 * notification service: the contract the end-to-end tests of live presence stand on.
 */
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/index.js';
import { createGenesysClient } from '../../src/genesys/client.js';
import { PresenceNotifications } from '../../src/genesys/notifications.js';
import type { PresenceObservation } from '../../src/pipeline/live-presence.js';
import { keyvCache } from '../../src/store/cache.js';
import { waitFor } from '../support/wait.js';
import { userId } from './helpers.js';

let sim: SimulatorHandle;
let client: PresenceNotifications | undefined;
let observed: PresenceObservation[];
let resyncs: string[][];

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  observed = [];
  resyncs = [];
});
afterEach(async () => {
  await client?.stop();
  client = undefined;
  sim.notifications.expireChannels();
});

function watching(emails: string[]): PresenceNotifications {
  const client = sim.fixture.oauthClients[0]!;
  const genesys = createGenesysClient({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    apiUrl: sim.url,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    requestTimeoutMs: 2_000,
    cache: keyvCache(),
    logger: pino({ level: 'silent' }),
  });
  const notifications = new PresenceNotifications({
    api: genesys.channels,
    observe: async (observation) => void observed.push(observation),
    resync: async (agentIds) => void resyncs.push([...agentIds]),
    systemPresenceOf: async () => undefined,
    metrics: { setChannelLive: () => undefined },
    logger: pino({ level: 'silent' }),
    reconnectBaseMs: 5,
    reconnectMaxMs: 20,
  });
  notifications.watch(emails.map((email) => userId(sim, email)));
  return notifications;
}

const live = (notifications: PresenceNotifications) =>
  waitFor(() => notifications.status().live, { what: 'a live notification channel' });

const observedPresence = (email: string, modifiedDate: string) =>
  waitFor(
    () => observed.find((o) => o.agentId === userId(sim, email) && o.presence?.modifiedDate === modifiedDate)?.presence,
    { what: `the presence event of ${email} at ${modifiedDate}` },
  );

describe('the notification client against the simulator', () => {
  it('subscribes, goes live, and observes outside changes of presence and routing status', async () => {
    client = watching(['alice@example.com', 'bob@example.com']);
    await live(client);
    expect(sim.notifications.channels()).toMatchObject([{ connected: true, topics: expect.any(Array) }]);
    expect(sim.notifications.channels()[0]!.topics).toHaveLength(4);
    const changed = sim.setAgentPresence('alice@example.com', 'Break', 'coffee');
    expect(await observedPresence('alice@example.com', changed.modifiedDate)).toEqual({
      presenceId: changed.presenceId,
      systemPresence: 'BREAK',
      message: 'coffee',
      modifiedDate: changed.modifiedDate,
    });
    await waitFor(() => observed.find((o) => o.agentId === changed.userId && o.routing?.status === 'OFF_QUEUE'), {
      what: 'the routing event',
    });
  });

  it('leaves an agent whose topics the simulator rejects to direct reads', async () => {
    client = watching(['alice@example.com']);
    await live(client);
    expect(resyncs).toEqual([[userId(sim, 'alice@example.com')]]);
    client.watch(['no-such-user']);
    // The client reads the agents Genesys accepted after subscribing them: none of the new one.
    await waitFor(() => resyncs.length === 2, { what: 'the read after subscribing the unknown agent' });
    expect(resyncs[1]).toEqual([]);
    expect(sim.notifications.channels()[0]!.topics).toHaveLength(2);
    expect(client.covers(userId(sim, 'alice@example.com'))).toBe(true);
    expect(client.covers('no-such-user')).toBe(false);
  });

  it('reconnects after the socket is dropped and resynchronises what it may have missed', async () => {
    client = watching(['carol@example.com']);
    await live(client);
    const before = resyncs.length;
    sim.notifications.dropSockets();
    // Lost: no socket listens. Only the resync after the reconnect can find it.
    sim.setAgentPresence('carol@example.com', 'Away');
    expect(sim.notifications.sent()).toEqual([]);
    await waitFor(() => resyncs.length > before && client!.status().live, { what: 'a resync after reconnecting' });
    expect(resyncs.at(-1)).toEqual([userId(sim, 'carol@example.com')]);
    const after = sim.setAgentPresence('carol@example.com', 'Busy');
    await observedPresence('carol@example.com', after.modifiedDate);
  });

  it('moves to a fresh channel on the close warning and when its channel expires, and keeps observing', async () => {
    client = watching(['dave@example.com']);
    await live(client);
    const first = sim.notifications.channels()[0]!.id;
    sim.notifications.warnClosing();
    const second = await waitFor(
      () => sim.notifications.channels().find((c) => c.id !== first && c.connected && c.topics.length === 2)?.id,
      { what: 'a second channel' },
    );
    const moved = sim.setAgentPresence('dave@example.com', 'Break');
    await observedPresence('dave@example.com', moved.modifiedDate);
    // Expiry closes the socket at once: what changes before the next channel is subscribed is for the resync.
    sim.notifications.expireChannels(second);
    const subscribed = (c: { id: string; connected: boolean; topics: string[] }) =>
      c.id !== first && c.id !== second && c.connected && c.topics.length === 2;
    await waitFor(() => sim.notifications.channels().some(subscribed), {
      what: 'a third channel',
    });
    await live(client);
    const later = sim.setAgentPresence('dave@example.com', 'Away');
    await observedPresence('dave@example.com', later.modifiedDate);
  });
});
