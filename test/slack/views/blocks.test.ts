import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decodeMetadata,
  encodeMetadata,
  escapeMrkdwn,
  joinWithin,
  option,
  optionGroups,
  personRef,
  sectionsFromLines,
  slackTime,
  truncate,
  truncateMrkdwn,
  userText,
} from '../../../src/slack/views/blocks.js';

describe('text helpers', () => {
  it('truncates with an ellipsis and never splits a surrogate pair', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdef', 4)).toBe('abc…');
    const cut = truncate('ab😀cd', 4); // the cut would fall between the two halves of 😀
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  it('escapes the three mrkdwn control characters', () => {
    expect(escapeMrkdwn('a & b <@U1> <!here> > c')).toBe('a &amp; b &lt;@U1&gt; &lt;!here&gt; &gt; c');
  });

  it('does not leave half an entity or half a <…> token at a cut', () => {
    expect(truncateMrkdwn('abc &amp; def', 7)).toBe('abc …');
    expect(truncateMrkdwn('hi <@U12345678> there', 10)).toBe('hi …');
  });

  it('userText flattens, escapes and fits', () => {
    expect(userText('  a\n<b>  ', 50)).toBe('a &lt;b&gt;');
    expect(userText('', 50)).toBe('—');
    expect(userText('x'.repeat(100), 10)).toHaveLength(10);
    expect(userText('line 1\nline 2', 50, { multiline: true })).toBe('line 1\nline 2');
  });

  it('mentions only well-formed Slack ids', () => {
    expect(personRef({ name: 'Sam', slackUserId: 'U0123ABC' })).toBe('<@U0123ABC>');
    expect(personRef({ name: 'Sam <x>', slackUserId: 'U1> <!channel' })).toBe('Sam &lt;x&gt;');
  });

  it('joinWithin stops before the budget and says how many were left out', () => {
    const items = Array.from({ length: 100 }, (_, i) => `item-${i}`);
    const text = joinWithin(items, { max: 60, separator: ', ' });
    expect(text.length).toBeLessThanOrEqual(60);
    const shown = text.split(', ').filter((s) => s.startsWith('item-')).length;
    expect(text.endsWith(`+${100 - shown} more`)).toBe(true);
    expect(joinWithin(items, { max: 10_000, maxItems: 3 })).toBe('item-0\nitem-1\nitem-2\n+97 more');
    expect(joinWithin(['a', 'b'], { max: 100 })).toBe('a\nb');
    expect(joinWithin(['x'.repeat(500)], { max: 50 }).length).toBeLessThanOrEqual(50);
  });

  it('sectionsFromLines packs lines and ends in "+N more" past the block budget', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${i} ${'l'.repeat(90)}`);
    const sections = sectionsFromLines(lines, { maxBlocks: 5 });
    expect(sections).toHaveLength(5);
    const texts = sections.map((s) => s.text?.text ?? '');
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts.at(-1)).toMatch(/\+\d+ more$/);
    const shown = texts
      .join('\n')
      .split('\n')
      .filter((l) => / l+$/.test(l)).length;
    expect(texts.at(-1)).toMatch(new RegExp(`\\+${400 - shown} more$`));
    expect(sectionsFromLines(['a', 'b'], { maxBlocks: 5 })).toHaveLength(1);
  });

  it('slackTime renders a localised date token with a UTC fallback', () => {
    expect(slackTime('2026-03-02T14:02:11Z')).toBe(
      `<!date^${Date.UTC(2026, 2, 2, 14, 2, 11) / 1000}^{time_secs}|14:02:11 UTC>`,
    );
    expect(slackTime('not a date <x>')).toBe('not a date &lt;x&gt;');
  });
});

describe('options', () => {
  it('cuts labels but refuses a value Slack would reject', () => {
    expect(option('x'.repeat(100), 'v').text.text).toHaveLength(75);
    expect(() => option('x', 'v'.repeat(76))).toThrow(RangeError);
    expect(() => option('x', '')).toThrow(RangeError);
  });

  it('splits large groups into chunks of 100 with counted labels', () => {
    const opts = (n: number) => Array.from({ length: n }, (_, i) => option(`o${i}`, `v${i}`));
    const { groups, omitted } = optionGroups([
      { label: 'On Queue', options: opts(250) },
      { label: 'B'.repeat(100), options: opts(3) },
    ]);
    expect(omitted).toBe(0);
    expect(groups.map((g) => g.options.length)).toEqual([100, 100, 50, 3]);
    expect(groups.map((g) => g.label.text).slice(0, 3)).toEqual([
      'On Queue (1–100 of 250)',
      'On Queue (101–200 of 250)',
      'On Queue (201–250 of 250)',
    ]);
    expect(groups[3]?.label.text).toMatch(/… \(3\)$/);
    expect(groups[3]?.label.text.length).toBeLessThanOrEqual(75);
  });

  it('drops groups past 100 and counts what they held', () => {
    const { groups, omitted } = optionGroups(
      Array.from({ length: 105 }, (_, i) => ({ label: `g${i}`, options: [option('a', 'a'), option('b', 'b')] })),
    );
    expect(groups).toHaveLength(100);
    expect(omitted).toBe(10);
  });
});

describe('private_metadata', () => {
  const schema = z.object({ requestId: z.string() });

  it('round-trips through zod', () => {
    expect(decodeMetadata(schema, encodeMetadata(schema, { requestId: 'r1' }))).toEqual({ requestId: 'r1' });
  });

  it('refuses more than 3000 characters and rejects tampered input', () => {
    expect(() => encodeMetadata(schema, { requestId: 'r'.repeat(3000) })).toThrow(/3000/);
    expect(() => decodeMetadata(schema, '{"requestId":1}')).toThrow();
    expect(() => decodeMetadata(schema, 'not json')).toThrow(/not JSON/);
  });
});
