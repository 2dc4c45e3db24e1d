import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type AgentState, presenceVersion } from '../../src/domain/presence.js';
import { createLivePresence, type LivePresenceMetrics } from '../../src/pipeline/live-feed.js';
import type { MirrorChange, PresenceObservation, PresenceReader } from '../../src/pipeline/live-presence.js';
import { storeOpener } from '../store/fixtures/stores.js';

const open = storeOpener();

const AVAILABLE: AgentState = {
  agentId: 'a1',
  presenceId: 'p-available',
  systemPresence: 'AVAILABLE',
  routingStatus: 'OFF_QUEUE',
  modifiedDate: '2026-01-01T10:00:00.000Z',
};
const BREAK: AgentState = {
  ...AVAILABLE,
  presenceId: 'p-break',
  systemPresence: 'BREAK',
  modifiedDate: '2026-01-01T10:05:00.000Z',
};

/** Genesys as the direct reader sees it: a table of states, and a count of the calls made. */
function fakeGenesys(initial: AgentState[]) {
  const states = new Map(initial.map((s) => [s.agentId, s]));
  const calls: string[] = [];
  const direct: PresenceReader = {
    async state(agentId) {
      calls.push(`state ${agentId}`);
      return states.get(agentId)!;
    },
    async states(agentIds) {
      calls.push(`states ${agentIds.join(',')}`);
      return agentIds.flatMap((id) => (states.has(id) ? [states.get(id)!] : []));
    },
    async confirmWrite(agentId) {
      calls.push(`confirm ${agentId}`);
      return states.get(agentId);
    },
  };
  return { states, calls, direct };
}

function countingMetrics() {
  const counts = { presence: 0, routing: 0, resyncs: 0, lags: [] as number[] };
  const metrics: LivePresenceMetrics = {
    countEvent: (part) => {
      counts[part] += 1;
    },
    observeLag: (seconds) => counts.lags.push(seconds),
    setChannelLive: () => {},
    countResync: () => {
      counts.resyncs += 1;
    },
  };
  return { counts, metrics };
}

function setup({ live, confirmWithinMs = 5_000 }: { live: boolean; confirmWithinMs?: number }) {
  const store = open();
  const genesys = fakeGenesys([AVAILABLE, { ...AVAILABLE, agentId: 'a2' }]);
  const changes: MirrorChange[] = [];
  const watched: string[] = [];
  const { counts, metrics } = countingMetrics();
  const channel = { live, covers: () => channel.live, watch: (ids: readonly string[]) => watched.push(...ids) };
  const feed = createLivePresence({
    mirror: store.mirror,
    direct: genesys.direct,
    channel,
    onChange: async (change) => {
      changes.push(change);
    },
    metrics,
    log: pino({ level: 'silent' }),
    confirmWithinMs,
  });
  return { feed, genesys, changes, watched, counts, channel, mirror: store.mirror };
}

function eventOf(state: AgentState, observedAt = '2026-01-01T10:05:00.250Z'): PresenceObservation {
  return {
    agentId: state.agentId,
    presence: { presenceId: state.presenceId, systemPresence: state.systemPresence, modifiedDate: state.modifiedDate },
    routing: { status: state.routingStatus, changedAt: state.modifiedDate },
    source: 'event',
    observedAt,
  };
}

describe('live presence reader', () => {
  it('reads Genesys without a live channel, mirrors what it read and watches the agent', async () => {
    const { feed, genesys, watched, mirror } = setup({ live: false });
    expect(await feed.reader.state('a1')).toEqual(AVAILABLE);
    expect(await feed.reader.state('a1')).toEqual(AVAILABLE);
    expect(genesys.calls).toEqual(['state a1', 'state a1']);
    expect(watched).toEqual(['a1', 'a1']);
    expect(await mirror.get(['a1'])).toMatchObject([{ presenceId: 'p-available', source: 'read' }]);
  });

  it('answers from the mirror while the channel is live, reading only agents the mirror does not know', async () => {
    const { feed, genesys } = setup({ live: true });
    await feed.observe(eventOf(AVAILABLE));
    expect(await feed.reader.state('a1')).toEqual(AVAILABLE);
    expect(await feed.reader.states(['a1', 'a2', 'nobody'])).toEqual([AVAILABLE, { ...AVAILABLE, agentId: 'a2' }]);
    expect(genesys.calls).toEqual(['states a2,nobody']);
    expect(await feed.reader.states(['a1', 'a2'])).toHaveLength(2);
    expect(genesys.calls).toHaveLength(1);
  });

  it('confirms a write by its notification when the channel is live, without reading', async () => {
    const { feed, genesys } = setup({ live: true });
    await feed.observe(eventOf(AVAILABLE));
    const confirming = feed.reader.confirmWrite('a1', 'p-break', presenceVersion(AVAILABLE));
    await feed.observe(
      eventOf(
        { ...BREAK, presenceId: 'p-other', modifiedDate: '2026-01-01T10:04:00.000Z' },
        '2026-01-01T10:04:00.000Z',
      ),
    );
    await feed.observe(eventOf(BREAK));
    expect(await confirming).toEqual(BREAK);
    expect(genesys.calls).toEqual([]);
  });

  it('confirms at once when the notification came before the question', async () => {
    const { feed, genesys } = setup({ live: true });
    await feed.observe(eventOf(BREAK));
    expect(await feed.reader.confirmWrite('a1', 'p-break', presenceVersion(AVAILABLE))).toEqual(BREAK);
    expect(genesys.calls).toEqual([]);
  });

  it('reads to confirm when the notification does not come in time, and mirrors the write', async () => {
    const { feed, genesys, mirror } = setup({ live: true, confirmWithinMs: 1 });
    genesys.states.set('a1', BREAK);
    expect(await feed.reader.confirmWrite('a1', 'p-break', presenceVersion(AVAILABLE))).toEqual(BREAK);
    expect(genesys.calls).toEqual(['confirm a1']);
    expect(await mirror.get(['a1'])).toMatchObject([{ presenceId: 'p-break', source: 'write' }]);
  });

  it('reads to confirm without waiting when no channel is live', async () => {
    const { feed, genesys } = setup({ live: false, confirmWithinMs: 60_000 });
    genesys.states.set('a1', BREAK);
    expect(await feed.reader.confirmWrite('a1', 'p-break', presenceVersion(AVAILABLE))).toEqual(BREAK);
    expect(genesys.calls).toEqual(['confirm a1']);
  });
});

describe('live presence feed', () => {
  it('tells the listener of each change a notification makes, once, and never of an older event', async () => {
    const { feed, changes, counts } = setup({ live: true });
    await feed.observe(eventOf(AVAILABLE));
    await feed.observe(eventOf(BREAK));
    await feed.observe(eventOf(BREAK));
    await feed.observe(eventOf(AVAILABLE));
    expect(changes.map((c) => [c.before?.presenceId, c.after.presenceId])).toEqual([
      [undefined, 'p-available'],
      ['p-available', 'p-break'],
    ]);
    expect(counts.presence).toBe(4);
    expect(counts.lags[1]).toBe(0.25);
  });

  it('tells of a change a resync finds, not of agents seen for the first time', async () => {
    const { feed, changes, genesys, counts } = setup({ live: true });
    await feed.resync(['a1']);
    expect(changes).toEqual([]);
    genesys.states.set('a1', BREAK);
    await feed.resync(['a1']);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ observation: { source: 'read' }, before: { presenceId: 'p-available' } });
    expect(changes[0]!.after).toMatchObject({ presenceId: 'p-break' });
    expect(counts.resyncs).toBe(2);
  });

  it('keeps going when the listener fails', async () => {
    const store = open();
    const { metrics } = countingMetrics();
    const feed = createLivePresence({
      mirror: store.mirror,
      direct: fakeGenesys([]).direct,
      channel: { covers: () => true, watch: () => {} },
      onChange: async () => {
        throw new Error('listener broke');
      },
      metrics,
      log: pino({ level: 'silent' }),
    });
    await feed.observe(eventOf(AVAILABLE));
    expect(await feed.reader.state('a1')).toEqual(AVAILABLE);
  });
});
