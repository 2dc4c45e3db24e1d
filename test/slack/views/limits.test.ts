import { describe, expect, it } from 'vitest';
import { assertWithinSlackLimits, type Surface, slackLimitViolations } from './limits.js';

const ok = (text = 'fine') => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, actionId: string) => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: actionId,
});
const options = (n: number, textLength = 5) =>
  Array.from({ length: n }, (_, i) => ({
    text: { type: 'plain_text', text: `${i}`.padEnd(textLength, 'x') },
    value: `v${i}`,
  }));

describe('assertWithinSlackLimits', () => {
  it('accepts a surface within the limits', () => {
    expect(() => assertWithinSlackLimits({ text: 'hi', blocks: [ok()] })).not.toThrow();
    const tokens =
      'Hi <@U0123ABC>, see <#C0123ABC>, <https://example.com|docs> at <!date^1700000000^{time_secs}|14:02 UTC> &amp; &lt;3';
    expect(slackLimitViolations({ text: 'hi', blocks: [ok(tokens)] })).toEqual([]);
    const modal: Surface = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Title' },
      submit: { type: 'plain_text', text: 'Go' },
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'Pick' },
          element: { type: 'static_select', action_id: 'a', options: options(100) },
        },
      ],
    };
    expect(slackLimitViolations(modal)).toEqual([]);
  });

  // Each case breaks exactly one rule; the checker must name it.
  const cases: [string, Surface, RegExp][] = [
    ['51 blocks in a message', { text: 'x', blocks: Array.from({ length: 51 }, () => ok()) }, /^blocks: 51 items > 50/],
    [
      '101 blocks in a modal',
      { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: Array.from({ length: 101 }, () => ok()) },
      /^blocks: 101 items > 100/,
    ],
    [
      'section text over 3000',
      { text: 'x', blocks: [ok('a'.repeat(3001))] },
      /blocks\[0\]\.text\.text: 3001 characters > 3000/,
    ],
    [
      'header over 150',
      { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      /blocks\[0\]\.text\.text: 151 characters > 150/,
    ],
    [
      'mrkdwn header',
      { text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] },
      /must be plain_text/,
    ],
    [
      '26 elements in an actions block',
      {
        text: 'x',
        blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button('b', `a${i}`)) }],
      },
      /elements: 26 items > 25/,
    ],
    [
      'button text over 75',
      { text: 'x', blocks: [{ type: 'actions', elements: [button('b'.repeat(76), 'a')] }] },
      /elements\[0\]\.text\.text: 76 characters > 75/,
    ],
    [
      'duplicate action ids in a block',
      { text: 'x', blocks: [{ type: 'actions', elements: [button('a', 'same'), button('b', 'same')] }] },
      /duplicate action_id "same"/,
    ],
    [
      'action_id over 255',
      { text: 'x', blocks: [{ type: 'actions', elements: [button('a', 'x'.repeat(256))] }] },
      /action_id: 256 characters > 255/,
    ],
    [
      'block_id over 255',
      { text: 'x', blocks: [{ ...ok(), block_id: 'b'.repeat(256) }] },
      /block_id: 256 characters > 255/,
    ],
    [
      'duplicate block ids',
      {
        text: 'x',
        blocks: [
          { ...ok(), block_id: 'b' },
          { ...ok(), block_id: 'b' },
        ],
      },
      /duplicate "b"/,
    ],
    [
      '101 options in a select',
      {
        text: 'x',
        blocks: [{ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options: options(101) }] }],
      },
      /options: 101 items > 100/,
    ],
    [
      '101 options in a group',
      {
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'multi_static_select',
                action_id: 's',
                option_groups: [{ label: { type: 'plain_text', text: 'g' }, options: options(101) }],
              },
            ],
          },
        ],
      },
      /option_groups\[0\]\.options: 101 items > 100/,
    ],
    [
      'option text over 75',
      {
        text: 'x',
        blocks: [{ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options: options(2, 76) }] }],
      },
      /options\[0\]\.text\.text: 76 characters > 75/,
    ],
    [
      'option value over 75',
      {
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'static_select',
                action_id: 's',
                options: [{ text: { type: 'plain_text', text: 'a' }, value: 'v'.repeat(76) }],
              },
            ],
          },
        ],
      },
      /value: 76 characters > 75/,
    ],
    [
      'initial option not among the options',
      {
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'static_select',
                action_id: 's',
                options: options(2),
                initial_option: { text: { type: 'plain_text', text: 'zz' }, value: 'zz' },
              },
            ],
          },
        ],
      },
      /initial_option: not one of the options/,
    ],
    [
      'private_metadata over 3000',
      { type: 'home', private_metadata: 'm'.repeat(3001), blocks: [ok()] },
      /private_metadata: 3001 characters > 3000/,
    ],
    [
      'modal title over 24',
      { type: 'modal', title: { type: 'plain_text', text: 't'.repeat(25) }, blocks: [ok()] },
      /title\.text: 25 characters > 24/,
    ],
    ['empty text', { text: 'x', blocks: [ok('')] }, /empty text/],
    ['unescaped < in mrkdwn', { text: 'x', blocks: [ok('hi <!channel>')] }, /unescaped < or >/],
    ['unescaped & in mrkdwn', { text: 'x', blocks: [ok('Q&A')] }, /unescaped &/],
    ['no fallback text on a message', { blocks: [ok()] }, /text: a message needs fallback text/],
    [
      'input block in a message',
      {
        text: 'x',
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'l' },
            element: { type: 'plain_text_input', action_id: 'i' },
          },
        ],
      },
      /input blocks only work in modals/,
    ],
    [
      'modal inputs without submit',
      {
        type: 'modal',
        title: { type: 'plain_text', text: 'T' },
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'l' },
            element: { type: 'plain_text_input', action_id: 'i' },
          },
        ],
      },
      /needs a submit button/,
    ],
    [
      'a nested too-long text (confirm dialog in an accessory)',
      {
        text: 'x',
        blocks: [
          {
            ...ok(),
            accessory: {
              ...button('b', 'a'),
              confirm: {
                title: { type: 'plain_text', text: 't' },
                text: { type: 'plain_text', text: 'c'.repeat(301) },
                confirm: { type: 'plain_text', text: 'y' },
                deny: { type: 'plain_text', text: 'n' },
              },
            },
          },
        ],
      },
      /confirm\.text\.text: 301 characters > 300/,
    ],
  ];

  it.each(cases)('catches %s', (_, surface, expected) => {
    const violations = slackLimitViolations(surface);
    expect(
      violations.some((v) => expected.test(v)),
      violations.join('\n'),
    ).toBe(true);
    expect(() => assertWithinSlackLimits(surface)).toThrow(/Slack would reject this surface/);
  });
});
