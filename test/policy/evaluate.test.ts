import { describe, expect, it } from 'vitest';
import { evaluateTransition, type TransitionCheck } from '../../src/policy/evaluate.js';
import type { MemberStatus } from '../../src/policy/limits.js';
import { policyWith, testPolicy, testPolicyData } from './fixture.js';

const now = new Date('2025-03-01T10:00:00.000Z');
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const at = (status: string, email: string): MemberStatus => ({ email, status });

const alice = { slackUserId: 'UALICE001', email: 'alice@example.com' };
const sam = { slackUserId: 'USAM00001', email: 'sam.super@example.com' };
const sue = { slackUserId: 'USUE00001' };
const onQueueFloorMet = [at('on-queue', 'bob@example.com'), at('on-queue', 'carol@example.com')];
const onQueueFloorShort = [at('on-queue', 'bob@example.com'), at('break', 'carol@example.com')];

function check(parts: Partial<TransitionCheck>): TransitionCheck {
  return {
    actor: alice,
    target: alice,
    from: 'on-queue',
    enteredAt: secondsAgo(3600),
    to: 'break',
    teamStates: onQueueFloorMet,
    now,
    ...parts,
  };
}

describe('evaluateTransition', () => {
  it.each<[string, Partial<TransitionCheck>, object]>([
    ['an agent taking a break', {}, { ok: true, to: 'break', as: 'self', floorOverriddenFor: [] }],
    [
      'a supervisor, by alias, with a free-text reason',
      { actor: sam, to: ' BRB ', reason: '  coffee ' },
      { ok: true, to: 'break', reason: 'coffee', as: 'supervisor' },
    ],
    [
      'a canonical reason',
      { to: 'away', reason: 'it issue' },
      { ok: true, to: 'away', reason: 'IT issue', as: 'self' },
    ],
    [
      'no entry time: no dwell',
      { from: 'break', enteredAt: undefined, to: 'available' },
      { ok: true, to: 'available' },
    ],
    ['the same status within the dwell', { from: 'break', enteredAt: secondsAgo(5), to: 'break' }, { ok: true }],
    ['from a Genesys presence outside the catalog, via `*`', { from: 'Smoke break', to: 'offline' }, { ok: true }],
    [
      'a supervisor overriding the floor with a reason',
      { actor: sam, teamStates: onQueueFloorShort, to: 'available', overrideFloor: true, reason: 'team meeting' },
      {
        ok: true,
        to: 'available',
        reason: undefined,
        floorOverriddenFor: ['billing'],
        floorOverrideReason: 'team meeting',
      },
    ],
  ])('allows %s', (_, parts, expected) => {
    const verdict = evaluateTransition(testPolicy, check(parts));
    expect(verdict).toMatchObject(expected);
    if (!('floorOverrideReason' in expected)) expect(verdict).not.toHaveProperty('floorOverrideReason');
  });

  it.each<[string, Partial<TransitionCheck>, string, string]>([
    [
      'someone else, before anything else',
      { target: { email: 'bob@example.com' }, to: 'nonsense' },
      'not_authorized',
      'You can only change your own status. Ask a supervisor of Billing (sam.super@example.com) or an admin.',
    ],
    ['an unknown status', { to: 'brk' }, 'unknown_status', 'Unknown status "brk". Did you mean break?'],
    [
      'the matrix before the reason',
      { from: 'offline', to: 'away' },
      'not_allowed',
      "You can't go from Offline to Away. From Offline you can go to Available or On Queue.",
    ],
    [
      'a Genesys presence outside the catalog, not covered by `*`',
      { from: 'Smoke break', to: 'available' },
      'not_allowed',
      "You can't go from Smoke break to Available. From Smoke break you can go to Offline.",
    ],
    [
      'the reason before the dwell',
      { from: 'busy', enteredAt: secondsAgo(5), to: 'away' },
      'reason_missing',
      'Away needs a reason. Choose doctor, personal or IT issue.',
    ],
    [
      'the dwell before the caps',
      { from: 'break', enteredAt: secondsAgo(5), to: 'available' },
      'dwell',
      'Break lasts at least 60 s; try again in 55 s.',
    ],
    [
      'the cap',
      {
        teamStates: [
          ...onQueueFloorMet,
          at('break', 'dave@example.com'),
          { email: 'erin@example.com', slackUserId: 'UERIN0001', status: 'break' },
        ],
      },
      'cap_reached',
      'Billing already has 2 of 2 on Break: dave@example.com, erin@example.com. Try again when a slot frees up.',
    ],
    [
      'the floor, for an agent',
      { teamStates: onQueueFloorShort, overrideFloor: true, reason: 'tired' },
      'staffing_floor',
      'Billing needs at least 2 agents On Queue; this change would leave 1 (bob@example.com). Ask a supervisor (sam.super@example.com) to override it.',
    ],
    [
      'the floor, for a supervisor who did not override',
      { actor: sam, teamStates: onQueueFloorShort },
      'staffing_floor',
      'Billing needs at least 2 agents On Queue; this change would leave 1 (bob@example.com). To go ahead anyway, add `override <reason>` after the status.',
    ],
    [
      'a floor override without a reason',
      { actor: sam, teamStates: onQueueFloorShort, to: 'available', overrideFloor: true, reason: ' ' },
      'reason_missing',
      'Overriding the on-queue floor of Billing needs a reason.',
    ],
    [
      "a supervisor of another team can't override",
      {
        actor: sue,
        target: { email: 'carol@example.com' },
        teamStates: [at('on-queue', 'frank@example.com'), at('on-queue', 'alice@example.com')],
        overrideFloor: true,
        reason: 'x',
      },
      'staffing_floor',
      'Billing needs at least 2 agents On Queue; this change would leave 1 (alice@example.com). Ask a supervisor (sam.super@example.com) to override it.',
    ],
  ])('refuses %s', (_, parts, code, message) => {
    const verdict = evaluateTransition(testPolicy, check(parts));
    expect(verdict).toMatchObject({ ok: false, code, message });
    expect(Object.keys(verdict).sort()).toEqual(
      [
        'ok',
        'code',
        'message',
        ...(code === 'unknown_status' ? ['suggestions'] : []),
        ...(code === 'dwell' ? ['retryAfterSeconds'] : []),
        // The supervisors a refusal sends the person to are named for a surface to show as people.
        ...(message.includes('Ask a supervisor') ? ['people'] : []),
      ].sort(),
    );
  });

  it('the dwell comes before the floor', () => {
    const policy = policyWith({
      statuses: { ...testPolicyData.statuses, 'on-queue': { presence: 'On Queue', minDwellSeconds: 30 } },
    });
    const verdict = evaluateTransition(policy, check({ enteredAt: secondsAgo(10), teamStates: onQueueFloorShort }));
    expect(verdict).toMatchObject({ ok: false, code: 'dwell', retryAfterSeconds: 20 });
  });
});
