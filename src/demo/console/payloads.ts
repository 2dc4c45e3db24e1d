/**
 * The requests Slack sends to an app, built the way Slack builds them: slash command forms, `block_actions`
 * and `view_submission` payloads with `view.state.values`. Pure: ids and times come in as arguments.
 */
import { isRecord, optionsOf, renderText } from './render.js';
import type { MessageSurface, Surface, ViewSurface } from './surfaces.js';

type Json = Record<string, unknown>;

export const CONSOLE_TEAM = { id: 'T0DEMO', domain: 'demo' };
export const CONSOLE_APP_ID = 'A0DEMO';
export const CONSOLE_CHANNEL = { id: 'C0CONSOLE', name: 'console' };
/** Slack still sends the deprecated verification token; Bolt ignores it in favour of the signature. */
const VERIFICATION_TOKEN = 'console-verification-token';

export interface ConsoleUser {
  id: string;
  /** The Slack handle: the part of the e-mail before @. */
  username: string;
}

export function slashCommandForm(input: {
  command: string;
  text: string;
  user: ConsoleUser;
  channel?: { id: string; name: string };
  responseUrl: string;
  triggerId: string;
}): string {
  const channel = input.channel ?? CONSOLE_CHANNEL;
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: CONSOLE_TEAM.id,
    team_domain: CONSOLE_TEAM.domain,
    channel_id: channel.id,
    channel_name: channel.name,
    user_id: input.user.id,
    user_name: input.user.username,
    command: input.command,
    text: input.text,
    api_app_id: CONSOLE_APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  }).toString();
}

/** Interactivity payloads travel as a form with one `payload` field of JSON. */
export function interactionForm(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface FoundElement {
  surface: Surface;
  blockId: string;
  element: Json;
  /** The button text or the input label. */
  label: string;
}

function blocksOf(surface: Surface): unknown[] {
  const blocks = surface.kind === 'message' ? surface.blocks : surface.view.blocks;
  return Array.isArray(blocks) ? blocks : [];
}

/** Every interactive element of a surface with the block it sits in, in reading order. */
export function elementsOf(surface: Surface): FoundElement[] {
  const found: FoundElement[] = [];
  for (const block of blocksOf(surface)) {
    if (!isRecord(block)) continue;
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    const add = (element: unknown, label: string) => {
      if (isRecord(element)) found.push({ surface, blockId, element, label });
    };
    if (block.type === 'actions' && Array.isArray(block.elements)) {
      for (const element of block.elements) {
        add(element, isRecord(element) ? renderText(element.text ?? element.placeholder) : '');
      }
    }
    if (block.type === 'section' && isRecord(block.accessory)) {
      add(block.accessory, renderText(block.accessory.text ?? block.accessory.placeholder ?? block.text));
    }
    if (block.type === 'input') add(block.element, renderText(block.label));
  }
  return found;
}

export const normalize = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The one candidate a name means: an exact match of any of its names first, then a unique prefix, then a
 * unique substring. Ambiguity and absence come back as a message listing the choices.
 */
export function pickByName<T>(
  candidates: readonly T[],
  name: string,
  namesOf: (candidate: T) => readonly string[],
  what: string,
): { ok: true; value: T } | { ok: false; message: string } {
  const wanted = normalize(name);
  const choices = () =>
    [...new Set(candidates.map((c) => namesOf(c)[0] ?? ''))]
      .filter(Boolean)
      .map((n) => `"${n}"`)
      .join(', ') || 'none';
  if (wanted === '') return { ok: false, message: `which ${what}? choices: ${choices()}` };
  const tests: ((n: string) => boolean)[] = [
    (n) => n === wanted,
    (n) => n.startsWith(wanted),
    (n) => n.includes(wanted),
  ];
  for (const test of tests) {
    const hits = candidates.filter((c) => namesOf(c).some((n) => test(normalize(n))));
    if (hits.length === 1) return { ok: true, value: hits[0]! };
    if (hits.length > 1) {
      // The same label on several surfaces (a button in an older message too): the first, most recent one wins.
      const labels = new Set(hits.map((h) => normalize(namesOf(h)[0] ?? '')));
      if (labels.size === 1) return { ok: true, value: hits[0]! };
      return {
        ok: false,
        message: `"${name}" could be ${hits.map((h) => `"${namesOf(h)[0]}"`).join(' or ')}; say which`,
      };
    }
  }
  return { ok: false, message: `no ${what} "${name}"; choices: ${choices()}` };
}

/** The button a label names, searching the surfaces in the order given. */
export function findButton(
  surfaces: readonly Surface[],
  label: string,
): { ok: true; value: FoundElement } | { ok: false; message: string } {
  const buttons = surfaces.flatMap(elementsOf).filter((e) => e.element.type === 'button');
  if (buttons.length === 0) return { ok: false, message: 'the last answer has no buttons' };
  return pickByName(buttons, label, (b) => [b.label, String(b.element.action_id ?? '')], 'button');
}

/** The select (in a message, the Home tab or a modal) a name means. */
export function findSelect(
  surfaces: readonly Surface[],
  name: string,
): { ok: true; value: FoundElement } | { ok: false; message: string } {
  const selects = surfaces.flatMap(elementsOf).filter((e) => SELECTS.has(String(e.element.type)));
  if (selects.length === 0) return { ok: false, message: 'the last answer has no menus to choose from' };
  return pickByName(selects, name, (s) => [s.label, s.blockId, String(s.element.action_id ?? '')], 'menu');
}

const SELECTS = new Set([
  'static_select',
  'multi_static_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'radio_buttons',
  'checkboxes',
  'overflow',
]);

export interface ModalInput {
  blockId: string;
  actionId: string;
  label: string;
  optional: boolean;
  /** A change is sent to the app at once (`dispatch_action`), which then usually updates the modal. */
  dispatch: boolean;
  element: Json;
}

export function inputsOf(view: Json): ModalInput[] {
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  return blocks.filter(isRecord).flatMap((block): ModalInput[] => {
    if (block.type !== 'input' || !isRecord(block.element)) return [];
    return [
      {
        blockId: String(block.block_id ?? ''),
        actionId: String(block.element.action_id ?? ''),
        label: renderText(block.label),
        optional: block.optional === true,
        dispatch: block.dispatch_action === true,
        element: block.element,
      },
    ];
  });
}

export function findInput(inputs: readonly ModalInput[], name: string) {
  return pickByName(inputs, name, (i) => [i.label, i.blockId, i.actionId], 'field');
}

/** One entry of `view.state.values[block][action]`, as Slack reports it. */
export type StateValue = Json;

/** Resolves what someone typed for a users select (e-mail, handle, name) to a Slack user id. */
export type UserResolver = (who: string) => string | undefined;

function optionObject(element: Json, raw: string): { ok: true; value: Json } | { ok: false; message: string } {
  const options = [
    ...(Array.isArray(element.options) ? element.options : []),
    ...(Array.isArray(element.option_groups)
      ? element.option_groups.filter(isRecord).flatMap((g) => (Array.isArray(g.options) ? g.options : []))
      : []),
  ].filter(isRecord);
  const exact = options.find((o) => o.value === raw);
  if (exact) return { ok: true, value: exact };
  const labelled = optionsOf(element);
  const picked = pickByName(
    options.map((o, i) => ({ o, label: labelled[i]!.label, value: labelled[i]!.value })),
    raw,
    (c) => [c.label, c.value],
    'option',
  );
  return picked.ok ? { ok: true, value: picked.value.o } : picked;
}

/** The state entry for a raw value typed for an element (`a,b` for several). */
export function stateValueFor(
  element: Json,
  raw: string,
  resolveUser: UserResolver,
): { ok: true; value: StateValue } | { ok: false; message: string } {
  const type = String(element.type ?? '');
  const several = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const users = (parts: string[]) => {
    const ids = parts.map((p) => ({ p, id: resolveUser(p) }));
    const unknown = ids.find((x) => x.id === undefined);
    return unknown
      ? { ok: false as const, message: `no demo user "${unknown.p}"` }
      : { ok: true as const, ids: ids.map((x) => x.id!) };
  };
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons': {
      const option = optionObject(element, raw.trim());
      return option.ok ? { ok: true, value: { type, selected_option: option.value } } : option;
    }
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes': {
      const picked: Json[] = [];
      for (const part of several) {
        const option = optionObject(element, part);
        if (!option.ok) return option;
        picked.push(option.value);
      }
      return { ok: true, value: { type, selected_options: picked } };
    }
    case 'users_select': {
      const found = users([raw.trim()]);
      return found.ok ? { ok: true, value: { type, selected_user: found.ids[0] } } : found;
    }
    case 'multi_users_select': {
      const found = users(several);
      return found.ok ? { ok: true, value: { type, selected_users: found.ids } } : found;
    }
    case 'conversations_select':
      return { ok: true, value: { type, selected_conversation: raw.trim() } };
    case 'channels_select':
      return { ok: true, value: { type, selected_channel: raw.trim() } };
    case 'multi_conversations_select':
      return { ok: true, value: { type, selected_conversations: several } };
    case 'multi_channels_select':
      return { ok: true, value: { type, selected_channels: several } };
    case 'datepicker':
      return { ok: true, value: { type, selected_date: raw.trim() } };
    case 'timepicker':
      return { ok: true, value: { type, selected_time: raw.trim() } };
    default:
      return { ok: true, value: { type, value: raw } };
  }
}

/** The state Slack reports for an element nobody touched: its initial value, or empty. */
export function initialStateValue(element: Json): StateValue {
  const type = String(element.type ?? '');
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: isRecord(element.initial_option) ? element.initial_option : null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: Array.isArray(element.initial_options) ? element.initial_options : [] };
    case 'users_select':
      return { type, selected_user: element.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: Array.isArray(element.initial_users) ? element.initial_users : [] };
    case 'conversations_select':
      return { type, selected_conversation: element.initial_conversation ?? null };
    case 'channels_select':
      return { type, selected_channel: element.initial_channel ?? null };
    case 'multi_conversations_select':
      return { type, selected_conversations: element.initial_conversations ?? [] };
    case 'multi_channels_select':
      return { type, selected_channels: element.initial_channels ?? [] };
    case 'datepicker':
      return { type, selected_date: element.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: element.initial_time ?? null };
    default:
      return { type, value: typeof element.initial_value === 'string' ? element.initial_value : null };
  }
}

/** `view.state.values`: every input block, with what was typed or else its initial value. */
export function stateValues(
  view: Json,
  typed: ReadonlyMap<string, StateValue>,
): Record<string, Record<string, StateValue>> {
  const values: Record<string, Record<string, StateValue>> = {};
  for (const input of inputsOf(view)) {
    values[input.blockId] = { [input.actionId]: typed.get(input.blockId) ?? initialStateValue(input.element) };
  }
  return values;
}

function userObject(user: ConsoleUser) {
  return { id: user.id, username: user.username, name: user.username, team_id: CONSOLE_TEAM.id };
}

/** A view as Slack echoes it in payloads: the app's view plus Slack's bookkeeping and the current state. */
export function payloadView(surface: ViewSurface, values: Record<string, Record<string, StateValue>>): Json {
  return {
    ...surface.view,
    id: surface.id,
    team_id: CONSOLE_TEAM.id,
    app_id: CONSOLE_APP_ID,
    bot_id: 'B0BOT',
    hash: `${surface.seq}.${surface.id}`,
    root_view_id: surface.id,
    previous_view_id: null,
    private_metadata: typeof surface.view.private_metadata === 'string' ? surface.view.private_metadata : '',
    callback_id: typeof surface.view.callback_id === 'string' ? surface.view.callback_id : '',
    state: { values },
  };
}

/** The `actions[0]` Slack sends for a pressed button or a choice in a menu. */
export function actionOf(found: FoundElement, actionTs: string, state?: StateValue): Json {
  const { element, blockId } = found;
  const base = { type: element.type, action_id: element.action_id, block_id: blockId, action_ts: actionTs };
  if (element.type === 'button') {
    return {
      ...base,
      text: element.text,
      ...(element.value === undefined ? {} : { value: element.value }),
      ...(element.style === undefined ? {} : { style: element.style }),
      ...(element.url === undefined ? {} : { url: element.url }),
    };
  }
  const { type: _type, ...selection } = state ?? {};
  return { ...base, ...(element.placeholder ? { placeholder: element.placeholder } : {}), ...selection };
}

export function blockActionsPayload(input: {
  user: ConsoleUser;
  found: FoundElement;
  action: Json;
  triggerId: string;
  /** For messages: a fresh `response_url` for this interaction. */
  responseUrl: string;
  /** For views: the current state of its inputs. */
  values?: Record<string, Record<string, StateValue>>;
}): Json {
  const { surface } = input.found;
  const common = {
    type: 'block_actions',
    user: userObject(input.user),
    api_app_id: CONSOLE_APP_ID,
    token: VERIFICATION_TOKEN,
    team: CONSOLE_TEAM,
    enterprise: null,
    is_enterprise_install: false,
    trigger_id: input.triggerId,
    actions: [input.action],
  };
  if (surface.kind === 'view') {
    return {
      ...common,
      container: { type: 'view', view_id: surface.id },
      view: payloadView(surface, input.values ?? {}),
    };
  }
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: surface.ts,
      channel_id: surface.channel,
      is_ephemeral: surface.ephemeral,
    },
    channel: {
      id: surface.channel,
      name: surface.channel === CONSOLE_CHANNEL.id ? CONSOLE_CHANNEL.name : surface.channel.toLowerCase(),
    },
    // Slack leaves the message out of payloads from ephemeral messages; handlers must not rely on it.
    ...(surface.ephemeral ? {} : { message: messageObject(surface) }),
    state: { values: {} },
    response_url: input.responseUrl,
  };
}

function messageObject(surface: MessageSurface): Json {
  return {
    type: 'message',
    ts: surface.ts,
    text: surface.text ?? '',
    blocks: surface.blocks,
    user: 'U0BOT',
    bot_id: 'B0BOT',
  };
}

export function viewSubmissionPayload(input: {
  user: ConsoleUser;
  surface: ViewSurface;
  values: Record<string, Record<string, StateValue>>;
  triggerId: string;
}): Json {
  return {
    type: 'view_submission',
    team: CONSOLE_TEAM,
    user: userObject(input.user),
    api_app_id: CONSOLE_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    view: payloadView(input.surface, input.values),
    response_urls: [],
    enterprise: null,
    is_enterprise_install: false,
  };
}
