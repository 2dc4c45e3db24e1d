import { describe, expect, it } from 'vitest';
import { checkReason } from '../../src/policy/reasons.js';
import { testPolicy } from './fixture.js';

describe('reasons', () => {
  it.each([
    // none: no reason, or a blank one
    ['available', undefined, undefined],
    ['available', '  ', undefined],
    // optional free text: kept trimmed, blank is absent
    ['busy', undefined, undefined],
    ['busy', '  writing a report ', 'writing a report'],
    ['busy', '   ', undefined],
    // required from a list: case and spacing do not matter, the policy's spelling is kept
    ['away', 'doctor', 'doctor'],
    ['away', 'DOCTOR', 'doctor'],
    ['away', 'it-issue', 'IT issue'],
    ['away', ' it issue ', 'IT issue'],
    // required free text
    ['coaching', 'with Sam', 'with Sam'],
  ])('%s with %j → ok, records %j', (status, reason, recorded) => {
    expect(checkReason(testPolicy, status, reason)).toEqual({ ok: true, reason: recorded });
  });

  it.each([
    ['away', undefined, 'reason_missing', 'Away needs a reason. Choose doctor, personal or IT issue.'],
    ['away', ' ', 'reason_missing', 'Away needs a reason. Choose doctor, personal or IT issue.'],
    ['away', 'dentist', 'reason_invalid', '"dentist" isn\'t a reason for Away. Choose doctor, personal or IT issue.'],
    ['coaching', undefined, 'reason_missing', 'Coaching needs a reason. Say briefly why.'],
    // a reason for a status that takes none is refused rather than silently dropped
    [
      'available',
      'back from lunch',
      'reason_not_taken',
      'Available takes no reason: send it again without "back from lunch".',
    ],
    // longer than Genesys's presence message takes: refused with the limit, never cut
    [
      'coaching',
      'x'.repeat(201),
      'reason_too_long',
      'A reason can be at most 200 characters (Genesys shows it as the status message); yours has 201.',
    ],
    [
      'away',
      '<@U123> & me',
      'reason_invalid',
      // Plain text: escaping for Slack is the Slack adapter's job.
      '"<@U123> & me" isn\'t a reason for Away. Choose doctor, personal or IT issue.',
    ],
  ])('%s with %j → %s', (status, reason, code, message) => {
    expect(checkReason(testPolicy, status, reason)).toEqual({ ok: false, code, message });
  });

  it('accepts 200 characters, and a reason on a status that takes none when it is for a floor override', () => {
    expect(checkReason(testPolicy, 'coaching', 'y'.repeat(200))).toEqual({ ok: true, reason: 'y'.repeat(200) });
    expect(checkReason(testPolicy, 'available', 'short-staffed', { forFloorOverride: true })).toEqual({ ok: true });
  });
});
