/**
 * The console's two wires: signed requests to the app's Slack endpoint, exactly as Slack signs them, and the
 * Slack stand-in's read-only control API (what the app sent to "Slack", and the workspace's users).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';

/** Slack's request signature: `v0=` HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface AppAnswer {
  status: number;
  /** The raw body; JSON when the app answered with a message or a `response_action`. */
  text: string;
  json?: Record<string, unknown>;
}

const REQUEST_TIMEOUT_MS = 10_000;

export async function postToApp(
  url: string,
  body: string,
  options: { secret: string; contentType: string; now?: () => number },
): Promise<AppAnswer> {
  const timestamp = Math.floor((options.now?.() ?? Date.now()) / 1000);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': options.contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(options.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new Error(`cannot reach the app at ${url} (${describe(error)}); is \`npm start\` running?`);
  }
  const text = await response.text();
  return { status: response.status, text, json: parseObject(text) };
}

const listedCallSchema = z.object({
  index: z.number().int(),
  method: z.string(),
  args: z.record(z.string(), z.unknown()),
  at: z.number(),
  result: z.record(z.string(), z.unknown()).optional(),
});
export type ListedCall = z.infer<typeof listedCallSchema>;

const callPageSchema = z.object({ calls: z.array(listedCallSchema), next: z.number().int() });
export type CallPage = z.infer<typeof callPageSchema>;

const standInUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional(),
  isBot: z.boolean().optional(),
  deleted: z.boolean().optional(),
});
export type ConsoleDirectoryUser = z.infer<typeof standInUserSchema>;

export interface StandInClient {
  readonly url: string;
  /** Calls recorded after the first `since`, waiting up to `waitMs` for one to arrive. */
  calls(since: number, waitMs?: number): Promise<CallPage>;
  /** How many calls were recorded so far: the `since` of what comes next. */
  count(): Promise<number>;
  users(): Promise<ConsoleDirectoryUser[]>;
}

export function standInClient(baseUrl: string): StandInClient {
  const url = baseUrl.replace(/\/+$/, '').replace(/\/api$/, '');
  const get = async <T>(path: string, schema: z.ZodType<T>, timeoutMs: number): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new Error(`cannot reach the Slack stand-in at ${url} (${describe(error)}); pass --standin <url>`);
    }
    const body = parseObject(await response.text());
    const parsed = schema.safeParse(body);
    if (!response.ok || !parsed.success) {
      throw new Error(`${url}${path} answered ${response.status}: is this the Slack stand-in of the demo?`);
    }
    return parsed.data;
  };
  return {
    url,
    calls: (since, waitMs = 0) =>
      get(
        `/__standin/calls?since=${since}&wait=${Math.max(0, Math.round(waitMs))}`,
        callPageSchema,
        waitMs + REQUEST_TIMEOUT_MS,
      ),
    count: async () =>
      (await get(`/__standin/calls?since=${Number.MAX_SAFE_INTEGER}`, callPageSchema, REQUEST_TIMEOUT_MS)).next,
    users: async () =>
      (await get('/__standin/users', z.object({ users: z.array(standInUserSchema) }), REQUEST_TIMEOUT_MS)).users,
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return cause ?? error.message;
  }
  return String(error);
}
