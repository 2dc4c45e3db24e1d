import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presenceVersion } from '../../src/domain/presence.js';
import type { TargetAgent } from '../../src/domain/transition.js';
import { type PipelineHarness, slackIdFor, startPipelineHarness } from './harness.js';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const FRANK = 'frank@example.com';
const SAM = 'sam.super@example.com';
const ADA = 'ada.admin@example.com';

const asker = (email: string) => ({ email, slackUserId: slackIdFor(email) });

describe('pipeline queries', () => {
  let h: PipelineHarness;
  const agent = (email: string): TargetAgent => ({ genesysUserId: h.simulator.getAgentState(email).userId, email });
  beforeEach(async () => {
    h = await startPipelineHarness({ now: () => new Date('2026-12-06T04:00:00Z') });
  });
  afterEach(async () => {
    await h.close();
  });

  it("reads an agent's live status with the version a later change compares against", async () => {
    h.simulator.setAgentPresence(ALICE, 'Lunch');
    const status = await h.queries.agentStatus(agent(ALICE).genesysUserId);
    const [state] = await h.genesys.getAgentStates([agent(ALICE).genesysUserId]);
    expect(status.snapshot).toMatchObject({ status: 'lunch', presenceLabel: 'Lunch' });
    expect(status.version).toBe(presenceVersion(state!));
    expect(status.since).toBe(state!.modifiedDate);
  });

  it.each([
    { from: ['break'], next: ['available', 'on-queue', 'offline'] },
    { from: ['offline'], next: ['available', 'on-queue'] },
    // From any of several statuses (a supervisor's picker): the union, in catalog order, without repeats.
    { from: ['offline', 'break'], next: ['available', 'on-queue', 'offline'] },
    { from: [], next: [] },
  ])('offers the statuses the matrix allows from $from', async ({ from, next }) => {
    expect(await h.queries.nextStatuses(from)).toEqual(next);
  });

  it('builds a team board from live states, with caps, the floor and the members it cannot match', async () => {
    h.simulator.setAgentPresence(BOB, 'Break');
    const board = await h.queries.teamBoard('billing');
    expect(board).toMatchObject({
      teamId: 'billing',
      teamName: 'Billing',
      caps: { break: 2, lunch: 2 },
      statusLabels: { break: 'Break', lunch: 'Lunch' },
      onQueueFloor: 2,
      refreshedAt: '2026-12-06T04:00:00.000Z',
      unmatched: [],
    });
    expect(board?.members.map((m) => m.id)).toEqual(
      ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => agent(`${n}@example.com`).genesysUserId),
    );
    expect(board?.members.find((m) => m.id === agent(BOB).genesysUserId)).toMatchObject({
      status: 'break',
      statusLabel: 'Break',
      systemPresence: 'BREAK',
    });
    expect(await h.queries.teamBoard('nope')).toBeUndefined();
    expect(await h.queries.teamBoard('toString')).toBeUndefined();
  });

  it('lists team members once each, with their live status', async () => {
    const agents = await h.queries.teamAgents(['billing', 'support', 'billing']);
    expect(agents).toHaveLength(9);
    const frank = agents.find((a) => a.member.person.email === FRANK);
    expect(frank?.member.teamId).toBe('support');
    expect(frank?.status.version).toBe(presenceVersion(await h.genesys.getAgentState(agent(FRANK).genesysUserId)));
  });

  describe('history', () => {
    beforeEach(async () => {
      await h.pipeline.submit(h.request(ALICE, ALICE, 'available'));
      await h.pipeline.submit(h.request(ALICE, ALICE, 'meeting'));
      await h.pipeline.submit(h.request(ALICE, ALICE, 'nap'));
    });

    it.each([
      ['the agent', ALICE],
      ['their supervisor', SAM],
      ['an admin', ADA],
    ])('shows the last changes of an agent to %s, newest first', async (_, who) => {
      const answer = await h.queries.history(asker(who), agent(ALICE));
      expect(answer.ok && answer.records.map((r) => [r.toStatus, r.outcome.kind])).toEqual([
        ['nap', 'refused'],
        ['meeting', 'applied'],
        ['available', 'applied'],
      ]);
    });

    it.each([
      ['another agent', BOB],
      ["another team's agent", FRANK],
      ['a supervisor of another team', 'sue.lead@example.com'],
    ])('refuses %s', async (_, who) => {
      expect(await h.queries.history(asker(who), agent(ALICE))).toEqual({ ok: false, code: 'not_authorized' });
    });
  });
});
