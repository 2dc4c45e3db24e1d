/**
 * Block Kit as readable terminal text, for the local Slack console. Pure functions over JSON as the app sent
 * it: nothing here trusts the shape, an unknown or malformed block renders as a placeholder line, never throws.
 */

/** Who a `<@U…>` mention names, by Slack user id. */
export interface RenderContext {
  userNames?: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;

const MAX_OPTIONS_SHOWN = 12;

/** A handful of emoji the app's messages use, so they read as symbols rather than `:names:`. */
const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  heavy_check_mark: '✔',
  x: '❌',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  warning: '⚠️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  twisted_rightwards_arrows: '🔀',
  arrows_counterclockwise: '🔄',
  leftwards_arrow_with_hook: '↩️',
  information_source: 'ℹ️',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  clock3: '🕒',
  coffee: '☕',
  green_circle: '🟢',
  red_circle: '🔴',
  yellow_circle: '🟡',
  white_circle: '⚪',
  large_blue_circle: '🔵',
  lock: '🔒',
  memo: '📝',
  handshake: '🤝',
  wave: '👋',
  scroll: '📜',
  moneybag: '💰',
};

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Slack's mrkdwn tokens as plain text: mentions by name, dates by their fallback, links as `text (url)`. */
export function renderMrkdwn(text: string, context: RenderContext = {}): string {
  const replaced = text.replace(/<([^<>]*)>/g, (_whole, token: string) => {
    const [target = '', label] = splitOnce(token, '|');
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return `@${label ?? context.userNames?.get(id) ?? id}`;
    }
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!date^')) return label ?? target;
    if (target.startsWith('!subteam^')) return label ?? '@group';
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    return label ? `${label} (${target})` : target;
  });
  return replaced
    .replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** A text object (`plain_text` or `mrkdwn`) as plain text; anything else as an empty string. */
export function renderText(value: unknown, context: RenderContext = {}): string {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return '';
  const text = str(value.text) ?? '';
  return value.type === 'mrkdwn' ? renderMrkdwn(text, context) : text;
}

/** The options of a select, flattened out of option groups. */
export function optionsOf(element: Json): { label: string; value: string; group?: string }[] {
  const toOption = (o: Json, group?: string) => ({
    label: renderText(o.text),
    value: str(o.value) ?? renderText(o.text),
    ...(group === undefined ? {} : { group }),
  });
  const direct = list(element.options)
    .filter(isRecord)
    .map((o) => toOption(o));
  const grouped = list(element.option_groups)
    .filter(isRecord)
    .flatMap((group) =>
      list(group.options)
        .filter(isRecord)
        .map((o) => toOption(o, renderText(group.label))),
    );
  return [...direct, ...grouped];
}

function optionLabels(element: Json, selected: ReadonlySet<string>): string {
  const options = optionsOf(element);
  const shown = options.slice(0, MAX_OPTIONS_SHOWN).map((o) => (selected.has(o.value) ? `(•) ${o.label}` : o.label));
  const more = options.length > MAX_OPTIONS_SHOWN ? ` | … +${options.length - MAX_OPTIONS_SHOWN} more` : '';
  return `${shown.join(' | ')}${more}`;
}

function initialValues(element: Json): Set<string> {
  const one = isRecord(element.initial_option) ? [element.initial_option] : [];
  return new Set([...one, ...list(element.initial_options)].filter(isRecord).map((o) => str(o.value) ?? ''));
}

/** An interactive element on one line: `[Label]` for a button, `⌄ Placeholder: a | b` for a select, … */
export function renderElement(element: unknown, context: RenderContext = {}): string {
  if (!isRecord(element)) return '[?]';
  const type = str(element.type) ?? '?';
  const placeholder = renderText(element.placeholder);
  switch (type) {
    case 'button':
      return `[${renderText(element.text, context)}]`;
    case 'static_select':
    case 'multi_static_select':
    case 'radio_buttons':
    case 'checkboxes':
    case 'overflow': {
      const multi = type === 'multi_static_select' || type === 'checkboxes';
      const name = type === 'overflow' ? '⋯' : `⌄ ${placeholder || (multi ? 'choose any' : 'choose one')}`;
      return `${name}${multi && type !== 'checkboxes' ? ' (several)' : ''}: ${optionLabels(element, initialValues(element))}`;
    }
    case 'users_select':
    case 'multi_users_select':
      return `⌄ ${placeholder || 'a user'}${type.startsWith('multi') ? ' (several users)' : ' (a user)'}`;
    case 'conversations_select':
    case 'channels_select':
    case 'multi_conversations_select':
    case 'multi_channels_select':
      return `⌄ ${placeholder || 'a channel'} (channel)`;
    case 'external_select':
    case 'multi_external_select':
      return `⌄ ${placeholder || 'search'} (type to search)`;
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const initial = str(element.initial_value);
      const shape = element.multiline === true ? '[___ several lines ___]' : '[______]';
      return initial
        ? `[${initial}]`
        : `${shape}${placeholder ? ` e.g. ${placeholder.replace(/^e\.g\.\s*/i, '')}` : ''}`;
    }
    case 'datepicker':
      return `[date ${str(element.initial_date) ?? 'YYYY-MM-DD'}]`;
    case 'timepicker':
      return `[time ${str(element.initial_time) ?? 'HH:MM'}]`;
    case 'image':
      return `[image: ${str(element.alt_text) ?? ''}]`;
    default:
      return `[${type}]`;
  }
}

function renderRichText(block: Json, context: RenderContext): string {
  const pieces = (elements: unknown[]): string =>
    elements
      .filter(isRecord)
      .map((e) => {
        if (Array.isArray(e.elements)) return pieces(e.elements);
        if (e.type === 'user') return `@${context.userNames?.get(str(e.user_id) ?? '') ?? str(e.user_id) ?? ''}`;
        if (e.type === 'emoji') return EMOJI[str(e.name) ?? ''] ?? `:${str(e.name)}:`;
        return str(e.text) ?? str(e.url) ?? '';
      })
      .join('');
  return pieces(list(block.elements));
}

/** One block as lines of text (no trailing newline). */
export function renderBlock(block: unknown, context: RenderContext = {}): string[] {
  if (!isRecord(block)) return ['[?]'];
  switch (block.type) {
    case 'header':
      return [`# ${renderText(block.text, context)}`];
    case 'divider':
      return ['──────────'];
    case 'section': {
      const lines = block.text ? renderText(block.text, context).split('\n') : [];
      for (const field of list(block.fields)) lines.push(`  ${renderText(field, context).replace(/\n/g, ' — ')}`);
      if (isRecord(block.accessory)) lines.push(`  ${renderElement(block.accessory, context)}`);
      return lines;
    }
    case 'context':
      return [
        `  ${list(block.elements)
          .map((e) => (isRecord(e) && e.type === 'image' ? renderElement(e) : renderText(e, context)))
          .join(' · ')}`,
      ];
    case 'actions':
      return [
        list(block.elements)
          .map((e) => renderElement(e, context))
          .join(' '),
      ];
    case 'input': {
      const label = `${renderText(block.label, context)}${block.optional === true ? ' (optional)' : ''}`;
      const lines = [`${label}: ${renderElement(block.element, context)}`];
      if (block.hint) lines.push(`  ${renderText(block.hint, context)}`);
      return lines;
    }
    case 'image':
      return [renderElement(block)];
    case 'rich_text':
      return renderRichText(block, context).split('\n');
    default:
      return [`[${str(block.type) ?? '?'} block]`];
  }
}

export function renderBlocks(blocks: readonly unknown[], context: RenderContext = {}): string[] {
  return blocks.flatMap((block) => renderBlock(block, context));
}

/** A message: its blocks, or its `text` when it has none. */
export function renderMessage(message: { text?: unknown; blocks?: unknown }, context: RenderContext = {}): string[] {
  const blocks = list(message.blocks);
  if (blocks.length > 0) return renderBlocks(blocks, context);
  const text = str(message.text);
  return text ? renderMrkdwn(text, context).split('\n') : ['(empty message)'];
}

/** A modal or the App Home: title, blocks, and the modal's Close/Submit buttons. */
export function renderView(view: unknown, context: RenderContext = {}): string[] {
  if (!isRecord(view)) return ['(no view)'];
  const title = renderText(view.title, context);
  const lines = [view.type === 'home' ? 'App Home' : `Modal "${title}"`, ...renderBlocks(list(view.blocks), context)];
  const footer = [view.close ? `[${renderText(view.close)}]` : '', view.submit ? `[${renderText(view.submit)}]` : '']
    .filter(Boolean)
    .join(' ');
  if (footer) lines.push(footer);
  return lines;
}

/** A titled box around rendered lines, so consecutive answers stay apart. */
export function frame(title: string, lines: readonly string[]): string {
  return [`┌─ ${title}`, ...lines.map((line) => `│ ${line}`.trimEnd()), '└─'].join('\n');
}
