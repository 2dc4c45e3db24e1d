/**
 * An independent check of a Block Kit surface against Slack's published limits (docs.slack.dev/reference/
 * block-kit). The numbers are written out here rather than imported from src/slack/views/blocks.ts, so a wrong
 * constant there cannot make a builder and its check agree on the same mistake.
 */
import type { types } from '@slack/bolt';

export type Surface = { text?: string; blocks: readonly unknown[] } | types.ModalView | types.HomeView;

const LIMIT = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  text: 3000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  accessibilityLabel: 75,
  actionId: 255,
  blockId: 255,
  callbackId: 255,
  privateMetadata: 3000,
  viewTitle: 24,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  options: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 75,
  optionDescription: 75,
  overflowOptions: 5,
  choiceOptions: 10,
  textInputLength: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

type Json = Record<string, unknown>;

/** Interactive elements: the objects that carry action ids, placeholders and confirm dialogs. */
const ELEMENT_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'number_input',
  'overflow',
  'plain_text_input',
  'radio_buttons',
  'timepicker',
  'url_text_input',
  ...['static', 'external', 'users', 'conversations', 'channels'].flatMap((kind) => [
    `${kind}_select`,
    `multi_${kind}_select`,
  ]),
]);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

type Violations = string[];

function fail(v: Violations, path: string, message: string): void {
  v.push(`${path}: ${message}`);
}

function maxLength(v: Violations, path: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) fail(v, path, `${value.length} characters > ${max}`);
}

function maxItems(v: Violations, path: string, value: unknown, max: number, min = 0): void {
  const n = asArray(value).length;
  if (n > max) fail(v, path, `${n} items > ${max}`);
  if (n < min) fail(v, path, `${n} items < ${min}`);
}

/** A text object that Slack requires to be plain_text, within `max`. */
function plainText(v: Violations, path: string, value: unknown, max: number): void {
  if (!isRecord(value)) {
    fail(v, path, 'missing text object');
    return;
  }
  if (value.type !== 'plain_text') fail(v, path, `must be plain_text, is ${String(value.type)}`);
  maxLength(v, `${path}.text`, value.text, max);
}

function checkSurface(v: Violations, surface: Json): void {
  const isView = surface.type === 'modal' || surface.type === 'home';
  const blocks = asArray(surface.blocks);
  maxItems(v, 'blocks', blocks, isView ? LIMIT.viewBlocks : LIMIT.messageBlocks, 1);
  if (isView) {
    maxLength(v, 'private_metadata', surface.private_metadata, LIMIT.privateMetadata);
    maxLength(v, 'callback_id', surface.callback_id, LIMIT.callbackId);
  }
  if (surface.type === 'modal') {
    plainText(v, 'title', surface.title, LIMIT.viewTitle);
    if (surface.submit !== undefined) plainText(v, 'submit', surface.submit, LIMIT.viewTitle);
    if (surface.close !== undefined) plainText(v, 'close', surface.close, LIMIT.viewTitle);
    if (surface.submit === undefined && blocks.some((b) => isRecord(b) && b.type === 'input')) {
      fail(v, 'submit', 'a modal with input blocks needs a submit button');
    }
  }
  if (!isView) {
    if (typeof surface.text !== 'string' || !surface.text.trim()) fail(v, 'text', 'a message needs fallback text');
    maxLength(v, 'text', surface.text, LIMIT.messageText);
    checkEscaped(v, 'text', surface.text);
  }
  const blockIds = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    const path = `blocks[${i}]`;
    if (!isRecord(block)) {
      fail(v, path, 'not an object');
      continue;
    }
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) fail(v, `${path}.block_id`, `duplicate "${block.block_id}"`);
      blockIds.add(block.block_id);
    }
    if (!isView && block.type === 'input') fail(v, path, 'input blocks only work in modals and the Home tab');
    checkBlock(v, path, block);
    actionIdsUnique(v, path, block);
    walk(v, path, block);
  }
}

function checkBlock(v: Violations, path: string, block: Json): void {
  maxLength(v, `${path}.block_id`, block.block_id, LIMIT.blockId);
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) fail(v, path, 'section needs text or fields');
      maxLength(v, `${path}.text.text`, textOf(block.text), LIMIT.sectionText);
      maxItems(v, `${path}.fields`, block.fields, LIMIT.sectionFields);
      asArray(block.fields).forEach((f, i) => {
        maxLength(v, `${path}.fields[${i}].text`, textOf(f), LIMIT.fieldText);
      });
      break;
    case 'header':
      plainText(v, `${path}.text`, block.text, LIMIT.headerText);
      break;
    case 'context':
      maxItems(v, `${path}.elements`, block.elements, LIMIT.contextElements, 1);
      break;
    case 'actions':
      maxItems(v, `${path}.elements`, block.elements, LIMIT.actionsElements, 1);
      break;
    case 'input':
      plainText(v, `${path}.label`, block.label, LIMIT.inputLabel);
      if (block.hint !== undefined) plainText(v, `${path}.hint`, block.hint, LIMIT.inputHint);
      if (!isRecord(block.element)) fail(v, `${path}.element`, 'missing');
      break;
    case 'divider':
      break;
    default:
      fail(v, path, `unexpected block type ${String(block.type)}`);
  }
}

/** Slack requires action ids to be unique within their block. */
function actionIdsUnique(v: Violations, path: string, block: Json): void {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.action_id === 'string') {
      if (seen.has(node.action_id)) fail(v, path, `duplicate action_id "${node.action_id}"`);
      seen.add(node.action_id);
    }
    Object.values(node).forEach(visit);
  };
  visit(block);
}

/**
 * In mrkdwn, `<`, `>` and `&` are control characters: outside Slack's own tokens (mentions, channel links, dates,
 * links) they must arrive escaped, or user text could ping a channel or forge a link.
 */
const SLACK_TOKEN =
  /<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+(?:\|[^<>]*)?|!date\^\d+\^[^|<>]+\|[^<>]+|https?:\/\/[^<>\s]+(?:\|[^<>]*)?)>/g;

function checkEscaped(v: Violations, path: string, text: unknown): void {
  if (typeof text !== 'string') return;
  const bare = text.replace(SLACK_TOKEN, '');
  if (/[<>]/.test(bare)) fail(v, path, 'unescaped < or > outside a Slack token');
  if (/&(?!amp;|lt;|gt;)/.test(bare)) fail(v, path, 'unescaped &');
}

/** Every nested object: text objects, elements, options, confirm dialogs. */
function walk(v: Violations, path: string, node: unknown): void {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) walk(v, `${path}[${i}]`, item);
    return;
  }
  if (!isRecord(node)) return;
  if (node.type === 'plain_text' || node.type === 'mrkdwn') {
    if (typeof node.text !== 'string' || node.text.trim().length === 0) fail(v, path, 'empty text');
    maxLength(v, `${path}.text`, node.text, LIMIT.text);
    if (node.type === 'mrkdwn') checkEscaped(v, `${path}.text`, node.text);
    return;
  }
  if (typeof node.type === 'string' && ELEMENT_TYPES.has(node.type)) {
    maxLength(v, `${path}.action_id`, node.action_id, LIMIT.actionId);
    if (node.placeholder !== undefined) plainText(v, `${path}.placeholder`, node.placeholder, LIMIT.placeholder);
    if (node.confirm !== undefined) checkConfirm(v, `${path}.confirm`, node.confirm);
    checkElement(v, path, node);
  }
  for (const [key, value] of Object.entries(node)) walk(v, `${path}.${key}`, value);
}

function checkElement(v: Violations, path: string, node: Json): void {
  switch (node.type) {
    case 'button':
      plainText(v, `${path}.text`, node.text, LIMIT.buttonText);
      maxLength(v, `${path}.value`, node.value, LIMIT.buttonValue);
      maxLength(v, `${path}.url`, node.url, LIMIT.url);
      maxLength(v, `${path}.accessibility_label`, node.accessibility_label, LIMIT.accessibilityLabel);
      break;
    case 'static_select':
    case 'multi_static_select':
      staticSelect(v, path, node);
      break;
    case 'overflow':
      maxItems(v, `${path}.options`, node.options, LIMIT.overflowOptions, 1);
      checkOptions(v, `${path}.options`, node.options);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      maxItems(v, `${path}.options`, node.options, LIMIT.choiceOptions, 1);
      break;
    case 'plain_text_input': {
      for (const key of ['min_length', 'max_length'] as const) {
        const n = node[key];
        if (typeof n === 'number' && (n < 0 || n > LIMIT.textInputLength))
          fail(v, `${path}.${key}`, `${n} out of range`);
      }
      const max = typeof node.max_length === 'number' ? node.max_length : LIMIT.textInputLength;
      maxLength(v, `${path}.initial_value`, node.initial_value, max);
      break;
    }
  }
}

function staticSelect(v: Violations, path: string, node: Json): void {
  if ((node.options === undefined) === (node.option_groups === undefined)) {
    fail(v, path, 'exactly one of options and option_groups');
  }
  const all: unknown[] = [];
  if (node.options !== undefined) {
    maxItems(v, `${path}.options`, node.options, LIMIT.options, 1);
    checkOptions(v, `${path}.options`, node.options);
    all.push(...asArray(node.options));
  }
  if (node.option_groups !== undefined) {
    maxItems(v, `${path}.option_groups`, node.option_groups, LIMIT.optionGroups, 1);
    for (const [i, group] of asArray(node.option_groups).entries()) {
      const at = `${path}.option_groups[${i}]`;
      if (!isRecord(group)) {
        fail(v, at, 'not an object');
        continue;
      }
      plainText(v, `${at}.label`, group.label, LIMIT.optionText);
      maxItems(v, `${at}.options`, group.options, LIMIT.options, 1);
      checkOptions(v, `${at}.options`, group.options);
      all.push(...asArray(group.options));
    }
  }
  const values = all.map((o) => (isRecord(o) ? o.value : undefined));
  if (new Set(values).size !== values.length) fail(v, path, 'duplicate option values');
  const initial = node.type === 'static_select' ? [node.initial_option] : asArray(node.initial_options);
  initial.forEach((chosen, i) => {
    if (chosen === undefined) return;
    const match = all.some((o) => JSON.stringify(o) === JSON.stringify(chosen));
    if (!match)
      fail(v, `${path}.initial_option${node.type === 'static_select' ? '' : `s[${i}]`}`, 'not one of the options');
  });
  if (typeof node.max_selected_items === 'number' && node.max_selected_items < 1) {
    fail(v, `${path}.max_selected_items`, 'must be ≥ 1');
  }
}

function checkOptions(v: Violations, path: string, options: unknown): void {
  for (const [i, o] of asArray(options).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(o)) {
      fail(v, at, 'not an object');
      continue;
    }
    plainText(v, `${at}.text`, o.text, LIMIT.optionText);
    if (typeof o.value !== 'string' || o.value.length === 0) fail(v, `${at}.value`, 'missing');
    maxLength(v, `${at}.value`, o.value, LIMIT.optionValue);
    if (o.description !== undefined) plainText(v, `${at}.description`, o.description, LIMIT.optionDescription);
  }
}

function checkConfirm(v: Violations, path: string, dialog: unknown): void {
  if (!isRecord(dialog)) {
    fail(v, path, 'not an object');
    return;
  }
  plainText(v, `${path}.title`, dialog.title, LIMIT.confirmTitle);
  maxLength(v, `${path}.text.text`, textOf(dialog.text), LIMIT.confirmText);
  plainText(v, `${path}.confirm`, dialog.confirm, LIMIT.confirmButton);
  plainText(v, `${path}.deny`, dialog.deny, LIMIT.confirmButton);
}

/** Every limit the surface breaks, as `path: problem`; empty when it is within Slack's limits. */
export function slackLimitViolations(surface: Surface): string[] {
  const violations: Violations = [];
  checkSurface(violations, { ...surface });
  return violations;
}

export function assertWithinSlackLimits(surface: Surface): void {
  const violations = slackLimitViolations(surface);
  if (violations.length > 0) {
    throw new Error(`Slack would reject this surface:\n${violations.slice(0, 20).join('\n')}`);
  }
}
