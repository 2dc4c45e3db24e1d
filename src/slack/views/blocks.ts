/**
 * Shared Block Kit pieces for every surface in this folder: Slack's limits, text that always fits them, and the
 * small view-input types more than one surface needs. Builders are pure functions from plain data to Block Kit.
 */
import type { types } from '@slack/bolt';
import type { z } from 'zod';

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type Button = types.Button;
export type ContextBlock = types.ContextBlock;
export type HeaderBlock = types.HeaderBlock;
export type SectionBlock = types.SectionBlock;
export type ActionsBlock = types.ActionsBlock;
export type InputBlock = types.InputBlock;
export type PlainTextElement = types.PlainTextElement;
export type PlainTextOption = types.PlainTextOption;
export type ConfirmationDialog = types.ConfirmationDialog;

/** Block Kit limits (docs.slack.dev/reference/block-kit). */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  /** Modals and the Home tab. */
  viewBlocks: 100,
  selectOptions: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 75,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  privateMetadata: 3000,
  /** Modal title, submit and close labels. */
  viewTitle: 24,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  textInputLength: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

/** A message for `chat.postMessage` / `chat.postEphemeral` / `response_url`: `text` is the notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** A status as the catalog (policy) names it. */
export interface StatusCatalogEntry {
  name: string;
  label: string;
  aliases: readonly string[];
  reason: 'none' | 'optional' | 'required';
  /** Allowed reasons; absent means free text. */
  reasons?: readonly string[];
}

/** Someone shown by name, mentioned when their Slack id is known. */
export interface Person {
  name: string;
  slackUserId?: string;
}

const ELLIPSIS = '…';

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis and never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - ELLIPSIS.length);
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}${ELLIPSIS}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Slack's three control characters in mrkdwn; everything else user-supplied is shown as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Truncates mrkdwn without leaving half an entity (`&am`) or half a `<…>` token (mention, date, link) at the cut,
 * either of which Slack would render as garbage.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = truncate(text, max).slice(0, -ELLIPSIS.length);
  return `${head.replace(/&[a-z]*$/, '').replace(/<[^>]*$/, '')}${ELLIPSIS}`;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/**
 * Plain text (names, reasons, notes, the core's messages) made safe for mrkdwn and cut to `max`. Single-line by
 * default, so a name with a newline cannot break a list apart. `people` are the Slack user ids (or e-mails, left
 * as they are) the text names: each id becomes a mention.
 */
export function userText(
  raw: string,
  max: number,
  options: { multiline?: boolean; people?: readonly string[] } = {},
): string {
  const flat = options.multiline ? raw.trim() : raw.replace(/\s+/g, ' ').trim();
  let mrkdwn = escapeMrkdwn(flat || '—');
  for (const id of options.people ?? []) {
    if (SLACK_USER_ID.test(id)) mrkdwn = mrkdwn.replace(new RegExp(`\\b${id}\\b`, 'g'), `<@${id}>`);
  }
  return truncateMrkdwn(mrkdwn, max);
}

/** A message's `text`: the notification and screen-reader fallback, built from plain (unescaped) parts. */
export function fallbackText(raw: string): string {
  return userText(raw, 300);
}

/** `<@U…>` for a well-formed Slack user id, else the escaped name. Mentions notify only in channel posts. */
export function personRef(person: Person, maxName = 80): string {
  if (person.slackUserId && SLACK_USER_ID.test(person.slackUserId)) return `<@${person.slackUserId}>`;
  return userText(person.name, maxName);
}

/** A person as the policy lists them: a Slack user id becomes a mention (Slack shows the name), an e-mail stays. */
export function policyEntryRef(entry: string): string {
  return userText(entry, 80, { people: [entry] });
}

/**
 * Joins items and stops before `max`, ending with `more(hidden)` (e.g. "+12 more") when items were left out.
 * Items are expected to fit on their own; one that alone exceeds the budget is truncated.
 */
export function joinWithin(
  items: readonly string[],
  options: { max: number; separator?: string; maxItems?: number; more?: (hidden: number) => string },
): string {
  const separator = options.separator ?? '\n';
  const more = options.more ?? ((hidden: number) => `+${hidden} more`);
  const maxItems = Math.min(options.maxItems ?? items.length, items.length);
  let out = '';
  let shown = 0;
  for (; shown < maxItems; shown += 1) {
    const item = items[shown] ?? '';
    const hiddenAfter = items.length - shown - 1;
    const reserve = hiddenAfter > 0 ? separator.length + more(hiddenAfter).length : 0;
    const joined = shown === 0 ? item : `${out}${separator}${item}`;
    if (joined.length + reserve <= options.max) {
      out = joined;
      continue;
    }
    if (shown === 0) {
      out = truncateMrkdwn(item, options.max - reserve);
      shown = 1;
    }
    break;
  }
  const hidden = items.length - shown;
  if (hidden === 0) return out;
  return out ? `${out}${separator}${more(hidden)}` : more(hidden);
}

/**
 * Lines packed into as few sections as fit (≤ 3000 characters each), at most `maxBlocks` of them; the last one
 * ends in `more(hidden)` when lines were left out.
 */
export function sectionsFromLines(
  lines: readonly string[],
  options: { maxBlocks: number; more?: (hidden: number) => string },
): SectionBlock[] {
  const max = SLACK_LIMITS.sectionText;
  const sections: SectionBlock[] = [];
  let next = 0;
  while (next < lines.length && sections.length < options.maxBlocks) {
    if (sections.length === options.maxBlocks - 1) {
      sections.push(section(joinWithin(lines.slice(next), { max, more: options.more })));
      break;
    }
    let text = truncateMrkdwn(lines[next] ?? '', max);
    next += 1;
    for (; next < lines.length; next += 1) {
      const joined = `${text}\n${lines[next]}`;
      if (joined.length > max) break;
      text = joined;
    }
    sections.push(section(text));
  }
  return sections;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export function plainText(text: string, max: number = SLACK_LIMITS.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(text.trim() || '—', max), emoji: true };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, SLACK_LIMITS.headerText) };
}

/** A section of mrkdwn the caller built from escaped parts; truncated as a last resort. */
export function section(mrkdwn: string, accessory?: SectionBlock['accessory']): SectionBlock {
  const block: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateMrkdwn(mrkdwn || '—', SLACK_LIMITS.sectionText) },
  };
  if (accessory) block.accessory = accessory;
  return block;
}

export function context(...mrkdwn: string[]): ContextBlock {
  return {
    type: 'context',
    elements: mrkdwn
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncateMrkdwn(text || '—', SLACK_LIMITS.sectionText) })),
  };
}

export function button(options: {
  text: string;
  actionId: string;
  value?: string;
  style?: Button['style'];
  confirm?: ConfirmationDialog;
}): Button {
  const element: Button = {
    type: 'button',
    text: plainText(options.text, SLACK_LIMITS.buttonText),
    action_id: options.actionId,
  };
  if (options.value !== undefined) element.value = options.value;
  if (options.style) element.style = options.style;
  if (options.confirm) element.confirm = options.confirm;
  return element;
}

export function confirmDialog(title: string, text: string, confirm: string, deny = 'Cancel'): ConfirmationDialog {
  return {
    title: plainText(title, SLACK_LIMITS.confirmTitle),
    text: plainText(text, SLACK_LIMITS.confirmText),
    confirm: plainText(confirm, SLACK_LIMITS.confirmButton),
    deny: plainText(deny, SLACK_LIMITS.confirmButton),
  };
}

/**
 * A select option. The label is cut to fit; the value is an id the app chose (status name, Genesys user id) and is
 * never cut, since a cut value would name something else: an over-long one is a bug and throws.
 */
export function option(label: string, value: string): PlainTextOption {
  if (value.length === 0 || value.length > SLACK_LIMITS.optionValue) {
    throw new RangeError(`option value must be 1–${SLACK_LIMITS.optionValue} characters, got ${value.length}`);
  }
  return { text: plainText(label, SLACK_LIMITS.optionText), value };
}

export interface OptionGroup {
  label: PlainTextElement;
  options: PlainTextOption[];
}

/**
 * Option groups for a static select of any size up to 100 × 100: each named group is split into chunks of ≤ 100
 * ("On Queue (1–100 of 240)"). Groups past the 100th are dropped; `omitted` says how many options that left out.
 */
export function optionGroups(groups: readonly { label: string; options: readonly PlainTextOption[] }[]): {
  groups: OptionGroup[];
  omitted: number;
} {
  const out: OptionGroup[] = [];
  let omitted = 0;
  for (const group of groups) {
    const parts = chunk(group.options, SLACK_LIMITS.selectOptions);
    parts.forEach((options, i) => {
      if (out.length >= SLACK_LIMITS.optionGroups) {
        omitted += options.length;
        return;
      }
      const first = i * SLACK_LIMITS.selectOptions + 1;
      const total = group.options.length;
      const suffix = parts.length > 1 ? `(${first}–${first + options.length - 1} of ${total})` : `(${total})`;
      // Keep the counter visible: cut the label, not the suffix.
      const label = `${truncate(group.label, SLACK_LIMITS.optionText - suffix.length - 1)} ${suffix}`;
      out.push({ label: plainText(label, SLACK_LIMITS.optionText), options });
    });
  }
  return { groups: out, omitted };
}

/** `HH:MM:SS` in UTC, the fallback Slack shows where it cannot localise a date token. */
function clockUtc(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? userText(iso, 40) : date.toISOString().slice(11, 19);
}

/** A time every reader sees in their own time zone (`<!date^…>`), with a UTC fallback. */
export function slackTime(iso: string, format: '{time_secs}' | '{date_short_pretty} {time}' = '{time_secs}'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return userText(iso, 40);
  const fallback =
    format === '{time_secs}' ? `${clockUtc(iso)} UTC` : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${fallback}>`;
}

/**
 * `private_metadata` is echoed back by Slack on submission: only small JSON goes in (ids and a version token, never
 * state the server must trust) and it is parsed with zod on the way back.
 */
export function encodeMetadata<T>(schema: z.ZodType<T>, value: T): string {
  const json = JSON.stringify(schema.parse(value));
  if (json.length > SLACK_LIMITS.privateMetadata) {
    throw new RangeError(`private_metadata is ${json.length} characters; Slack allows ${SLACK_LIMITS.privateMetadata}`);
  }
  return json;
}

export function decodeMetadata<T>(schema: z.ZodType<T>, raw: string): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('private_metadata is not JSON');
  }
  return schema.parse(json);
}
