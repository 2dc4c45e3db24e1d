import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { CONFLICT_ACTIONS, CONFLICT_BLOCK_ID, conflictMessage } from '../../../src/slack/views/conflict.js';
import { longName } from './fixtures.js';
import { assertWithinSlackLimits } from './limits.js';

const base = {
  seenLabel: 'Break',
  currentLabel: 'On Queue',
  changedAt: '2026-03-02T14:02:11Z',
  requestedLabel: 'Lunch',
  tokenId: 'c0nfl1ct-token_42',
};

function buttons(message: ReturnType<typeof conflictMessage>): types.Button[] {
  const actions = message.blocks.find((b): b is types.ActionsBlock => b.type === 'actions');
  return (actions?.elements ?? []).filter((e): e is types.Button => e.type === 'button');
}

describe('conflictMessage', () => {
  it('names what the user saw and what it is now, with the time of the change', () => {
    const message = conflictMessage(base);
    assertWithinSlackLimits(message);
    const text = JSON.stringify(message.blocks[0]);
    expect(text).toContain('You saw *Break*, it is now *On Queue* (changed <!date^');
    expect(text).toContain('|14:02:11 UTC>');
    expect(text).toContain('You asked for *Lunch*');
    expect(message.text).toBe('You saw Break, it is now On Queue. Apply Lunch anyway?');
  });

  it('offers Apply anyway / Keep current / Refresh, each carrying only the token id', () => {
    const message = conflictMessage(base);
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions?.block_id).toBe(CONFLICT_BLOCK_ID);
    expect(buttons(message).map((b) => [b.text.text, b.action_id, b.value])).toEqual([
      ['Apply anyway', CONFLICT_ACTIONS.applyAnyway, base.tokenId],
      ['Keep current', CONFLICT_ACTIONS.keepCurrent, base.tokenId],
      ['Refresh', CONFLICT_ACTIONS.refresh, base.tokenId],
    ]);
  });

  it('names the agent for a supervisor and copes with an unseen state', () => {
    const forAgent = conflictMessage({ ...base, subject: { name: 'Alice', slackUserId: 'U0ALICE1' } });
    expect(JSON.stringify(forAgent.blocks[0])).toContain('You saw <@U0ALICE1> on *Break*, it is now *On Queue*');
    const unseen = conflictMessage({ ...base, seenLabel: undefined });
    expect(JSON.stringify(unseen.blocks[0])).toContain('Your status changed to *On Queue*');
  });

  it('refuses a token that is not an opaque id', () => {
    expect(() => conflictMessage({ ...base, tokenId: '{"agent":"x","status":"y"}' })).toThrow(RangeError);
    expect(() => conflictMessage({ ...base, tokenId: 't'.repeat(201) })).toThrow(RangeError);
  });

  it('stays within limits with long labels and names', () => {
    assertWithinSlackLimits(
      conflictMessage({
        ...base,
        seenLabel: longName(1).repeat(3),
        currentLabel: longName(2).repeat(3),
        requestedLabel: longName(3).repeat(3),
        subject: { name: longName(4) },
      }),
    );
  });
});
