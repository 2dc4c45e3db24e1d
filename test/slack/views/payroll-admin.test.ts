import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  type DeadEventRow,
  PAYROLL_ADMIN_ACTIONS,
  PAYROLL_ADMIN_MAX_DEAD_SHOWN,
  payrollAdminMessage,
} from '../../../src/slack/views/payroll-admin.js';
import { LONG_TEXT, longName } from './fixtures.js';
import { assertWithinSlackLimits } from './limits.js';

const dead = (i: number): DeadEventRow => ({
  eventId: `evt_${i}`,
  email: `agent${i}@example.com`,
  from: 'Break',
  to: 'On Queue',
  changedAt: '2026-03-02T14:02:11Z',
  attempts: 8,
  lastError: 'HTTP 500 <html>',
});

function buttons(message: ReturnType<typeof payrollAdminMessage>): types.Button[] {
  return message.blocks.flatMap((b) => {
    if (b.type === 'actions') return b.elements.filter((e): e is types.Button => e.type === 'button');
    if (b.type === 'section' && b.accessory?.type === 'button') return [b.accessory];
    return [];
  });
}

describe('payrollAdminMessage', () => {
  it('shows the three counts and one Replay button per dead event, carrying the event id', () => {
    const message = payrollAdminMessage({
      pending: 4,
      deliveredUnacked: 2,
      dead: 3,
      deadEvents: [dead(1), dead(2), dead(3)],
      refreshedAt: '2026-03-02T14:05:00Z',
    });
    assertWithinSlackLimits(message);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('*Pending*\\n4');
    expect(text).toContain('*Delivered, not acknowledged*\\n2');
    expect(text).toContain('*Dead*\\n3');
    expect(text).toContain('Last error: HTTP 500 &lt;html&gt;');
    const replay = buttons(message).filter((b) => b.action_id === PAYROLL_ADMIN_ACTIONS.replay);
    expect(replay.map((b) => b.value)).toEqual(['evt_1', 'evt_2', 'evt_3']);
    const all = buttons(message).find((b) => b.action_id === PAYROLL_ADMIN_ACTIONS.replayAllDead);
    expect(all?.text.text).toBe('Replay all dead (3)');
    expect(all?.confirm).toBeDefined();
    expect(message.text).toBe('Payroll webhooks: 4 pending, 2 delivered not acknowledged, 3 dead');
  });

  it(`lists at most ${PAYROLL_ADMIN_MAX_DEAD_SHOWN} dead events and counts the rest`, () => {
    const events = Array.from({ length: 500 }, (_, i) => ({ ...dead(i), email: longName(i), lastError: LONG_TEXT }));
    const message = payrollAdminMessage({
      pending: 0,
      deliveredUnacked: 0,
      dead: 500,
      deadEvents: events,
      refreshedAt: 'x',
    });
    assertWithinSlackLimits(message);
    expect(buttons(message).filter((b) => b.action_id === PAYROLL_ADMIN_ACTIONS.replay)).toHaveLength(
      PAYROLL_ADMIN_MAX_DEAD_SHOWN,
    );
    expect(JSON.stringify(message.blocks)).toContain('480 more dead events not listed');
  });

  it('has no Replay all when nothing is dead', () => {
    const message = payrollAdminMessage({ pending: 1, deliveredUnacked: 0, dead: 0, deadEvents: [], refreshedAt: 'x' });
    assertWithinSlackLimits(message);
    expect(buttons(message).map((b) => b.action_id)).toEqual([PAYROLL_ADMIN_ACTIONS.refresh]);
  });
});
