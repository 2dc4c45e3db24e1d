import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { HOME_ACTIONS, HOME_SET_STATUS_ACTION, homeView, parseHomeMetadata } from '../../../src/slack/views/home.js';
import { bigTeam, longName } from './fixtures.js';
import { assertWithinSlackLimits } from './limits.js';

const quick = [
  { name: 'on-queue', label: 'On Queue' },
  { name: 'break', label: 'Break' },
  { name: 'lunch', label: 'Lunch' },
];
const base = {
  me: { statusLabel: 'Available', since: '2026-03-02T13:00:00Z', reason: 'back <soon>' },
  quickStatuses: quick,
  boards: [],
  refreshedAt: '2026-03-02T14:02:11Z',
  metadata: { seenVersion: 'p|IDLE|2026-03-02T13:00:00Z' },
};

type Block = types.HomeView['blocks'][number];
const isActions = (b: Block): b is types.ActionsBlock => b.type === 'actions';
const isHeader = (b: Block): b is types.HeaderBlock => b.type === 'header';

const buttonsOf = (view: types.HomeView) =>
  view.blocks.filter(isActions).flatMap((b) => b.elements.filter((e): e is types.Button => e.type === 'button'));

describe('homeView', () => {
  it('shows my status with one quick button per status allowed now', () => {
    const view = homeView(base);
    assertWithinSlackLimits(view);
    expect(JSON.stringify(view.blocks)).toContain('*Available* since <!date^');
    expect(JSON.stringify(view.blocks)).toContain('_back &lt;soon&gt;_');
    const quickButtons = buttonsOf(view).filter((b) => HOME_SET_STATUS_ACTION.test(b.action_id ?? ''));
    expect(quickButtons.map((b) => [b.text.text, b.action_id, b.value])).toEqual([
      ['On Queue', 'home_set_status:on-queue', 'on-queue'],
      ['Break', 'home_set_status:break', 'break'],
      ['Lunch', 'home_set_status:lunch', 'lunch'],
    ]);
    expect(buttonsOf(view).some((b) => b.action_id === HOME_ACTIONS.refresh)).toBe(true);
    expect(JSON.stringify(view.blocks)).toContain('Last refreshed <!date^');
    expect(parseHomeMetadata(view.private_metadata ?? '')).toEqual(base.metadata);
  });

  it('splits many quick statuses into rows of at most 25', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ name: `s-${i}`, label: longName(i) }));
    const view = homeView({ ...base, quickStatuses: many });
    assertWithinSlackLimits(view);
    const rows = view.blocks.filter(isActions).filter((b) => b.block_id?.startsWith('home_quick_'));
    expect(rows.map((r) => r.elements.length)).toEqual([25, 25]);
  });

  it('explains an account not linked to Genesys', () => {
    const view = homeView({ ...base, me: undefined, quickStatuses: [] });
    assertWithinSlackLimits(view);
    expect(JSON.stringify(view.blocks)).toContain('not linked to a Genesys Cloud user');
  });

  it("shows a supervisor's three 300-agent teams within 100 blocks, each with a handover button", () => {
    const boards = ['billing', 'support', 'sales'].map((id) => bigTeam(300, id));
    const view = homeView({ ...base, boards });
    assertWithinSlackLimits(view);
    const handovers = buttonsOf(view).filter((b) => b.action_id === HOME_ACTIONS.handover);
    expect(handovers.map((b) => b.value)).toEqual(['billing', 'support', 'sales']);
    const headers = view.blocks.filter(isHeader).map((b) => b.text.text);
    expect(headers.filter((h) => h.includes('300 agents'))).toHaveLength(3);
  });

  it('folds teams that do not fit into one line', () => {
    const boards = Array.from({ length: 40 }, (_, i) => bigTeam(300, `team-${i}`));
    const view = homeView({ ...base, boards });
    assertWithinSlackLimits(view);
    expect(JSON.stringify(view.blocks)).toContain('Also yours: team-');
  });
});
