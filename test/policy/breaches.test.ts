import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeBreach, newBreaches, teamLimitBreaches } from '../../src/policy/breaches.js';
import { checkTeamLimits, type MemberStatus } from '../../src/policy/limits.js';
import { testPolicy } from './fixture.js';

// Billing (test policy): alice, bob, carol, dave and UERIN0001; at most 2 on Break and 1 on Lunch; at least 2 On Queue.
const at = (status: string, email: string, slackUserId?: string): MemberStatus => ({ email, slackUserId, status });
const alice = 'alice@example.com';
const bob = 'bob@example.com';
const carol = 'carol@example.com';
const dave = 'dave@example.com';
const onQueue = (...emails: string[]) => emails.map((email) => at('on-queue', email));

describe('teamLimitBreaches', () => {
  it.each<[string, MemberStatus[], ReturnType<typeof teamLimitBreaches>]>([
    ['within every limit', [...onQueue(alice, bob), at('break', carol), at('break', dave)], []],
    [
      'over a cap',
      [...onQueue(alice, bob), at('break', carol), at('break', dave), at('break', 'erin@example.com', 'UERIN0001')],
      [{ kind: 'cap', status: 'break', limit: 2, people: [carol, dave, 'erin@example.com'] }],
    ],
    [
      'under the floor',
      [...onQueue(alice), at('available', bob)],
      [{ kind: 'floor', status: 'on-queue', limit: 2, people: [alice] }],
    ],
    [
      'people outside the team do not count',
      [...onQueue(alice, bob), at('lunch', carol), at('lunch', 'frank@example.com')],
      [],
    ],
    [
      'caps first, then the floor',
      [at('lunch', alice), at('lunch', bob)],
      [
        { kind: 'cap', status: 'lunch', limit: 1, people: [alice, bob] },
        { kind: 'floor', status: 'on-queue', limit: 2, people: [] },
      ],
    ],
  ])('%s', (_, states, expected) => {
    expect(teamLimitBreaches(testPolicy, 'billing', states)).toEqual(expected);
  });

  it('a team without limits, or no such team, has no breaches', () => {
    expect(teamLimitBreaches(testPolicy, 'nightshift', [at('break', 'nina@example.com')])).toEqual([]);
    expect(teamLimitBreaches(testPolicy, 'nope', onQueue(alice))).toEqual([]);
  });

  it('words a breach as plain text naming the people', () => {
    const [cap, floor] = teamLimitBreaches(testPolicy, 'billing', [at('lunch', alice), at('lunch', bob)]);
    expect(describeBreach(testPolicy, cap!)).toBe(`2 on Lunch (cap 1): ${alice}, ${bob}`);
    expect(describeBreach(testPolicy, floor!)).toBe('0 On Queue, below the floor of 2 agents');
  });
});

describe('newBreaches', () => {
  it('is what the second state breaks that the first did not', () => {
    const before = teamLimitBreaches(testPolicy, 'billing', onQueue(alice));
    const after = teamLimitBreaches(testPolicy, 'billing', [at('lunch', alice), at('lunch', bob)]);
    expect(newBreaches(before, after)).toEqual([after[0]]);
    expect(newBreaches(after, after)).toEqual([]);
  });
});

const members = [alice, bob, carol, dave];
const statuses = ['on-queue', 'available', 'break', 'lunch'];

describe('a change the limits allow', () => {
  it('never takes a team within its limits out of them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...statuses), { minLength: members.length, maxLength: members.length }),
        fc.constantFrom(...members),
        fc.constantFrom(...statuses),
        (current, mover, to) => {
          const states = members.map((email, i) => at(current[i]!, email));
          fc.pre(teamLimitBreaches(testPolicy, 'billing', states).length === 0);
          const from = states.find((state) => state.email === mover)!.status;
          const verdict = checkTeamLimits(testPolicy, {
            states,
            target: { email: mover },
            from,
            to,
            mayOverrideFloor: [],
            overrideFloor: false,
          });
          fc.pre(verdict.ok);
          const after = states.map((state) => (state.email === mover ? { ...state, status: to } : state));
          expect(teamLimitBreaches(testPolicy, 'billing', after)).toEqual([]);
        },
      ),
    );
  });
});
