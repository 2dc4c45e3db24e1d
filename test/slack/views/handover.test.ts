import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  HANDOVER_MODAL_CALLBACK_ID,
  HANDOVER_MODAL_IDS,
  handoverModal,
  parseHandoverModalMetadata,
} from '../../../src/slack/views/handover-modal.js';
import { HANDOVER_POST_MAX_FAILURES, handoverPostMessage } from '../../../src/slack/views/handover-post.js';
import { handoverProgressMessage } from '../../../src/slack/views/handover-progress.js';
import { bigTeam, LONG_TEXT, longName } from './fixtures.js';
import { assertWithinSlackLimits } from './limits.js';

const statuses = [
  { name: 'offline', label: 'Offline' },
  { name: 'on-queue', label: 'On Queue' },
  { name: 'available', label: 'Available' },
];
const metadata = { requestId: 'req-7', teamId: 'billing' };

function input(view: types.ModalView, blockId: string): types.InputBlock {
  const block = view.blocks.find((b): b is types.InputBlock => b.type === 'input' && b.block_id === blockId);
  if (!block) throw new Error(`no input ${blockId}`);
  return block;
}

function groupsOf(block: types.InputBlock) {
  if (block.element.type !== 'multi_static_select') throw new Error('expected a multi_static_select');
  return block.element.option_groups ?? [];
}

describe('handoverModal', () => {
  const team = bigTeam(300);
  const view = handoverModal({ team, statuses, defaultOffStatus: 'offline', defaultOnStatus: 'on-queue', metadata });

  it('fits Slack with 300 members and long names', () => {
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(HANDOVER_MODAL_CALLBACK_ID);
    expect(view.blocks.length).toBeLessThanOrEqual(8);
  });

  it('lists every member exactly once in each picker, grouped by status in chunks of ≤ 100', () => {
    for (const ids of [HANDOVER_MODAL_IDS.outgoing, HANDOVER_MODAL_IDS.incoming]) {
      const block = input(view, ids.block);
      expect(block.element.action_id).toBe(ids.action);
      const groups = groupsOf(block);
      for (const g of groups) expect(g.options.length).toBeLessThanOrEqual(100);
      const values = groups.flatMap((g) => g.options.map((o) => o.value));
      expect(values).toHaveLength(300);
      expect(new Set(values)).toEqual(new Set(team.members.map((m) => m.id)));
    }
  });

  it('puts people working now first when going off shift, and offline people first when coming on', () => {
    const off = groupsOf(input(view, HANDOVER_MODAL_IDS.outgoing.block)).map((g) => g.label.text);
    const on = groupsOf(input(view, HANDOVER_MODAL_IDS.incoming.block)).map((g) => g.label.text);
    expect(off).toEqual([
      'On Queue (1–100 of 150)',
      'On Queue (101–150 of 150)',
      'Available (15)',
      'Break (15)',
      'Lunch (15)',
      'Training (15)',
      'Offline (90)',
    ]);
    expect(on[0]).toBe('Offline (90)');
  });

  it('preselects the default target statuses and has optional notes', () => {
    expect(input(view, HANDOVER_MODAL_IDS.outgoingStatus.block).element).toMatchObject({
      action_id: HANDOVER_MODAL_IDS.outgoingStatus.action,
      initial_option: { value: 'offline' },
    });
    expect(input(view, HANDOVER_MODAL_IDS.incomingStatus.block).element).toMatchObject({
      initial_option: { value: 'on-queue' },
    });
    expect(input(view, HANDOVER_MODAL_IDS.notes.block)).toMatchObject({
      optional: true,
      element: { type: 'plain_text_input', multiline: true, action_id: HANDOVER_MODAL_IDS.notes.action },
    });
  });

  it('carries request and team ids only', () => {
    expect(parseHandoverModalMetadata(view.private_metadata ?? '')).toEqual(metadata);
    expect((view.private_metadata ?? '').length).toBeLessThan(100);
  });

  it('still fits with 12,000 members, saying how many the pickers left out', () => {
    const huge = handoverModal({ team: bigTeam(12_000), statuses, metadata });
    assertWithinSlackLimits(huge);
    expect(JSON.stringify(huge.blocks)).toContain('2000 members do not fit the picker');
  });

  it('has nothing to submit for an empty team', () => {
    const empty = handoverModal({ team: { ...team, members: [] }, statuses, metadata });
    assertWithinSlackLimits(empty);
    expect(empty.submit).toBeUndefined();
  });
});

describe('handoverProgressMessage', () => {
  it('shows done/total and failures', () => {
    const message = handoverProgressMessage({ teamName: 'Billing', done: 38, total: 50, failed: 2 });
    assertWithinSlackLimits(message);
    expect(message.text).toBe('Handover Billing: 38/50 done · 2 failed');
    expect(JSON.stringify(message.blocks)).toContain('38/50 done · 2 failed');
    expect(JSON.stringify(message.blocks)).toContain('in progress');
  });

  it('says when it is finished', () => {
    const message = handoverProgressMessage({ teamName: longName(1), done: 50, total: 50, failed: 0 });
    assertWithinSlackLimits(message);
    expect(JSON.stringify(message.blocks)).toContain('Handover finished');
    expect(JSON.stringify(message.blocks)).toContain('▓'.repeat(20));
  });
});

describe('handoverPostMessage', () => {
  const post = {
    teamName: 'Billing',
    outgoing: { name: 'Sam', slackUserId: 'U0SAM001' },
    incoming: { name: 'Sue', slackUserId: 'U0SUE001' },
    before: [
      { label: 'On Queue', count: 12 },
      { label: 'Offline', count: 30 },
    ],
    after: [
      { label: 'On Queue', count: 20 },
      { label: 'Offline', count: 21 },
      { label: 'Break', count: 1 },
    ],
    changed: 19,
    failures: [{ agentName: 'Erin <e>', reason: 'cap reached: at most 2 on Break' }],
    notes: 'Queue 3 is <noisy> & slow',
    completedAt: '2026-03-02T22:00:00Z',
  };

  it('names both supervisors and shows counts before and after in a table', () => {
    const message = handoverPostMessage(post);
    assertWithinSlackLimits(message);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('<@U0SAM001> handed *Billing* over to <@U0SUE001>: 19 changes, 1 failed.');
    expect(text).toContain(`${'On Queue'.padEnd(20)}     12     20`);
    expect(text).toContain(`${'Offline'.padEnd(20)}     30     21`);
    expect(text).toContain(`${'Break'.padEnd(20)}      0      1`);
    expect(text).toContain('Queue 3 is &lt;noisy&gt; &amp; slow');
    expect(text).toContain('• Erin &lt;e&gt;: cap reached: at most 2 on Break');
    expect(message.text).toBe('Shift handover Billing: Sam → Sue, 19 changed, 1 failed');
  });

  it(`lists ${HANDOVER_POST_MAX_FAILURES} failures, then "+N more", and stays within limits with long everything`, () => {
    const failures = Array.from({ length: 120 }, (_, i) => ({ agentName: longName(i), reason: LONG_TEXT }));
    const message = handoverPostMessage({
      ...post,
      teamName: longName(0),
      outgoing: { name: longName(1) },
      before: Array.from({ length: 200 }, (_, i) => ({ label: longName(i), count: i })),
      failures,
      notes: LONG_TEXT,
    });
    assertWithinSlackLimits(message);
    const failed = message.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*Failed (120)*'));
    const text = failed?.type === 'section' ? (failed.text?.text ?? '') : '';
    const listed = text.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThanOrEqual(HANDOVER_POST_MAX_FAILURES);
    expect(text.endsWith(`+${120 - listed} more`)).toBe(true);
  });

  it('omits notes and failures when there are none', () => {
    const message = handoverPostMessage({ ...post, failures: [], notes: '  ' });
    const text = JSON.stringify(message.blocks);
    expect(text).not.toContain('*Notes*');
    expect(text).not.toContain('*Failed');
    expect(text).toContain('19 changes.');
  });
});
