import { describe, expect, it } from 'vitest';
import { capViolations, counterByLabel, payrollViolations, sampleOf } from '../../bench/soak-checks.js';
import type { PayrollEventData } from '../../src/domain/payroll-event.js';

let sequence = 0;
function event(email: string, from: string, to: string, overrides: Partial<PayrollEventData> = {}): PayrollEventData {
  sequence += 1;
  return {
    eventId: `evt-${sequence}`,
    agentId: `id-${email}`,
    email,
    from: { presence: from, routingStatus: 'OFF_QUEUE' },
    to: { presence: to, routingStatus: 'OFF_QUEUE' },
    reason: null,
    changedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
    changedBy: 'UX',
    source: 'slack',
    requestId: `req-${sequence}`,
    ...overrides,
  };
}

describe('soak invariants', () => {
  it('reads counters by label and plain samples from Prometheus text', () => {
    const text = [
      '# HELP agent_status_transitions_total x',
      'agent_status_transitions_total{outcome="applied"} 12',
      'agent_status_transitions_total{outcome="refused"} 3',
      'agent_status_payroll_outbox_depth 0',
      'process_resident_memory_bytes 1048576',
    ].join('\n');
    expect(counterByLabel(text, 'agent_status_transitions_total', 'outcome')).toEqual({ applied: 12, refused: 3 });
    expect(sampleOf(text, 'agent_status_payroll_outbox_depth')).toBe(0);
    expect(sampleOf(text, 'process_resident_memory_bytes')).toBe(1048576);
    expect(sampleOf(text, 'missing_metric')).toBeUndefined();
  });

  const caps = [{ team: 'billing', presence: 'Break', limit: 2, members: ['a', 'b', 'c'] }];
  it.each([
    [['Break', 'Break', 'Available'], 0],
    [['Break', 'Break', 'Break'], 1],
  ])('caps: %j breaks %i', (presences, broken) => {
    const states = new Map(presences.map((p, i) => [['a', 'b', 'c'][i]!, p]));
    expect(capViolations(caps, states)).toHaveLength(broken);
  });

  const initial = new Map([['a@x', 'Available']]);
  it.each<[string, PayrollEventData[], string, RegExp | undefined]>([
    ['an unbroken trail', [event('a@x', 'Available', 'Break'), event('a@x', 'Break', 'Meeting')], 'Meeting', undefined],
    ['no change, no event', [], 'Available', undefined],
    ['a change without its event', [event('a@x', 'Available', 'Break')], 'Meeting', /Meeting in Genesys/],
    [
      'a change in the middle without its event',
      [event('a@x', 'Available', 'Break'), event('a@x', 'Meeting', 'Available')],
      'Available',
      /payroll last heard Break/,
    ],
    [
      'an event twice',
      [event('a@x', 'Available', 'Break'), event('a@x', 'Available', 'Break')],
      'Break',
      /payroll last heard Break/,
    ],
    [
      'two events for one request',
      [event('a@x', 'Available', 'Break', { requestId: 'r' }), event('a@x', 'Break', 'Meeting', { requestId: 'r' })],
      'Meeting',
      /two events for one change: request r/,
    ],
  ])('payroll: %s', (_, events, now, problem) => {
    const problems = payrollViolations({ initial, final: new Map([['a@x', now]]), events });
    if (problem) expect(problems.join('\n')).toMatch(problem);
    else expect(problems).toEqual([]);
  });
});
