import { describe, expect, it } from 'vitest';
import {
  frame,
  renderBlock,
  renderElement,
  renderMessage,
  renderMrkdwn,
  renderView,
} from '../../src/demo/console/render.js';
import { looksInterim } from '../../src/demo/console/session.js';
import { conflictMessage } from '../../src/slack/views/conflict.js';

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const userNames = new Map([['UALICE', 'Alice Anderson']]);

describe('renderMrkdwn', () => {
  it.each([
    ['a mention by name', 'hi <@UALICE>', 'hi @Alice Anderson'],
    ['a mention nobody knows', '<@UNOBODY>', '@UNOBODY'],
    ['a mention with its own label', '<@UBOB|bob>', '@bob'],
    ['a channel', 'see <#C0BILLING01|billing>', 'see #billing'],
    ['a bare channel', '<#C0BILLING01>', '#C0BILLING01'],
    ['a date by its fallback', 'at <!date^1700000000^{time_secs}|22:13:20 UTC>', 'at 22:13:20 UTC'],
    ['a special mention', '<!here> look', '@here look'],
    ['a labelled link', '<https://example.com|docs>', 'docs (https://example.com)'],
    ['a bare link', '<https://example.com>', 'https://example.com'],
    ['escaped entities', 'a &lt;b&gt; &amp; c', 'a <b> & c'],
    ['known emoji', ':white_check_mark: done :x:', '✅ done ❌'],
    ['unknown emoji kept', ':party_parrot:', ':party_parrot:'],
    ['bold and code left as typed', '*Break* `undo`', '*Break* `undo`'],
  ])('%s', (_name, input, expected) => {
    expect(renderMrkdwn(input, { userNames })).toBe(expected);
  });
});

describe('renderBlock', () => {
  const select = {
    type: 'static_select',
    action_id: 's',
    placeholder: plain('Pick a status'),
    options: [
      { text: plain('Available'), value: 'available' },
      { text: plain('Break'), value: 'break' },
    ],
    initial_option: { text: plain('Break'), value: 'break' },
  };
  it.each<[string, unknown, string[]]>([
    ['header', { type: 'header', text: plain('Billing · 5 agents') }, ['# Billing · 5 agents']],
    ['divider', { type: 'divider' }, ['──────────']],
    [
      'section text over lines',
      { type: 'section', text: mrkdwn('*Now:* Break\nsince <@UALICE>') },
      ['*Now:* Break', 'since @Alice Anderson'],
    ],
    [
      'section fields',
      { type: 'section', fields: [mrkdwn('*On Queue*\n2'), plain('Break: 1')] },
      ['  *On Queue* — 2', '  Break: 1'],
    ],
    [
      'section with a button accessory',
      {
        type: 'section',
        text: mrkdwn('Status'),
        accessory: { type: 'button', text: plain('Change…'), action_id: 'c' },
      },
      ['Status', '  [Change…]'],
    ],
    [
      'section with a select accessory',
      { type: 'section', text: mrkdwn('Pick'), accessory: select },
      ['Pick', '  ⌄ Pick a status: Available | (•) Break'],
    ],
    [
      'context',
      { type: 'context', elements: [mrkdwn('Updated <!date^1^{time}|12:00 UTC>'), plain('by bot')] },
      ['  Updated 12:00 UTC · by bot'],
    ],
    [
      'actions with buttons and a select',
      {
        type: 'actions',
        elements: [
          { type: 'button', text: plain('Apply anyway'), action_id: 'a', style: 'danger' },
          { type: 'button', text: plain('Keep current'), action_id: 'k' },
          { ...select, initial_option: undefined },
        ],
      },
      ['[Apply anyway] [Keep current] ⌄ Pick a status: Available | Break'],
    ],
    [
      'input with a select, optional, with a hint',
      { type: 'input', label: plain('New status'), optional: true, hint: plain('Changes now'), element: select },
      ['New status (optional): ⌄ Pick a status: Available | (•) Break', '  Changes now'],
    ],
    [
      'input with a text field',
      {
        type: 'input',
        label: plain('Reason'),
        element: { type: 'plain_text_input', action_id: 'r', placeholder: plain('e.g. coffee') },
      },
      ['Reason: [______] e.g. coffee'],
    ],
    [
      'input with a multi-line text field and a value',
      {
        type: 'input',
        label: plain('Notes'),
        element: { type: 'plain_text_input', action_id: 'n', multiline: true, initial_value: 'quiet' },
      },
      ['Notes: [quiet]'],
    ],
    [
      'input with a grouped multi-select',
      {
        type: 'input',
        label: plain('Agents'),
        element: {
          type: 'multi_static_select',
          action_id: 'm',
          placeholder: plain('Type a name'),
          option_groups: [
            {
              label: plain('Billing (2)'),
              options: [
                { text: plain('Alice'), value: 'id-a' },
                { text: plain('Bob'), value: 'id-b' },
              ],
            },
            { label: plain('Support (1)'), options: [{ text: plain('Frank'), value: 'id-f' }] },
          ],
        },
      },
      ['Agents: ⌄ Type a name (several): Alice | Bob | Frank'],
    ],
    [
      'input with a users select',
      { type: 'input', label: plain('Supervisor'), element: { type: 'users_select', action_id: 'u' } },
      ['Supervisor: ⌄ a user (a user)'],
    ],
    ['image', { type: 'image', image_url: 'https://example.com/x.png', alt_text: 'chart' }, ['[image: chart]']],
    [
      'rich text',
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'hi ' },
              { type: 'user', user_id: 'UALICE' },
            ],
          },
        ],
      },
      ['hi @Alice Anderson'],
    ],
    ['an unknown block', { type: 'video' }, ['[video block]']],
    ['not a block at all', 'nonsense', ['[?]']],
  ])('%s', (_name, block, expected) => {
    expect(renderBlock(block, { userNames })).toEqual(expected);
  });

  it('shows at most 12 options of a long select and says how many more there are', () => {
    const options = Array.from({ length: 40 }, (_, i) => ({ text: plain(`Agent ${i + 1}`), value: `a${i}` }));
    const line = renderElement({ type: 'static_select', action_id: 's', options });
    expect(line).toContain('Agent 12 | … +28 more');
    expect(line).not.toContain('Agent 13');
  });
});

describe('renderMessage and renderView', () => {
  it('renders a real conflict message with its three buttons', () => {
    const message = conflictMessage({
      seenLabel: 'On Queue',
      currentLabel: 'Meal',
      changedAt: '2026-01-01T14:02:11Z',
      requestedLabel: 'Break',
      tokenId: 'tok-1',
    });
    expect(renderMessage(message)).toEqual([
      '🔀 You saw *On Queue*, it is now *Meal* (changed 14:02:11 UTC).',
      'You asked for *Break*.',
      '[Apply anyway] [Keep current] [Refresh]',
    ]);
  });

  it('falls back to the text of a message without blocks', () => {
    expect(renderMessage({ text: 'Done &amp; dusted' })).toEqual(['Done & dusted']);
    expect(renderMessage({})).toEqual(['(empty message)']);
  });

  it('renders a modal with its title and its Close/Submit buttons, and the App Home', () => {
    const modal = {
      type: 'modal',
      title: plain('Agent status'),
      close: plain('Cancel'),
      submit: plain('Set status'),
      blocks: [{ type: 'section', text: mrkdwn('Now: *On Queue*') }],
    };
    expect(renderView(modal)).toEqual(['Modal "Agent status"', 'Now: *On Queue*', '[Cancel] [Set status]']);
    expect(renderView({ type: 'home', blocks: [{ type: 'header', text: plain('Your status') }] })).toEqual([
      'App Home',
      '# Your status',
    ]);
  });

  it('frames an answer', () => {
    expect(frame('reply', ['a', ''])).toBe('┌─ reply\n│ a\n│\n└─');
  });
});

describe('looksInterim', () => {
  it.each([
    [['⏳ Changing your status…'], true],
    [['Modal "Agent status"', 'Loading…'], true],
    [['Handover in progress for *Billing*'], true],
    [['✅ Your status: *On Queue* → *Break*'], false],
    [['⛔ Not changed: Break lasts at least 60 s'], false],
  ])('%j → %s', (lines, expected) => {
    expect(looksInterim(lines)).toBe(expected);
  });
});
