import { describe, expect, it } from 'vitest';
import {
  actionOf,
  blockActionsPayload,
  findButton,
  findInput,
  findSelect,
  initialStateValue,
  inputsOf,
  slashCommandForm,
  stateValueFor,
  stateValues,
  viewSubmissionPayload,
} from '../../src/demo/console/payloads.js';
import type { MessageSurface, ViewSurface } from '../../src/demo/console/surfaces.js';
import { viewWithIds, withIds } from '../../src/demo/console/surfaces.js';
import { conflictMessage } from '../../src/slack/views/conflict.js';
import { statusModal } from '../../src/slack/views/status-modal.js';
import { defaultCatalog } from '../slack/views/fixtures.js';

const user = { id: 'UALICE', username: 'alice' };
const users: Record<string, string> = { alice: 'UALICE', bob: 'UBOB' };
const resolveUser = (who: string) => users[who];

function conflictSurface(ephemeral: boolean): MessageSurface {
  const message = conflictMessage({
    seenLabel: 'On Queue',
    currentLabel: 'Meal',
    changedAt: '2026-01-01T14:02:11Z',
    requestedLabel: 'Break',
    tokenId: 'tok-1',
  });
  return {
    kind: 'message',
    origin: 'chat.postEphemeral',
    ts: '1700000000.000100',
    channel: 'C0CONSOLE',
    ephemeral,
    text: message.text,
    blocks: withIds(message.blocks),
    responseUrls: [],
    seq: 1,
  };
}

function modalSurface(): ViewSurface {
  const statuses = defaultCatalog().filter((s) => ['break', 'away', 'available'].includes(s.name));
  const view = statusModal({ statuses, selected: 'away', metadata: { requestId: 'req-1', seenVersion: 'v1' } });
  return {
    kind: 'view',
    origin: 'views.open',
    id: 'V123',
    view: viewWithIds(view as unknown as Record<string, unknown>),
    seq: 2,
  };
}

describe('finding what a person means', () => {
  it('finds a button by label, case and punctuation aside, or by a unique prefix or action id', () => {
    const surfaces = [conflictSurface(true)];
    for (const label of ['Apply anyway', 'apply ANYWAY', 'apply', 'conflict_keep_current']) {
      expect(findButton(surfaces, label)).toMatchObject({ ok: true });
    }
    expect(findButton(surfaces, 'keep')).toMatchObject({
      ok: true,
      value: { label: 'Keep current', blockId: 'conflict_actions' },
    });
    expect(findButton(surfaces, 'Nope')).toEqual({
      ok: false,
      message: 'no button "Nope"; choices: "Apply anyway", "Keep current", "Refresh"',
    });
    expect(findButton([], 'x')).toEqual({ ok: false, message: 'the last answer has no buttons' });
  });

  it('prefers the earlier surface when the same label appears twice, and refuses an ambiguous prefix', () => {
    const newer = conflictSurface(true);
    const older = { ...conflictSurface(false), ts: '1.2' };
    const found = findButton([newer, older], 'Refresh');
    expect(found.ok && found.value.surface).toBe(newer);
    const twoLabels: MessageSurface = {
      ...newer,
      blocks: withIds([
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'On Queue' }, action_id: 'a' },
            { type: 'button', text: { type: 'plain_text', text: 'Offline' }, action_id: 'b' },
          ],
        },
      ]),
    };
    expect(findButton([twoLabels], 'o')).toEqual({
      ok: false,
      message: '"o" could be "On Queue" or "Offline"; say which',
    });
  });

  it('finds modal fields by label, block id or action id', () => {
    const inputs = inputsOf(modalSurface().view);
    expect(inputs.map((i) => [i.label, i.blockId, i.dispatch])).toEqual([
      ['New status', 'status', true],
      ['Reason for Away', 'reason_choice', false],
    ]);
    expect(findInput(inputs, 'reason')).toMatchObject({ ok: true, value: { blockId: 'reason_choice' } });
    expect(findInput(inputs, 'New status')).toMatchObject({ ok: true, value: { blockId: 'status' } });
    expect(findInput(inputs, 'status_select')).toMatchObject({ ok: true, value: { blockId: 'status' } });
  });

  it('finds menus, but not buttons, with --select', () => {
    const found = findSelect([modalSurface()], 'status');
    expect(found).toMatchObject({ ok: true, value: { blockId: 'status', element: { type: 'static_select' } } });
    expect(findSelect([conflictSurface(true)], 'x')).toEqual({
      ok: false,
      message: 'the last answer has no menus to choose from',
    });
  });
});

describe('state values, as Slack reports them', () => {
  const options = [
    { text: { type: 'plain_text', text: 'On Queue' }, value: 'on-queue' },
    { text: { type: 'plain_text', text: 'Offline' }, value: 'offline' },
  ];
  it.each<[string, Record<string, unknown>, string, unknown]>([
    ['text', { type: 'plain_text_input' }, 'long coffee', { type: 'plain_text_input', value: 'long coffee' }],
    [
      'a select by value',
      { type: 'static_select', options },
      'offline',
      { type: 'static_select', selected_option: options[1] },
    ],
    [
      'a select by label',
      { type: 'static_select', options },
      'on queue',
      { type: 'static_select', selected_option: options[0] },
    ],
    [
      'a select by prefix',
      { type: 'static_select', options },
      'off',
      { type: 'static_select', selected_option: options[1] },
    ],
    [
      'a grouped multi-select by labels',
      { type: 'multi_static_select', option_groups: [{ label: { type: 'plain_text', text: 'G' }, options }] },
      'On Queue, offline',
      { type: 'multi_static_select', selected_options: options },
    ],
    [
      'radio buttons',
      { type: 'radio_buttons', options },
      'Offline',
      { type: 'radio_buttons', selected_option: options[1] },
    ],
    ['checkboxes', { type: 'checkboxes', options }, 'offline', { type: 'checkboxes', selected_options: [options[1]] }],
    ['a user by handle', { type: 'users_select' }, 'bob', { type: 'users_select', selected_user: 'UBOB' }],
    [
      'users',
      { type: 'multi_users_select' },
      'alice,bob',
      { type: 'multi_users_select', selected_users: ['UALICE', 'UBOB'] },
    ],
    [
      'a channel',
      { type: 'channels_select' },
      'C0BILLING01',
      { type: 'channels_select', selected_channel: 'C0BILLING01' },
    ],
    [
      'a conversation',
      { type: 'conversations_select' },
      'C1',
      { type: 'conversations_select', selected_conversation: 'C1' },
    ],
    ['a date', { type: 'datepicker' }, '2026-01-31', { type: 'datepicker', selected_date: '2026-01-31' }],
    ['a time', { type: 'timepicker' }, '09:30', { type: 'timepicker', selected_time: '09:30' }],
    ['a number', { type: 'number_input' }, '5', { type: 'number_input', value: '5' }],
  ])('%s', (_name, element, raw, expected) => {
    expect(stateValueFor(element, raw, resolveUser)).toEqual({ ok: true, value: expected });
  });

  it('says what is wrong with an unknown option or user', () => {
    expect(stateValueFor({ type: 'static_select', options }, 'lunch', resolveUser)).toEqual({
      ok: false,
      message: 'no option "lunch"; choices: "On Queue", "Offline"',
    });
    expect(stateValueFor({ type: 'users_select' }, 'zed', resolveUser)).toEqual({
      ok: false,
      message: 'no demo user "zed"',
    });
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ['an untouched select', { type: 'static_select', options }, { type: 'static_select', selected_option: null }],
    [
      'a preselected select',
      { type: 'static_select', options, initial_option: options[1] },
      { type: 'static_select', selected_option: options[1] },
    ],
    ['an empty text field', { type: 'plain_text_input' }, { type: 'plain_text_input', value: null }],
    [
      'a prefilled text field',
      { type: 'plain_text_input', initial_value: 'hi' },
      { type: 'plain_text_input', value: 'hi' },
    ],
    [
      'an empty multi-select',
      { type: 'multi_static_select', options },
      { type: 'multi_static_select', selected_options: [] },
    ],
    ['a users select', { type: 'users_select', initial_user: 'UBOB' }, { type: 'users_select', selected_user: 'UBOB' }],
  ])('initial state of %s', (_name, element, expected) => {
    expect(initialStateValue(element)).toEqual(expected);
  });

  it('reports every input of a modal, typed or initial, under its block and action ids', () => {
    const modal = modalSurface();
    const typed = new Map([
      [
        'reason_choice',
        { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'doctor' }, value: 'doctor' } },
      ],
    ]);
    const values = stateValues(modal.view, typed);
    expect(Object.keys(values)).toEqual(['status', 'reason_choice']);
    expect(values.status!.status_select).toMatchObject({ type: 'static_select', selected_option: { value: 'away' } });
    expect(values.reason_choice!.reason_select).toMatchObject({ selected_option: { value: 'doctor' } });
  });
});

describe('payloads', () => {
  it('builds a slash command form with every field Slack sends', () => {
    const form = new URLSearchParams(
      slashCommandForm({
        command: '/agent-status',
        text: 'break coffee',
        user,
        responseUrl: 'http://r/1',
        triggerId: 't.1',
      }),
    );
    expect(Object.fromEntries(form)).toEqual({
      token: 'console-verification-token',
      team_id: 'T0DEMO',
      team_domain: 'demo',
      channel_id: 'C0CONSOLE',
      channel_name: 'console',
      user_id: 'UALICE',
      user_name: 'alice',
      command: '/agent-status',
      text: 'break coffee',
      api_app_id: 'A0DEMO',
      is_enterprise_install: 'false',
      response_url: 'http://r/1',
      trigger_id: 't.1',
    });
  });

  it('a button on an ephemeral message: container, response_url, no message (Slack sends none)', () => {
    const found = findButton([conflictSurface(true)], 'Apply anyway');
    if (!found.ok) throw new Error(found.message);
    const payload = blockActionsPayload({
      user,
      found: found.value,
      action: actionOf(found.value, '1.5'),
      triggerId: 't.2',
      responseUrl: 'http://r/2',
    });
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'UALICE', username: 'alice', team_id: 'T0DEMO' },
      trigger_id: 't.2',
      response_url: 'http://r/2',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0CONSOLE', is_ephemeral: true },
      channel: { id: 'C0CONSOLE', name: 'console' },
      actions: [
        {
          type: 'button',
          action_id: 'conflict_apply_anyway',
          block_id: 'conflict_actions',
          value: 'tok-1',
          style: 'danger',
          text: { type: 'plain_text', text: 'Apply anyway' },
          action_ts: '1.5',
        },
      ],
    });
    expect(payload).not.toHaveProperty('message');
    const inChannel = findButton([conflictSurface(false)], 'Refresh');
    if (!inChannel.ok) throw new Error(inChannel.message);
    const withMessage = blockActionsPayload({
      user,
      found: inChannel.value,
      action: actionOf(inChannel.value, '1.6'),
      triggerId: 't',
      responseUrl: 'u',
    });
    expect(withMessage.message).toMatchObject({ type: 'message', ts: '1700000000.000100', blocks: expect.any(Array) });
  });

  it('a menu choice in a modal: view container, the view with its state, the selected option', () => {
    const modal = modalSurface();
    const found = findSelect([modal], 'status');
    if (!found.ok) throw new Error(found.message);
    const value = stateValueFor(found.value.element, 'break', resolveUser);
    if (!value.ok) throw new Error(value.message);
    const payload = blockActionsPayload({
      user,
      found: found.value,
      action: actionOf(found.value, '2.5', value.value),
      triggerId: 't.3',
      responseUrl: 'unused',
      values: stateValues(modal.view, new Map([['status', value.value]])),
    });
    expect(payload).toMatchObject({
      container: { type: 'view', view_id: 'V123' },
      view: {
        id: 'V123',
        callback_id: 'agent_status_modal',
        private_metadata: JSON.stringify({ requestId: 'req-1', seenVersion: 'v1' }),
        state: { values: { status: { status_select: { selected_option: { value: 'break' } } } } },
      },
      actions: [
        { type: 'static_select', action_id: 'status_select', block_id: 'status', selected_option: { value: 'break' } },
      ],
    });
    expect(payload).not.toHaveProperty('response_url');
  });

  it('a view submission carries the view, its metadata and state', () => {
    const modal = modalSurface();
    const values = stateValues(modal.view, new Map());
    expect(viewSubmissionPayload({ user, surface: modal, values, triggerId: 't.4' })).toMatchObject({
      type: 'view_submission',
      team: { id: 'T0DEMO' },
      user: { id: 'UALICE' },
      trigger_id: 't.4',
      view: { id: 'V123', type: 'modal', callback_id: 'agent_status_modal', state: { values } },
      response_urls: [],
    });
  });

  it('gives blocks and elements ids the way Slack does when the app leaves them out', () => {
    expect(
      withIds([
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: { type: 'button', text: { type: 'plain_text', text: 'Go' } },
        },
        { type: 'actions', block_id: 'kept', elements: [{ type: 'button', action_id: 'mine' }, { type: 'button' }] },
      ]),
    ).toEqual([
      {
        type: 'section',
        block_id: 'b0',
        text: { type: 'mrkdwn', text: 'x' },
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Go' }, action_id: 'b0-a0' },
      },
      {
        type: 'actions',
        block_id: 'kept',
        elements: [
          { type: 'button', action_id: 'mine' },
          { type: 'button', action_id: 'kept-a1' },
        ],
      },
    ]);
  });
});
