import { describe, expect, it } from 'vitest';
import { checkTeamLimits, type LimitsInput, type MemberStatus } from '../../src/policy/limits.js';
import { policyWith, testPolicy } from './fixture.js';

const at = (status: string, email: string, slackUserId?: string): MemberStatus => ({ email, slackUserId, status });
const alice = 'alice@example.com';
const bob = 'bob@example.com';
const carol = 'carol@example.com';
const dave = 'dave@example.com';
const frank = 'frank@example.com';

function limits(input: Partial<LimitsInput> & Pick<LimitsInput, 'states' | 'from' | 'to'>) {
  return checkTeamLimits(testPolicy, { target: { email: dave }, mayOverrideFloor: [], overrideFloor: false, ...input });
}

describe('per-team caps', () => {
  it.each<[string, Parameters<typeof limits>[0]]>([
    ['room left', { states: [at('break', alice)], from: 'available', to: 'break' }],
    ['no cap on the status', { states: [at('busy', alice), at('busy', bob)], from: 'available', to: 'busy' }],
    [
      'people outside the team do not count',
      {
        states: [at('break', alice), at('break', 'zed@example.com'), at('break', frank)],
        from: 'available',
        to: 'break',
      },
    ],
    [
      "the target's own (stale) entry does not count",
      { states: [at('break', alice), at('break', dave)], from: 'available', to: 'break' },
    ],
    [
      'moving within the same status does not count twice',
      { states: [at('break', alice), at('break', bob), at('break', dave)], from: 'break', to: 'break' },
    ],
    ['not in any team', { target: { email: 'zed@example.com' }, states: [], from: 'available', to: 'break' }],
  ])('allows: %s', (_, input) => {
    expect(limits(input)).toEqual({ ok: true, floorOverriddenFor: [] });
  });

  it.each<[string, Parameters<typeof limits>[0], string]>([
    [
      'full',
      { states: [at('break', alice), at('break', bob), at('on-queue', carol)], from: 'available', to: 'break' },
      'Billing already has 2 of 2 on Break: alice@example.com, bob@example.com. Try again when a slot frees up.',
    ],
    [
      'a member listed by Slack id counts',
      { states: [at('break', alice), at('break', 'erin@example.com', 'UERIN0001')], from: 'available', to: 'break' },
      'Billing already has 2 of 2 on Break: alice@example.com, erin@example.com. Try again when a slot frees up.',
    ],
    [
      'already over the cap (set in Genesys)',
      { states: [at('lunch', alice), at('lunch', bob)], from: 'available', to: 'lunch' },
      'Billing already has 2 of 1 on Lunch: alice@example.com, bob@example.com. Try again when a slot frees up.',
    ],
    [
      'a member of two teams is checked against each (Billing has room, Support not)',
      { target: { email: carol }, states: [at('break', alice), at('break', frank)], from: 'available', to: 'break' },
      'Support already has 1 of 1 on Break: frank@example.com. Try again when a slot frees up.',
    ],
  ])('refuses: %s', (_, input, message) => {
    expect(limits(input)).toEqual({ ok: false, code: 'cap_reached', message });
  });
});

describe('on-queue staffing floor', () => {
  const twoOthers = [at('on-queue', alice), at('on-queue', bob), at('break', carol)];
  const oneOther = [at('on-queue', alice), at('break', bob)];

  it.each<[string, Parameters<typeof limits>[0], string[]]>([
    ['enough left', { states: twoOthers, from: 'on-queue', to: 'available' }, []],
    ['not leaving On Queue', { states: [], from: 'available', to: 'busy' }, []],
    ['staying On Queue', { states: [], from: 'on-queue', to: 'on-queue' }, []],
    [
      'overridden by a supervisor of the team',
      { states: oneOther, from: 'on-queue', to: 'available', mayOverrideFloor: ['billing'], overrideFloor: true },
      ['billing'],
    ],
    [
      'overridden for each team of a member of two',
      {
        target: { email: carol },
        states: [],
        from: 'on-queue',
        to: 'available',
        mayOverrideFloor: ['billing', 'support'],
        overrideFloor: true,
      },
      ['billing', 'support'],
    ],
  ])('allows: %s', (_, input, floorOverriddenFor) => {
    expect(limits(input)).toEqual({ ok: true, floorOverriddenFor });
  });

  // Plain text; the supervisors it names are listed in `people` for a surface to show as people.
  it.each<[string, Parameters<typeof limits>[0], string, { people?: string[] }]>([
    [
      'too few left',
      { states: oneOther, from: 'on-queue', to: 'available' },
      'Billing needs at least 2 agents On Queue; this change would leave 1 (alice@example.com). Ask a supervisor (sam.super@example.com) to override it.',
      { people: ['sam.super@example.com'] },
    ],
    [
      'nobody left',
      { target: { email: frank }, states: [at('available', 'grace@example.com')], from: 'on-queue', to: 'break' },
      'Support needs at least 1 agent On Queue; this change would leave none. Ask a supervisor (USUE00001) to override it.',
      { people: ['USUE00001'] },
    ],
    [
      'the actor could override but did not ask',
      { states: oneOther, from: 'on-queue', to: 'available', mayOverrideFloor: ['billing'] },
      'Billing needs at least 2 agents On Queue; this change would leave 1 (alice@example.com). To go ahead anyway, add `override <reason>` after the status.',
      {},
    ],
    [
      'asked to override without the right',
      { states: oneOther, from: 'on-queue', to: 'available', mayOverrideFloor: ['support'], overrideFloor: true },
      'Billing needs at least 2 agents On Queue; this change would leave 1 (alice@example.com). Ask a supervisor (sam.super@example.com) to override it.',
      { people: ['sam.super@example.com'] },
    ],
    [
      'override for one team of two',
      {
        target: { email: carol },
        states: [at('on-queue', alice), at('on-queue', bob)],
        from: 'on-queue',
        to: 'available',
        mayOverrideFloor: ['billing'],
        overrideFloor: true,
      },
      'Support needs at least 1 agent On Queue; this change would leave none. Ask a supervisor (USUE00001) to override it.',
      { people: ['USUE00001'] },
    ],
  ])('refuses: %s', (_, input, message, people) => {
    expect(limits(input)).toEqual({ ok: false, code: 'staffing_floor', message, ...people });
  });

  it('sends to an admin when the team has no supervisor', () => {
    const policy = policyWith({ teams: { desk: { name: 'Desk', members: [alice, bob], onQueueFloor: 1 } } });
    expect(
      checkTeamLimits(policy, {
        target: { email: alice },
        states: [at('break', bob)],
        from: 'on-queue',
        to: 'break',
        mayOverrideFloor: [],
        overrideFloor: false,
      }),
    ).toEqual({
      ok: false,
      code: 'staffing_floor',
      message: 'Desk needs at least 1 agent On Queue; this change would leave none. Ask an admin to override it.',
    });
  });

  it('checks the cap before the floor', () => {
    expect(
      limits({ states: [at('on-queue', alice), at('break', bob), at('break', carol)], from: 'on-queue', to: 'break' }),
    ).toMatchObject({ ok: false, code: 'cap_reached' });
  });
});
