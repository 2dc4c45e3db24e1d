import { describe, expect, it } from 'vitest';
import { allowedTargets, checkTransition, isTransitionAllowed } from '../../src/policy/matrix.js';
import { policyWith, testPolicy } from './fixture.js';

describe('transition matrix', () => {
  it.each([
    // listed pairs
    ['offline', 'available', true],
    ['offline', 'on-queue', true],
    ['break', 'on-queue', true],
    ['training', 'coaching', true],
    // `*` as target: anything from available
    ['available', 'lunch', true],
    ['on-queue', 'coaching', true],
    // `*` as source: anything may go offline
    ['coaching', 'offline', true],
    ['lunch', 'offline', true],
    // missing pairs are refused
    ['offline', 'break', false],
    ['break', 'lunch', false],
    ['coaching', 'available', false],
    ['meal', 'break', false],
    // statuses with no entry of their own get only the `*` row
    ['idle-in-genesys', 'offline', true],
    ['idle-in-genesys', 'available', false],
    // the same status is not a transition
    ['coaching', 'coaching', true],
    // targets must be catalog names
    ['available', 'Smoke break', false],
    ['available', 'constructor', false],
    ['constructor', 'available', false],
  ])('%s → %s: %s', (from, to, allowed) => {
    expect(isTransitionAllowed(testPolicy, from, to)).toBe(allowed);
  });

  it('lists allowed targets in catalog order without the current status', () => {
    expect(allowedTargets(testPolicy, 'offline')).toEqual(['available', 'on-queue']);
    expect(allowedTargets(testPolicy, 'coaching')).toEqual(['offline']);
    expect(allowedTargets(testPolicy, 'Smoke break')).toEqual(['offline']);
    expect(allowedTargets(testPolicy, 'available')).toHaveLength(9);
  });

  it('without a `*` row, a status outside the catalog can go nowhere', () => {
    const policy = policyWith({ transitions: { available: ['*'] } });
    expect(allowedTargets(policy, 'Smoke break')).toEqual([]);
    expect(checkTransition(policy, 'Smoke break', 'available')).toEqual({
      ok: false,
      code: 'not_allowed',
      message: "You can't go from Smoke break to Available. Nothing may follow Smoke break here; ask an admin.",
    });
  });

  it.each([
    ['offline', 'break', "You can't go from Offline to Break. From Offline you can go to Available or On Queue."],
    ['coaching', 'on-queue', "You can't go from Coaching to On Queue. From Coaching you can go to Offline."],
    ['break', 'lunch', "You can't go from Break to Lunch. From Break you can go to Available, On Queue or Offline."],
  ])('refuses %s → %s with what is possible', (from, to, message) => {
    expect(checkTransition(testPolicy, from, to)).toEqual({ ok: false, code: 'not_allowed', message });
  });

  it('accepts listed pairs', () => {
    expect(checkTransition(testPolicy, 'break', 'available')).toEqual({ ok: true });
  });
});
