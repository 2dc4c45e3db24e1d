/**
 * The shapes of what Slack posts to `POST /slack/events`, as far as this app reads them. A body that does not
 * match is refused before any listener runs, so listeners never meet a `null` payload, a number where a
 * string belongs or a view without blocks. Objects stay open (Slack adds fields freely); every string and
 * list the app reads is bounded by INPUT_LIMITS.
 */
import { z } from 'zod';
import { INPUT_LIMITS } from '../domain/input-limits.js';

/** Slack ids, action and block ids, hashes, timestamps: short tokens. */
const token = z.string().min(1).max(255);
const url = z.string().max(2_000);
const user = z.looseObject({ id: token });

const option = z.looseObject({
  value: z.string().max(INPUT_LIMITS.actionValueChars),
  text: z.looseObject({ text: z.string().max(INPUT_LIMITS.modalTextChars) }).optional(),
});
const options = z.array(option).max(100);

/** One input's state in `view.state.values[block][action]`. */
const fieldState = z.looseObject({
  value: z.string().max(INPUT_LIMITS.modalTextChars).nullish(),
  selected_option: option.nullish(),
  selected_options: options.nullish(),
  selected_user: token.nullish(),
  selected_users: z.array(token).max(100).nullish(),
});

const view = z.looseObject({
  id: token,
  hash: token.optional(),
  callback_id: z.string().max(255).optional(),
  private_metadata: z.string().max(INPUT_LIMITS.viewMetadataChars).optional(),
  blocks: z.array(z.looseObject({ type: token, block_id: token.optional() })).max(100),
  state: z.looseObject({ values: z.record(token, z.record(token, fieldState)) }).optional(),
});

const action = z.looseObject({
  type: token,
  action_id: token,
  block_id: token.optional(),
  value: z.string().max(INPUT_LIMITS.actionValueChars).optional(),
  selected_option: option.nullish(),
  selected_options: options.nullish(),
  action_ts: token.optional(),
});

const interaction = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('block_actions'),
    user,
    trigger_id: token.optional(),
    response_url: url.optional(),
    actions: z.array(action).min(1).max(25),
    view: view.optional(),
  }),
  z.looseObject({ type: z.literal('view_submission'), user, view }),
  z.looseObject({ type: z.literal('view_closed'), user, view }),
]);

const slashCommand = z.looseObject({
  command: token,
  // Its length is checked by the command itself, which can then answer the person instead of Slack.
  text: z.string(),
  user_id: token,
  trigger_id: token,
  response_url: url,
  channel_id: token.optional(),
  team_id: token.optional(),
});

const jsonBody = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('url_verification'), challenge: z.string().max(1_000) }),
  z.looseObject({
    type: z.literal('event_callback'),
    event: z.looseObject({ type: token, user: token.optional(), tab: token.optional() }),
  }),
]);

export type SlackBody =
  | { kind: 'url_verification'; challenge: string }
  | { kind: 'dispatch'; body: Record<string, unknown> };

export type SlackBodyCheck = { ok: true; body: SlackBody } | { ok: false; status: 400 | 415; message: string };

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Parses and checks a body whose signature was verified, by its content type (Slack sends exactly these two). */
export function readSlackBody(contentType: string | undefined, raw: string): SlackBodyCheck {
  const type = mediaType(contentType);
  if (type === FORM) return readForm(raw);
  if (type === JSON_TYPE) return checked(jsonBody, parseJson(raw), 'event');
  return { ok: false, status: 415, message: `unsupported content type: expected ${FORM} or ${JSON_TYPE}` };
}

/** Slack's `ssl_check=1` probe carries no signature; anything else in a form body must be signed. */
export function isSslCheck(contentType: string | undefined, raw: string): boolean {
  return mediaType(contentType) === FORM && new URLSearchParams(raw).get('ssl_check') === '1';
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function readForm(raw: string): SlackBodyCheck {
  const fields = Object.fromEntries(new URLSearchParams(raw));
  if (fields.payload !== undefined) return checked(interaction, parseJson(fields.payload), 'interaction payload');
  return checked(slashCommand, fields, 'slash command');
}

function checked(schema: z.ZodType<Record<string, unknown>>, value: unknown, what: string): SlackBodyCheck {
  if (value === undefined) return { ok: false, status: 400, message: `malformed ${what}: not JSON` };
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
    return { ok: false, status: 400, message: `malformed ${what}: ${where}: ${issue.message}` };
  }
  const body = parsed.data;
  return body.type === 'url_verification'
    ? { ok: true, body: { kind: 'url_verification', challenge: String(body.challenge) } }
    : { ok: true, body: { kind: 'dispatch', body } };
}

/** JSON.parse that yields undefined for malformed text (valid JSON never parses to undefined). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
