import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  type AgentChoice,
  parseStatusModalMetadata,
  STATUS_MODAL_CALLBACK_ID,
  STATUS_MODAL_IDS,
  type StatusChoice,
  statusModal,
} from '../../../src/slack/views/status-modal.js';
import { bigTeam, defaultCatalog, hugeCatalog, longName } from './fixtures.js';
import { assertWithinSlackLimits } from './limits.js';

const metadata = { requestId: 'req-1', seenVersion: 'presence-id|IDLE|2026-03-02T14:02:11.000Z' };

function inputBlock(view: types.ModalView, blockId: string): types.InputBlock | undefined {
  return view.blocks.find((b): b is types.InputBlock => b.type === 'input' && b.block_id === blockId);
}

describe('statusModal', () => {
  const catalog: StatusChoice[] = defaultCatalog();

  it('offers the allowed statuses with a free-text reason before one is picked', () => {
    const view = statusModal({
      statuses: catalog,
      current: { label: 'Break', since: '2026-03-02T14:00:00Z' },
      metadata,
    });
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(STATUS_MODAL_CALLBACK_ID);
    const status = inputBlock(view, STATUS_MODAL_IDS.status.block);
    expect(status?.dispatch_action).toBe(true);
    expect(status?.element).toMatchObject({ type: 'static_select', action_id: STATUS_MODAL_IDS.status.action });
    const options = status?.element.type === 'static_select' ? status.element.options : [];
    expect(options?.map((o) => o.value)).toEqual(catalog.map((c) => c.name));
    const reason = inputBlock(view, STATUS_MODAL_IDS.reasonText.block);
    expect(reason?.optional).toBe(true);
    expect(reason?.hint?.text).toBe('Required for: Away');
    expect(JSON.stringify(view.blocks[0])).toContain('Now: *Break* since <!date^');
    expect(view.submit?.text).toBe('Set status');
  });

  it('switches to the fixed reason list of the picked status, required when the status requires one', () => {
    const view = statusModal({ statuses: catalog, selected: 'away', metadata });
    assertWithinSlackLimits(view);
    expect(inputBlock(view, STATUS_MODAL_IDS.reasonText.block)).toBeUndefined();
    const reason = inputBlock(view, STATUS_MODAL_IDS.reasonChoice.block);
    expect(reason?.optional).toBe(false);
    expect(reason?.element).toMatchObject({
      action_id: STATUS_MODAL_IDS.reasonChoice.action,
      options: ['doctor', 'personal', 'it-issue'].map((r) => ({ value: r })),
    });
    const status = inputBlock(view, STATUS_MODAL_IDS.status.block);
    expect(status?.element).toMatchObject({ initial_option: { value: 'away' } });
  });

  it('shows no reason input for a status without reasons, and an optional text for an optional one', () => {
    const none = statusModal({ statuses: catalog, selected: 'meal', metadata });
    expect(none.blocks.some((b) => b.block_id?.startsWith('reason'))).toBe(false);
    const optional = statusModal({ statuses: catalog, selected: 'break', metadata });
    expect(inputBlock(optional, STATUS_MODAL_IDS.reasonText.block)).toMatchObject({
      optional: true,
      hint: { text: 'Break: reason optional' },
    });
  });

  it('gives supervisors a grouped agent picker that fits Slack for 300 agents', () => {
    const agents: AgentChoice[] = [
      ...bigTeam(300, 'billing').members.map((m) => ({
        id: m.id,
        name: m.name,
        statusLabel: m.statusLabel,
        teamName: 'Billing',
      })),
      { id: 'support-1', name: longName(9999), teamName: 'Support' },
    ];
    const view = statusModal({ statuses: catalog, agents, metadata });
    assertWithinSlackLimits(view);
    const picker = inputBlock(view, STATUS_MODAL_IDS.agents.block);
    expect(picker?.optional).toBe(true);
    if (picker?.element.type !== 'multi_static_select') throw new Error('expected a multi_static_select');
    const groups = picker.element.option_groups ?? [];
    expect(groups.map((g) => g.label.text)).toEqual([
      'Billing (1–100 of 300)',
      'Billing (101–200 of 300)',
      'Billing (201–300 of 300)',
      'Support (1)',
    ]);
    expect(groups[0]?.options[0]?.text.text).toMatch(/… · On Queue$/);
    const values = groups.flatMap((g) => g.options.map((o) => o.value));
    expect(new Set(values)).toEqual(new Set(agents.map((a) => a.id)));
  });

  it('has no agent picker for agents', () => {
    const view = statusModal({ statuses: catalog, metadata });
    expect(inputBlock(view, STATUS_MODAL_IDS.agents.block)).toBeUndefined();
  });

  it('carries only the request id and seen version, and reads them back', () => {
    const view = statusModal({ statuses: catalog, metadata });
    expect(JSON.parse(view.private_metadata ?? '')).toEqual(metadata);
    expect(parseStatusModalMetadata(view.private_metadata ?? '')).toEqual(metadata);
    expect(() => parseStatusModalMetadata('{"requestId":""}')).toThrow();
    expect(() =>
      statusModal({ statuses: catalog, metadata: { requestId: 'r', seenVersion: 'v'.repeat(501) } }),
    ).toThrow();
  });

  it('stays within limits for a huge catalog with long labels and reason lists', () => {
    const statuses = hugeCatalog(150);
    assertWithinSlackLimits(statusModal({ statuses, metadata }));
    assertWithinSlackLimits(statusModal({ statuses, selected: 'status-0', metadata }));
  });

  it('explains when nothing is allowed now and offers no submit', () => {
    const view = statusModal({ statuses: [], current: { label: 'Meal' }, metadata });
    assertWithinSlackLimits(view);
    expect(view.submit).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain('No status change is allowed');
  });
});
