/**
 * Live presence through the running app and the simulator, over real HTTP and websockets: the channel is opened
 * for everyone the policy names, outside changes reach the mirror without a REST call, and a dropped socket,
 * out-of-order events, an expired channel and a dead notification service lose nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { notificationServiceDown, readyz } from '../support/live-presence.js';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';
import { waitFor } from '../support/wait.js';

const { running, simulator, command, responses } = withDemoApp();

let store: SqliteStore | undefined;
afterAll(async () => {
  await store?.close();
});
/** The app's store file, opened a second time (WAL lets both read and write it). */
const mirror = () => {
  store ??= openSqliteStore(running().config.storePath);
  return store.mirror;
};

const live = async () => {
  const body = await readyz(running());
  return body.presenceChannel.live && body.presenceChannel.coveredAgents >= 5 ? body : undefined;
};

/** Waits until the mirror holds `presenceLabel`'s definition for the agent with `email`. */
async function mirrored(email: string, presenceLabel: string) {
  const { userId, presenceId } = simulator().getAgentState(email);
  await waitFor(
    async () => {
      const [held] = await mirror().get([userId]);
      return held?.presenceId === presenceId && held;
    },
    { what: `${email} mirrored as ${presenceLabel}` },
  );
}

const apiCalls = () => simulator().requests({ path: '/api/**' });

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${running().sidecarUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ')[1]);
}

describe('live presence through the app', () => {
  it('opens a channel for the people the policy names, and says so on /readyz', async () => {
    const body = await waitFor(live, { what: 'a live channel' });
    expect(body.status).toBe('ready');
    expect(simulator().notifications.channels().length).toBeGreaterThanOrEqual(1);
    expect(await metric('agent_status_presence_channel_live')).toBe(1);
  });

  it('brings an outside change into the mirror without a REST call', async () => {
    await waitFor(live, { what: 'a live channel' });
    simulator().clearRequests();
    simulator().setAgentPresence('alice@example.com', 'Busy');
    await mirrored('alice@example.com', 'Busy');
    expect(apiCalls()).toEqual([]);
  });

  it('ends with the newest state when events arrive out of order', async () => {
    await waitFor(live, { what: 'a live channel' });
    simulator().notifications.holdEvents();
    simulator().setAgentPresence('bob@example.com', 'Busy');
    simulator().setAgentPresence('bob@example.com', 'Away');
    expect(simulator().notifications.releaseEvents('reversed')).toBeGreaterThanOrEqual(2);
    await mirrored('bob@example.com', 'Away');
    // The late Busy event came after Away and left it alone.
    const [held] = await mirror().get([simulator().getAgentState('bob@example.com').userId]);
    expect(held?.presenceId).toBe(simulator().getAgentState('bob@example.com').presenceId);
  });

  it('reconnects after the socket is dropped mid-burst, resynchronises, and misses nothing', async () => {
    await waitFor(live, { what: 'a live channel' });
    const resyncsBefore = await metric('agent_status_presence_resyncs_total');
    simulator().setAgentPresence('carol@example.com', 'Busy');
    expect(simulator().notifications.dropSockets()).toBeGreaterThanOrEqual(1);
    simulator().setAgentPresence('carol@example.com', 'Meal');
    simulator().setAgentPresence('dave@example.com', 'Training');
    await mirrored('carol@example.com', 'Meal');
    await mirrored('dave@example.com', 'Training');
    await waitFor(async () => (await metric('agent_status_presence_resyncs_total')) > resyncsBefore, {
      what: 'a resync',
    });
    await waitFor(live, { what: 'live again' });
  });

  it('moves to a new channel when the old one expires, and loses no change', async () => {
    await waitFor(live, { what: 'a live channel' });
    const before = simulator()
      .notifications.channels()
      .map((c) => c.id);
    expect(simulator().notifications.expireChannels()).toBeGreaterThanOrEqual(1);
    simulator().setAgentPresence('erin@example.com', 'Meeting');
    await waitFor(
      () =>
        simulator()
          .notifications.channels()
          .some((c) => !before.includes(c.id)),
      { what: 'a new channel' },
    );
    await mirrored('erin@example.com', 'Meeting');
    await waitFor(live, { what: 'live on the new channel' });
    simulator().setAgentPresence('erin@example.com', 'Available');
    await mirrored('erin@example.com', 'Available');
  });

  it('keeps working on reads while the notification service is down, and says so on /readyz', async () => {
    await waitFor(live, { what: 'a live channel' });
    const down = await notificationServiceDown(running(), simulator());
    expect(down.status).toBe('ready');
    expect(await metric('agent_status_presence_channel_live')).toBe(0);

    simulator().clearRequests();
    const alice = simulator().getAgentState('alice@example.com').userId;
    const result = await command(slackIdOf('alice@example.com'), 'meeting');
    const [answer] = await responses(result.responseUrl, 1, 20_000);
    expect(JSON.stringify(answer!.blocks)).toContain('→ *Meeting*');
    // Read from Genesys, not from the mirror.
    expect(simulator().requests({ method: 'GET', path: `/api/v2/users/${alice}**` }).length).toBeGreaterThan(0);
    simulator().clearFaults();
    await waitFor(live, { what: 'live again once channels can be created' });
  });
});
