import { describe, expect, it } from 'vitest';
import { type ParsedCommand, parseCommand } from '../../src/slack/grammar.js';

const statuses = ['available', 'on-queue', 'on queue', 'break', 'brb', 'lunch', 'away'];
const context = {
  isStatus: (text: string) => statuses.includes(text.toLowerCase()),
  statusNames: ['available', 'on-queue', 'break', 'lunch', 'away'],
};

describe('parseCommand', () => {
  it.each<[string, ParsedCommand]>([
    ['', { kind: 'picker' }],
    ['  HELP ', { kind: 'help' }],
    ['brb coffee run', { kind: 'set', status: 'brb', reason: 'coffee run' }],
    ['On Queue', { kind: 'set', status: 'On Queue' }],
    ['on queue ready now', { kind: 'set', status: 'on queue', reason: 'ready now' }],
    ['<@U123|alice> lunch', { kind: 'set', user: 'U123', status: 'lunch' }],
    [
      '<@U123> away override doctor visit',
      { kind: 'set', user: 'U123', status: 'away', reason: 'doctor visit', overrideFloor: true },
    ],
    ['brk', { kind: 'set', status: 'brk' }],
    ['show', { kind: 'show' }],
    ['who <@U9>', { kind: 'show', user: 'U9' }],
    ['show Billing', { kind: 'show', team: 'billing' }],
    ['handover Support', { kind: 'handover', team: 'support' }],
    ['undo', { kind: 'undo' }],
    ['history', { kind: 'history' }],
    ['history <@U7|bob>', { kind: 'history', user: 'U7' }],
    ['payroll', { kind: 'payroll' }],
    // Slack's escapes are undone exactly once; mentions are only what Slack itself escaped as one
    ['busy R&amp;D &lt;sync&gt;', { kind: 'set', status: 'busy', reason: 'R&D <sync>' }],
    ['busy &amp;lt;', { kind: 'set', status: 'busy', reason: '&lt;' }],
    ['&lt;@U123&gt; lunch', { kind: 'set', status: '<@U123>', reason: 'lunch' }],
    ['show R&amp;D', { kind: 'show', team: 'r&d' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text, context)).toEqual(expected);
  });

  it.each([
    ['help me', /help takes no arguments/],
    ['undo twice', /undo takes no arguments/],
    ['handover', /use `handover <team>`/],
    ['handover <@U1>', /use `handover <team>`/],
    ['history bob', /use `history` or `history @user`/],
    ['show a b', /use `show`/],
    ['<@U1>', /say which status/],
    ['@alice break', /pick the person from Slack's @-menu/],
    ['histroy', /Did you mean `history`/],
    ['x'.repeat(1001), /a command can be at most 1000 characters; this one has 1001/],
    [`brb ${'y'.repeat(40_000)}`, /at most 1000 characters/],
  ])('explains "%s"', (text, message) => {
    const parsed = parseCommand(text, context);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });
});
