import { describe, expect, it } from 'vitest';
import { checkDwell } from '../../src/policy/dwell.js';
import { testPolicy } from './fixture.js';

const entered = '2025-03-01T09:00:00.000Z';
const at = (offsetMs: number) => new Date(Date.parse(entered) + offsetMs);

describe('minimum dwell', () => {
  it.each([
    ['break', 60_000],
    ['break', 61_000],
    ['lunch', 300_000],
    ['available', 0],
    ['on-queue', 1],
    ['Smoke break', 0],
  ])('%s may be left %i ms after entering it', (from, offset) => {
    expect(checkDwell(testPolicy, from, entered, at(offset))).toEqual({ ok: true });
  });

  it.each([
    ['break', 0, 60, 'Break lasts at least 60 s; try again in 60 s.'],
    ['break', 20_000, 40, 'Break lasts at least 60 s; try again in 40 s.'],
    ['break', 59_001, 1, 'Break lasts at least 60 s; try again in 1 s.'],
    ['lunch', 40_000, 260, 'Lunch lasts at least 5 min; try again in 4 min 20 s.'],
    ['lunch', 180_000, 120, 'Lunch lasts at least 5 min; try again in 2 min.'],
    // clock skew: entered "in the future" counts as just entered, never longer than the minimum
    ['break', -30_000, 60, 'Break lasts at least 60 s; try again in 60 s.'],
  ])('%s left %i ms after entering: %i s to go', (from, offset, retryAfterSeconds, message) => {
    expect(checkDwell(testPolicy, from, entered, at(offset))).toEqual({
      ok: false,
      code: 'dwell',
      message,
      retryAfterSeconds,
    });
  });

  it('does not enforce an unreadable entry time', () => {
    expect(checkDwell(testPolicy, 'break', 'not a date', at(0))).toEqual({ ok: true });
  });
});
