/**
 * What the console remembers between invocations: the messages and views it has shown (so `--click` and
 * `--submit` act on them), the open modal stack, who is typing and which `response_url`s are its own.
 */
import { z } from 'zod';
import { isRecord } from './render.js';

const block = z.unknown();

export const messageSurfaceSchema = z.object({
  kind: z.literal('message'),
  /** How it arrived: `ack`, `response_url`, `chat.postMessage`, `chat.postEphemeral`, `chat.update`. */
  origin: z.string(),
  ts: z.string(),
  channel: z.string(),
  ephemeral: z.boolean(),
  text: z.string().optional(),
  blocks: z.array(block).default([]),
  /** `response_url`s that point at it (its command's, and one per button pressed on it): posts there may replace it. */
  responseUrls: z.array(z.string()).default([]),
  /** The invocation that showed it last. */
  seq: z.number().int(),
});
export type MessageSurface = z.infer<typeof messageSurfaceSchema>;

export const viewSurfaceSchema = z.object({
  kind: z.literal('view'),
  origin: z.string(),
  id: z.string(),
  view: z.record(z.string(), z.unknown()),
  seq: z.number().int(),
});
export type ViewSurface = z.infer<typeof viewSurfaceSchema>;

export type Surface = MessageSurface | ViewSurface;

export const consoleStateSchema = z.object({
  version: z.literal(1),
  /** Slack id of the person typing (the last `--as`). */
  user: z.string().optional(),
  seq: z.number().int().default(0),
  /** The invocation whose answers `--click` looks at first. */
  lastAnswerSeq: z.number().int().default(0),
  messages: z.array(messageSurfaceSchema).default([]),
  /** Open modals, the top one last. */
  modals: z.array(viewSurfaceSchema).default([]),
  home: viewSurfaceSchema.optional(),
  /** `response_url`s this console handed out, newest last. */
  responseUrls: z.array(z.string()).default([]),
});
export type ConsoleState = z.infer<typeof consoleStateSchema>;

export function emptyState(): ConsoleState {
  return { version: 1, seq: 0, lastAnswerSeq: 0, messages: [], modals: [], responseUrls: [] };
}

const KEEP_MESSAGES = 30;
const KEEP_RESPONSE_URLS = 50;

export function trimState(state: ConsoleState): ConsoleState {
  return {
    ...state,
    messages: state.messages.slice(-KEEP_MESSAGES),
    responseUrls: state.responseUrls.slice(-KEEP_RESPONSE_URLS),
  };
}

/**
 * Slack gives every block and element an id when the app leaves it out, and echoes those ids in payloads;
 * the console does the same (deterministically) when it stores a surface.
 */
export function withIds(blocks: readonly unknown[]): unknown[] {
  return blocks.map((b, i) => {
    if (!isRecord(b)) return b;
    const blockId = typeof b.block_id === 'string' ? b.block_id : `b${i}`;
    const withElementIds = (e: unknown, j: number) =>
      isRecord(e) && e.type !== 'image' && typeof e.action_id !== 'string'
        ? { ...e, action_id: `${blockId}-a${j}` }
        : e;
    const out: Record<string, unknown> = { ...b, block_id: blockId };
    if (b.type === 'actions' && Array.isArray(b.elements)) out.elements = b.elements.map(withElementIds);
    if (isRecord(b.accessory)) out.accessory = withElementIds(b.accessory, 0);
    if (isRecord(b.element)) out.element = withElementIds(b.element, 0);
    return out;
  });
}

/** A view as stored: ids filled in, as Slack would send it back. */
export function viewWithIds(view: Record<string, unknown>): Record<string, unknown> {
  return Array.isArray(view.blocks) ? { ...view, blocks: withIds(view.blocks) } : view;
}
