import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../../src/domain/transition.js';
import { escapeMrkdwn } from '../../../src/slack/views/blocks.js';
import { outcomeMessage } from '../../../src/slack/views/outcome.js';
import { LONG_TEXT, longName } from './fixtures.js';
import { assertWithinSlackLimits } from './limits.js';

const snapshot = (label: string): StatusSnapshot => ({
  status: label.toLowerCase(),
  presenceId: `id-${label}`,
  presenceLabel: label,
  routingStatus: 'IDLE',
});

describe('outcomeMessage', () => {
  it('applied: from → to, with the time and the undo hint', () => {
    const message = outcomeMessage({
      kind: 'applied',
      from: snapshot('Break'),
      to: snapshot('On Queue'),
      version: 'v',
      changedAt: '2026-03-02T14:02:11Z',
    });
    assertWithinSlackLimits(message);
    expect(message.text).toBe('Your status: Break → On Queue');
    expect(JSON.stringify(message.blocks)).toContain('Your status: *Break* → *On Queue*');
    expect(JSON.stringify(message.blocks)).toContain('/agent-status undo');
  });

  it("names the agent when it is someone else's status", () => {
    const message = outcomeMessage(
      { kind: 'noop', current: snapshot('Lunch'), version: 'v' },
      { name: 'Alice', slackUserId: 'U0ALICE1' },
    );
    expect(JSON.stringify(message.blocks)).toContain("<@U0ALICE1>'s status is already *Lunch*; nothing changed.");
    expect(message.text).toBe("Alice's status is already Lunch");
  });

  it('refused: the plain-text message escaped once, the people it names as mentions, and the suggestions', () => {
    const message = outcomeMessage({
      kind: 'refused',
      code: 'unknown_status',
      message: 'Unknown status "<!channel> brk". Ask U0SAM.',
      people: ['U0SAM', 'sam@example.com'],
      suggestions: ['break', 'brb'],
    });
    assertWithinSlackLimits(message);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Unknown status \\"&lt;!channel&gt; brk\\". Ask <@U0SAM>.');
    expect(text).not.toContain('&amp;');
    expect(text).toContain('Try: `break`, `brb`');
  });

  it('failed: a retry hint that depends on whether retrying can help', () => {
    const temporary = outcomeMessage({ kind: 'failed', retryable: true, message: 'Genesys answered 503' });
    expect(JSON.stringify(temporary.blocks)).toContain('try again in a minute');
    const permanent = outcomeMessage({ kind: 'failed', retryable: false, message: 'missing permission' });
    expect(JSON.stringify(permanent.blocks)).toContain('Trying again will not help');
  });

  it('stays within limits with huge messages, labels and suggestion lists', () => {
    const long = snapshot(longName(1).repeat(5));
    for (const message of [
      outcomeMessage(
        { kind: 'applied', from: long, to: long, version: 'v', changedAt: 'garbage' },
        { name: longName(2) },
      ),
      outcomeMessage({ kind: 'noop', current: long, version: 'v' }),
      outcomeMessage({
        kind: 'refused',
        code: 'cap_reached',
        message: escapeMrkdwn(LONG_TEXT),
        suggestions: Array.from({ length: 200 }, (_, i) => `${longName(i)}`),
      }),
      outcomeMessage({ kind: 'failed', retryable: true, message: escapeMrkdwn(LONG_TEXT) }),
    ]) {
      assertWithinSlackLimits(message);
      expect(message.text.length).toBeLessThanOrEqual(300);
    }
  });
});
