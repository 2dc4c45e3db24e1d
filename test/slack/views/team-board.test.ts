import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  groupByStatus,
  type TeamBoardInput,
  teamBoardBlocks,
  teamBoardMessage,
} from '../../../src/slack/views/team-board.js';
import { bigTeam } from './fixtures.js';
import { assertWithinSlackLimits } from './limits.js';

const sectionTexts = (blocks: types.KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

describe('team board', () => {
  const team = bigTeam(300);

  it('summarizes a 300-agent team in one message: counts, caps, floor, members by status', () => {
    const message = teamBoardMessage(team);
    assertWithinSlackLimits(message);
    expect(message.text).toContain('150 on queue of 300');
    const [summary, ...groups] = sectionTexts(message.blocks);
    expect(summary).toContain('On Queue: *150* (floor 200 :warning: below floor)');
    expect(summary).toContain('*Break*: 15 / cap 2 :warning: over cap');
    expect(summary).toContain('*Lunch*: 15 / cap 40');
    expect(summary).toContain('*Meeting*: 0 / cap 3'); // a cap shows even with nobody in the status
    expect(summary).toContain('*Offline*: 90');
    expect(groups[0]).toMatch(/^\*On Queue\* \(150\)\n/);
    expect(groups[0]).toMatch(/, \+110 more$/); // 40 names, then the rest counted
    expect(groups[0]).not.toContain('<b>');
    expect(groups[0]).toContain('&lt;b&gt;&amp;amp;');
  });

  it('orders On Queue first, then by size', () => {
    expect(groupByStatus(team).map((g) => g.label)).toEqual([
      'On Queue',
      'Offline',
      'Available',
      'Break',
      'Lunch',
      'Training',
      'Meeting',
    ]);
  });

  it('respects any block budget, folding statuses that do not fit', () => {
    for (let budget = 1; budget <= 12; budget += 1) {
      const blocks = teamBoardBlocks(team, budget);
      expect(blocks.length, `budget ${budget}`).toBeLessThanOrEqual(budget);
      assertWithinSlackLimits({ text: 'board', blocks });
    }
    const tight = sectionTexts(teamBoardBlocks(team, 5));
    expect(tight.at(-1)).toBe('+5 more statuses (counts above)');
  });

  it('stays within limits with 80 statuses and 3000 members', () => {
    const members = Array.from({ length: 3000 }, (_, i) => ({
      id: `m-${i}`,
      name: `Member ${i} ${'x'.repeat(100)}`,
      status: `s-${i % 80}`,
      statusLabel: `Status ${i % 80} ${'long '.repeat(30)}`,
      systemPresence: 'BUSY' as const,
    }));
    const board: TeamBoardInput = { ...team, members, caps: {} };
    const message = teamBoardMessage(board);
    assertWithinSlackLimits(message);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });
});
