import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presenceVersion } from '../../src/domain/presence.js';
import { GenesysError } from '../../src/pipeline/ports.js';
import { intentOf } from '../support/intents.js';
import { expectKind, type PipelineHarness, startPipelineHarness } from './harness.js';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const DAVE = 'dave@example.com';
const ERIN = 'erin@example.com';
const SAM = 'sam.super@example.com';
const SUE = 'sue.lead@example.com';
const ADA = 'ada.admin@example.com';

const patches = (h: PipelineHarness) => h.simulator.requests({ method: 'PATCH' }).length;

describe('transition pipeline against the simulator', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('applies a change, verifies it, records one payroll event, audits and counts it', async () => {
    const outcome = expectKind(
      await h.pipeline.submit(h.request(ALICE, ALICE, 'brb', { reason: 'coffee' })),
      'applied',
    );
    expect(outcome.from.status).toBe('on-queue');
    expect(outcome.to).toMatchObject({ status: 'break', presenceLabel: 'Break', routingStatus: 'OFF_QUEUE' });
    expect(h.simulator.getAgentState(ALICE)).toMatchObject({ presenceLabel: 'Break', message: 'coffee' });

    const events = await h.store.outbox.list();
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toMatchObject({
      type: 'agent.status.changed',
      data: {
        email: ALICE,
        from: { presence: 'On Queue', routingStatus: 'IDLE' },
        to: { presence: 'Break', routingStatus: 'OFF_QUEUE' },
        reason: 'coffee',
        changedBy: 'UALICE',
        source: 'slack',
      },
    });

    const audit = await h.auditLines();
    expect(audit.at(-1)).toMatchObject({
      actor: 'UALICE',
      target: ALICE,
      from: 'on-queue',
      to: 'brb',
      outcome: 'applied',
    });
    const metrics = await h.registry.metrics();
    expect(metrics).toContain('agent_status_transitions_total{outcome="applied"} 1');
    expect(metrics).toMatch(/genesys_state_update_latency_seconds_count\{status="break",result="applied"\} 1/);
  });

  it('labels metrics by catalog status or "unknown": a word someone types never adds a series', async () => {
    for (const typed of ['brb', 'BREAK', 'brek', 'foo', 'x'.repeat(200)]) {
      await h.pipeline.submit(h.request(ALICE, ALICE, typed));
    }
    const metrics = await h.registry.metrics();
    const labels = [...metrics.matchAll(/genesys_state_update_latency_seconds_count\{status="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(new Set(labels)).toEqual(new Set(['break', 'unknown']));
    expect(metrics).toContain('genesys_state_update_latency_seconds_count{status="unknown",result="refused"} 3');
    expect(metrics).toContain('genesys_validation_errors_total{error_type="unknown_status"} 3');
  });

  it('answers noop when the agent is already there, with no write and no event', async () => {
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'on queue')), 'noop');
    expect(patches(h)).toBe(0);
    expect(await h.store.outbox.list()).toHaveLength(0);
  });

  it.each([
    ['unknown status with suggestions', ALICE, ALICE, 'brk', {}, 'unknown_status', /Did you mean break/],
    ['an agent changing someone else', BOB, ALICE, 'break', {}, 'not_authorized', /only change your own status/],
    ['a supervisor of another team', SUE, ALICE, 'break', {}, 'not_authorized', /isn't in Support/],
    ['a missing reason', ALICE, ALICE, 'away', {}, 'reason_missing', /Away needs a reason/],
    ['a reason not in the list', ALICE, ALICE, 'away', { reason: 'dentist' }, 'reason_invalid', /isn't a reason/],
    [
      'a transition outside the matrix',
      'agent21@example.com',
      'agent21@example.com',
      'break',
      {},
      'not_allowed',
      /from Offline/,
    ],
  ] as const)('refuses %s without touching Genesys', async (_name, actor, target, to, extra, code, message) => {
    const outcome = expectKind(await h.pipeline.submit(h.request(actor, target, to, extra)), 'refused');
    expect(outcome.code).toBe(code);
    expect(outcome.message).toMatch(message);
    expect(patches(h)).toBe(0);
    expect(await h.registry.metrics()).toContain(`genesys_validation_errors_total{error_type="${code}"} 1`);
  });

  it('lets a supervisor change a member of their team and an admin anyone', async () => {
    expectKind(await h.pipeline.submit(h.request(SAM, ALICE, 'break')), 'applied');
    expectKind(await h.pipeline.submit(h.request(ADA, 'frank@example.com', 'meeting')), 'applied');
  });

  it('refuses the third Billing agent on Break, naming who holds the slots', async () => {
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'break')), 'applied');
    expectKind(await h.pipeline.submit(h.request(CAROL, CAROL, 'break')), 'applied');
    const refused = expectKind(await h.pipeline.submit(h.request(ERIN, ERIN, 'break')), 'refused');
    expect(refused.code).toBe('cap_reached');
    expect(refused.message).toContain('2 of 2 on Break');
    expect(refused.message).toContain(ALICE);
    expect(refused.message).toContain(CAROL);
  });

  it('keeps the on-queue staffing floor unless a supervisor overrides it with a reason', async () => {
    // Billing starts with alice, bob and dave On Queue; the floor is 2.
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'available')), 'applied');
    const refused = expectKind(await h.pipeline.submit(h.request(BOB, BOB, 'available')), 'refused');
    expect(refused.code).toBe('staffing_floor');
    const noReason = expectKind(
      await h.pipeline.submit(h.request(SAM, BOB, 'available', { overrideFloor: true })),
      'refused',
    );
    expect(noReason.code).toBe('reason_missing');
    expectKind(
      await h.pipeline.submit(h.request(SAM, BOB, 'meeting', { overrideFloor: true, reason: 'all-hands' })),
      'applied',
    );
    expect(h.simulator.getAgentState(DAVE).presenceLabel).toBe('On Queue');
  });

  it('refuses to leave Break before its minimum dwell', async () => {
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'break')), 'applied');
    const refused = expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'on-queue')), 'refused');
    expect(refused.code).toBe('dwell');
    expect(refused.message).toMatch(/Break lasts at least 60 s/);
  });

  it('reports a conflict when the state changed since the user looked, and applies on force', async () => {
    const seen = h.simulator.getAgentState(ALICE);
    const seenVersion = presenceVersion(seen);
    h.simulator.setAgentPresence(ALICE, 'Available');
    const conflict = expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'break', { seenVersion })), 'conflict');
    expect(conflict.seen).toMatchObject({ status: 'on-queue', routingStatus: 'IDLE' });
    expect(conflict.current.status).toBe('available');
    expect(patches(h)).toBe(0);
    expect(await h.registry.metrics()).toContain('agent_status_conflicts_total 1');
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'break', { seenVersion, force: true })), 'applied');
  });

  it('reports a conflict, not success, when someone else writes between our write and the read-back', async () => {
    await h.close();
    h = await startPipelineHarness({
      wrapGenesys: (port, simulator) => ({
        ...port,
        async setPresence(agentId, presenceId, message) {
          await port.setPresence(agentId, presenceId, message);
          simulator.setAgentPresence(agentId, 'Training');
        },
      }),
    });
    const conflict = expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'break')), 'conflict');
    expect(conflict.current.status).toBe('training');
    expect(await h.store.outbox.list()).toHaveLength(0);
  });

  it('answers repeated deliveries of one request with one write and one payroll event', async () => {
    const request = h.request(ALICE, ALICE, 'break');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => h.pipeline.submit(request)));
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
    expectKind(outcomes[0]!, 'applied');
    expect(patches(h)).toBe(1);
    expect(await h.store.outbox.list()).toHaveLength(1);
    expect(await h.pipeline.submit(request)).toEqual(outcomes[0]);
    expect(patches(h)).toBe(1);
  });

  it('fails retryably on a Genesys outage, records nothing, and a retry of the same request then applies', async () => {
    h.simulator.injectFault({ path: '/api/v2/users/*/presences/purecloud', method: 'PATCH', kind: 500, count: 10 });
    const request = h.request(ALICE, ALICE, 'break');
    const failed = expectKind(await h.pipeline.submit(request), 'failed');
    expect(failed.retryable).toBe(true);
    expect(h.simulator.getAgentState(ALICE).presenceLabel).toBe('On Queue');
    expect(await h.store.outbox.list()).toHaveLength(0);
    h.simulator.clearFaults();
    expectKind(await h.pipeline.submit(request), 'applied');
  });
});

describe('undo', () => {
  let clock = new Date('2026-11-25T10:00:00Z');
  let h: PipelineHarness;
  beforeEach(async () => {
    clock = new Date();
    h = await startPipelineHarness({ now: () => clock });
  });
  afterEach(async () => {
    await h.close();
  });

  it('reverts the actor’s last change as a new audited transition with its own payroll event', async () => {
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'meeting')), 'applied');
    const { request, outcome } = await h.pipeline.undo({ slackUserId: 'UALICE', email: ALICE }, 'undo-1');
    const undone = expectKind(outcome, 'applied');
    expect(undone.to.status).toBe('on-queue');
    // The undo says whom it changed: no need to read the store after it.
    expect(request).toMatchObject({ requestId: 'undo-1', target: { email: ALICE }, to: 'on-queue', source: 'undo' });
    expect(h.simulator.getAgentState(ALICE).presenceLabel).toBe('On Queue');
    expect(await h.store.outbox.list()).toHaveLength(2);
    const lastAudit = (await h.auditLines()).at(-1);
    expect(lastAudit, JSON.stringify(lastAudit)).toMatchObject({ source: 'undo', outcome: 'applied' });
    // The same undo delivered twice does not flip the status back again.
    const again = await h.pipeline.undo({ slackUserId: 'UALICE', email: ALICE }, 'undo-1');
    expect(again.outcome).toEqual(undone);
    expect(again.request?.target).toEqual(request?.target);
    expect(h.simulator.getAgentState(ALICE).presenceLabel).toBe('On Queue');
  });

  it('refuses after the undo window', async () => {
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'meeting')), 'applied');
    clock = new Date(clock.getTime() + (h.policy.undo.windowSeconds + 1) * 1000);
    const refused = expectKind(
      (await h.pipeline.undo({ slackUserId: 'UALICE', email: ALICE }, 'undo-2')).outcome,
      'refused',
    );
    expect(refused.message).toMatch(/undo works for 5 min/);
  });

  it('shows a conflict instead of undoing when the agent moved on since', async () => {
    expectKind(await h.pipeline.submit(h.request(ALICE, ALICE, 'meeting')), 'applied');
    h.simulator.setAgentPresence(ALICE, 'Training');
    expectKind((await h.pipeline.undo({ slackUserId: 'UALICE', email: ALICE }, 'undo-3')).outcome, 'conflict');
    expect(h.simulator.getAgentState(ALICE).presenceLabel).toBe('Training');
  });

  it('says so when there is nothing to undo', async () => {
    const { request, outcome } = await h.pipeline.undo({ slackUserId: 'UBOB', email: BOB }, 'undo-4');
    expect(expectKind(outcome, 'refused').message).toBe('You have no recent change to undo.');
    expect(request).toBeUndefined();
  });
});

describe('writes that landed without being recorded', () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  it('records a write whose call failed after it landed (a timeout), with exactly one event', async () => {
    h = await startPipelineHarness({
      wrapGenesys: (port) => ({
        ...port,
        async setPresence(agentId, presenceId, message) {
          await port.setPresence(agentId, presenceId, message);
          throw new GenesysError('timeout', 'Genesys did not answer within 2000 ms after 4 attempts', true);
        },
      }),
    });
    const request = h.request(ALICE, ALICE, 'meeting');
    expectKind(await h.pipeline.submit(request), 'applied');
    expect(await h.store.outbox.list()).toHaveLength(1);
    expect(await h.store.transitions.pendingIntents()).toHaveLength(0);
    expect(await h.pipeline.submit(request)).toMatchObject({ kind: 'applied' });
    expect(await h.store.outbox.list()).toHaveLength(1);
  });

  it('recovers at start-up: a landed write gets its record and event, one that never landed is dropped', async () => {
    h = await startPipelineHarness();
    const landed = h.request(ALICE, ALICE, 'meeting');
    const lost = h.request(BOB, BOB, 'meeting');
    for (const request of [landed, lost]) {
      await h.store.transitions.recordIntent(intentOf(h.simulator, request, 'Meeting'));
    }
    // Only alice's write reached Genesys before the "crash".
    h.simulator.setAgentPresence(ALICE, 'Meeting');
    expect(await h.pipeline.recover()).toBe(1);
    const events = await h.store.outbox.list();
    expect(events.map((e) => e.event.data.requestId)).toEqual([landed.requestId]);
    expect(await h.store.transitions.pendingIntents()).toHaveLength(0);
    expect((await h.store.transitions.findOutcome(landed.requestId))?.outcome.kind).toBe('applied');
    expect(await h.store.transitions.findOutcome(lost.requestId)).toBeUndefined();
  });
});
