/**
 * Random interleavings of concurrent requests for one team (fast-check): whatever the order, a cap is
 * never exceeded, the floor never broken, no applied write is lost, and each applied change has exactly
 * one payroll event.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransitionOutcome } from '../../src/domain/transition.js';
import { type PipelineHarness, startPipelineHarness } from './harness.js';

const BILLING = ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => `${n}@example.com`);
const SAM = 'sam.super@example.com';
const STATUS_OF_LABEL: Record<string, string> = {
  Break: 'break',
  Lunch: 'lunch',
  Available: 'available',
  'On Queue': 'on-queue',
  Meeting: 'meeting',
};

describe('concurrent requests for one team', () => {
  let h: PipelineHarness;
  beforeAll(async () => {
    h = await startPipelineHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('never exceed a cap or break the floor, lose no write, and pair every change with one event', async () => {
    const request = fc.record({
      agent: fc.constantFrom(...BILLING),
      to: fc.constantFrom('break', 'lunch', 'available', 'on-queue', 'meeting'),
      bySupervisor: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 2, maxLength: 8 }), async (plan) => {
        h.simulator.reset();
        const initial = new Map(
          BILLING.map((email) => [email, STATUS_OF_LABEL[h.simulator.getAgentState(email).presenceLabel]!]),
        );
        const requests = plan.map((p) => h.request(p.bySupervisor ? SAM : p.agent, p.agent, p.to));
        const outcomes = await Promise.all(requests.map((r) => h.pipeline.submit(r)));

        const applied = outcomes
          .map((outcome, i) => ({ outcome, request: requests[i]! }))
          .filter(
            (
              x,
            ): x is { outcome: Extract<TransitionOutcome, { kind: 'applied' }>; request: (typeof requests)[number] } =>
              x.outcome.kind === 'applied',
          )
          .sort((a, b) => a.outcome.changedAt.localeCompare(b.outcome.changedAt));

        // Replay the applied changes in Genesys's order: every intermediate team state respects the policy.
        const state = new Map(initial);
        for (const { outcome, request: r } of applied) {
          expect(state.get(r.target.email)).toBe(outcome.from.status);
          state.set(r.target.email, outcome.to.status);
          const count = (status: string) => [...state.values()].filter((s) => s === status).length;
          expect(count('break')).toBeLessThanOrEqual(2);
          expect(count('lunch')).toBeLessThanOrEqual(2);
          expect(count('on-queue')).toBeGreaterThanOrEqual(
            Math.min(2, [...initial.values()].filter((s) => s === 'on-queue').length),
          );
        }
        // No write lost: Genesys shows exactly the replayed end state.
        for (const email of BILLING) {
          expect(STATUS_OF_LABEL[h.simulator.getAgentState(email).presenceLabel]).toBe(state.get(email));
        }
        // One payroll event per applied change, none for anything else.
        const ids = new Set(requests.map((r) => r.requestId));
        const events = (await h.store.outbox.list()).filter((e) => ids.has(e.event.data.requestId));
        expect(events.map((e) => e.event.data.requestId).sort()).toEqual(
          applied.map((a) => a.request.requestId).sort(),
        );
        for (const outcome of outcomes) expect(outcome.kind).not.toBe('failed');
      }),
      { numRuns: 25 },
    );
  });
});
