/**
 * Changes notifications bring into the mirror, handed to the listener the way the live feed hands them: an
 * outside change is audited, reported to payroll once, shown on the surfaces and alerted on when it breaks a
 * team's limits; the echo of the app's own write is none of these. Genesys is the simulator, the store SQLite.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presenceVersion } from '../../src/domain/presence.js';
import type { MirrorChange, MirrorChangeListener, MirroredAgent } from '../../src/pipeline/live-presence.js';
import {
  createOutsideChangeListener,
  type LimitAlert,
  type OutsideChangeSurfaces,
  outsideChangeKey,
} from '../../src/pipeline/outside-changes.js';
import type { AuditDecision } from '../../src/pipeline/ports.js';
import { payrollEventIdFor } from '../../src/pipeline/steps.js';
import { expectKind, type PipelineHarness, startPipelineHarness } from './harness.js';

interface Recorded {
  changed: { agentId: string; teamIds: readonly string[] }[];
  posted: LimitAlert[];
  resolved: { alert: LimitAlert; ref: string }[];
  audited: AuditDecision[];
}

let h: PipelineHarness;
let mirror: Map<string, MirroredAgent>;
let recorded: Recorded;
let listener: MirrorChangeListener;

beforeEach(async () => {
  h = await startPipelineHarness();
  mirror = new Map();
  recorded = { changed: [], posted: [], resolved: [], audited: [] };
  const surfaces: OutsideChangeSurfaces = {
    agentChanged: (change) => recorded.changed.push(change),
    async postLimitAlert(alert) {
      recorded.posted.push(alert);
      return `C0TEAM/${recorded.posted.length}`;
    },
    async resolveLimitAlert(alert, ref) {
      recorded.resolved.push({ alert, ref });
    },
  };
  listener = createOutsideChangeListener({
    policy: h.policy,
    genesys: h.genesys,
    store: h.store,
    mirror: { get: async (ids) => ids.flatMap((id) => mirror.get(id) ?? []) },
    directory: h.directory,
    surfaces,
    audit: { record: (decision) => recorded.audited.push(decision), flush: async () => {} },
    logger: pino({ level: 'silent' }),
  });
});

afterEach(async () => {
  await h.close();
});

/** Puts the agent's current Genesys state in the mirror (what a resync does). */
async function mirrorNow(email: string): Promise<MirroredAgent> {
  const state = await h.genesys.getAgentState(h.simulator.getAgentState(email).userId);
  const agent: MirroredAgent = { ...state, source: 'read', observedAt: new Date().toISOString() };
  mirror.set(agent.agentId, agent);
  return agent;
}

/** Sets agents' presences in Genesys and mirrors them, without telling the listener (the starting floor). */
async function floor(presences: Record<string, string>): Promise<void> {
  for (const [email, presence] of Object.entries(presences)) {
    h.simulator.setAgentPresence(email, presence);
    await mirrorNow(email);
  }
}

/** What the live feed hands the listener once the notification of the agent's current state arrives. */
async function notified(email: string): Promise<MirrorChange> {
  const before = mirror.get(h.simulator.getAgentState(email).userId);
  const after = { ...(await mirrorNow(email)), source: 'event' as const };
  mirror.set(after.agentId, after);
  return {
    observation: {
      agentId: after.agentId,
      presence: {
        presenceId: after.presenceId,
        systemPresence: after.systemPresence,
        modifiedDate: after.modifiedDate,
      },
      source: 'event',
      observedAt: after.observedAt,
    },
    ...(before ? { before } : {}),
    after,
  };
}

/** Someone changes the agent in Genesys, and its notification reaches the listener. */
async function outside(email: string, presence: string): Promise<MirrorChange> {
  h.simulator.setAgentPresence(email, presence);
  const change = await notified(email);
  await listener(change);
  return change;
}

const genesysEvents = async () =>
  (await h.store.outbox.list()).map((entry) => entry.event.data).filter((data) => data.source === 'genesys');

describe('an outside change', () => {
  it('queues one payroll event with source "genesys", audits it and refreshes the surfaces', async () => {
    await floor({ 'ivan@example.com': 'Available' });
    const change = await outside('ivan@example.com', 'Break');

    const events = await genesysEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventId: payrollEventIdFor(outsideChangeKey(change.after.agentId, change.after.modifiedDate)),
      agentId: change.after.agentId,
      email: 'ivan@example.com',
      from: { presence: 'Available' },
      to: { presence: 'Break' },
      changedAt: change.after.modifiedDate,
      changedBy: null,
      source: 'genesys',
    });
    expect(recorded.audited).toEqual([
      expect.objectContaining({
        actor: 'genesys',
        target: 'ivan@example.com',
        from: 'available',
        to: 'break',
        outcome: 'outside_change',
        source: 'genesys',
      }),
    ]);
    expect(recorded.changed).toEqual([{ agentId: change.after.agentId, teamIds: ['support'] }]);
  });

  it('replayed notifications never make a second payroll event or audit line', async () => {
    await floor({ 'ivan@example.com': 'Available' });
    const change = await outside('ivan@example.com', 'Break');
    await listener(change);
    await listener({ ...change, observation: { ...change.observation, observedAt: new Date().toISOString() } });

    expect(await genesysEvents()).toHaveLength(1);
    expect(recorded.audited).toHaveLength(1);
  });

  it('a routing-only change is no status change', async () => {
    await floor({ 'ivan@example.com': 'On Queue' });
    const before = mirror.get(h.simulator.getAgentState('ivan@example.com').userId)!;
    const after: MirroredAgent = { ...before, routingStatus: 'INTERACTING', source: 'event' };
    await listener({
      observation: {
        agentId: before.agentId,
        routing: { status: 'INTERACTING', changedAt: new Date().toISOString() },
        source: 'event',
        observedAt: new Date().toISOString(),
      },
      before,
      after,
    });

    expect(await genesysEvents()).toEqual([]);
    expect(recorded.changed).toEqual([]);
  });
});

describe('the echo of the app’s own write', () => {
  it('is not an outside change once the write is recorded', async () => {
    await floor({ 'ivan@example.com': 'Available' });
    expectKind(await h.pipeline.submit(h.request('ivan@example.com', 'ivan@example.com', 'break')), 'applied');
    await listener(await notified('ivan@example.com'));

    expect(await genesysEvents()).toEqual([]);
    expect((await h.store.outbox.list()).map((entry) => entry.event.data.source)).toEqual(['slack']);
    expect(recorded).toMatchObject({ changed: [], audited: [], posted: [] });
  });

  it('is not an outside change while the write’s intent is pending', async () => {
    const before = await mirrorNow('ivan@example.com');
    const request = h.request('ivan@example.com', 'ivan@example.com', 'break');
    const written = h.simulator.setAgentPresence('ivan@example.com', 'Break').presenceId;
    await h.store.transitions.recordIntent({
      requestId: request.requestId,
      agentId: before.agentId,
      presenceId: written,
      fromVersion: presenceVersion(before),
      from: {
        status: 'available',
        presenceId: before.presenceId,
        presenceLabel: 'Available',
        routingStatus: 'OFF_QUEUE',
      },
      request,
      createdAt: new Date().toISOString(),
    });
    await listener(await notified('ivan@example.com'));

    expect(await genesysEvents()).toEqual([]);
    expect(recorded.changed).toEqual([]);
  });
});

describe('team limits broken by outside changes', () => {
  // Support: frank, grace, heidi, ivan; at most 1 on Break; at least 1 On Queue.
  beforeEach(async () => {
    await floor({
      'frank@example.com': 'Break',
      'grace@example.com': 'On Queue',
      'heidi@example.com': 'On Queue',
      'ivan@example.com': 'Available',
    });
  });

  it('post one alert naming who and what, and one "resolved" edit once the team is back within its limits', async () => {
    await outside('ivan@example.com', 'Break');
    expect(recorded.posted).toEqual([
      {
        teamId: 'support',
        teamName: 'Support',
        change: 'ivan@example.com: Available → Break',
        breaches: ['2 on Break (cap 1): frank@example.com, ivan@example.com'],
      },
    ]);

    await outside('heidi@example.com', 'Break');
    await outside('ivan@example.com', 'Available');
    expect(recorded.posted).toHaveLength(1);
    expect(recorded.resolved).toEqual([]);

    await outside('heidi@example.com', 'On Queue');
    expect(recorded.resolved).toEqual([
      {
        alert: expect.objectContaining({ teamId: 'support', change: 'heidi@example.com: Break → On Queue' }),
        ref: 'C0TEAM/1',
      },
    ]);
    await outside('grace@example.com', 'Available');
    expect(recorded.posted).toHaveLength(1);
    expect(recorded.resolved).toHaveLength(1);
  });

  it('post an alert when the last agent On Queue leaves the queue', async () => {
    await outside('grace@example.com', 'Available');
    expect(recorded.posted).toEqual([]);
    await outside('heidi@example.com', 'Meeting');
    expect(recorded.posted).toEqual([
      expect.objectContaining({
        change: 'heidi@example.com: On Queue → Meeting',
        breaches: ['0 On Queue, below the floor of 1 agent'],
      }),
    ]);
  });
});
