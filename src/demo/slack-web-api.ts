/**
 * A local stand-in for Slack's Web API, for tests and the embedded demo (Slack cannot run here). It speaks
 * the real protocol closely enough for `@slack/web-api`: `POST /api/<method>` with a Bearer token and a
 * form or JSON body, answers `{ ok: true, … }` or `{ ok: false, error }`, and `429` with `Retry-After` when
 * told to rate-limit. `response_url` posts land on `POST /response/<id>`. Every call is recorded, with the answer
 * it got, and readable from another process (the local Slack console) at `GET /__standin/calls?since=N`;
 * `GET /__standin/users` lists the workspace's users.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOn } from '../http/listen.js';

export interface StandInUser {
  id: string;
  name: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** The JSON answer sent back (absent for `response_url` posts and until the answer is sent). */
  result?: Record<string, unknown>;
}

/** A recorded call as `GET /__standin/calls` lists it: `index` is its position, for `since`. */
export interface ListedCall extends RecordedCall {
  index: number;
}

/** Longest `wait` a `GET /__standin/calls` long poll may ask for. */
const MAX_LIST_WAIT_MS = 30_000;

export interface SlackStandIn {
  /** Base URL for `clientOptions.slackApiUrl`, ending in `/api/`. */
  apiUrl: string;
  /** Base for `response_url` values: append any id. */
  responseUrlBase: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Resolves when `count` calls to `method` have been recorded (bounded by `timeoutMs`). */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** The next `times` calls to `method` answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit(method: string, times: number, retryAfterSeconds?: number): void;
  /** The next `times` calls to `method` answer `{ ok: false, error }`. */
  failNext(method: string, error: string, times?: number): void;
  addUser(user: StandInUser): void;
  close(): Promise<void>;
}

export async function startSlackStandIn(options: { users?: StandInUser[]; port?: number } = {}): Promise<SlackStandIn> {
  const users = new Map((options.users ?? []).map((u) => [u.id, u]));
  const calls: RecordedCall[] = [];
  const waiters = new Set<() => void>();
  const rateLimits = new Map<string, { times: number; retryAfter: number }>();
  const failures = new Map<string, { times: number; error: string }>();

  const record = (method: string, args: Record<string, unknown>): RecordedCall => {
    const call: RecordedCall = { method, args, at: Date.now() };
    calls.push(call);
    for (const wake of waiters) wake();
    return call;
  };

  /** Resolves once more than `since` calls exist, or after `waitMs`. */
  const callsAfter = (since: number, waitMs: number): Promise<void> =>
    new Promise((resolve) => {
      const check = () => {
        if (calls.length <= since) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        resolve();
      }, waitMs);
      waiters.add(check);
      check();
    });

  /** The control API: read-only views of what the stand-in saw, for a console in another process. */
  const control = async (url: URL): Promise<{ status: number; body: unknown }> => {
    if (url.pathname === '/__standin/users') return { status: 200, body: { users: [...users.values()] } };
    if (url.pathname !== '/__standin/calls')
      return { status: 404, body: { error: `no stand-in control at ${url.pathname}` } };
    const since = Number(url.searchParams.get('since') ?? '0');
    const wait = Number(url.searchParams.get('wait') ?? '0');
    if (!Number.isInteger(since) || since < 0 || !Number.isFinite(wait) || wait < 0) {
      return { status: 400, body: { error: 'since must be a whole number ≥ 0 and wait a number of milliseconds ≥ 0' } };
    }
    if (wait > 0) await callsAfter(since, Math.min(wait, MAX_LIST_WAIT_MS));
    const listed: ListedCall[] = calls.slice(since).map((call, i) => ({ index: since + i, ...call }));
    return { status: 200, body: { calls: listed, next: calls.length } };
  };

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return {
          url: 'https://demo.slack.com/',
          team: 'Demo',
          user: 'agent-status',
          team_id: 'T0DEMO',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        };
      case 'users.info': {
        const user = users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          user: {
            id: user.id,
            name: user.name,
            real_name: user.name,
            deleted: user.deleted ?? false,
            is_bot: user.isBot ?? false,
            profile: { real_name: user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}) },
          },
        };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        const id = String(args.view_id ?? `V${randomUUID().slice(0, 8).toUpperCase()}`);
        return { view: { id, ...(parseJson(args.view) as Record<string, unknown>) } };
      }
      case 'chat.postMessage':
      case 'chat.update':
        return { channel: args.channel, ts: String(args.ts ?? nextTs()), message: { text: args.text } };
      case 'chat.postEphemeral':
        return { message_ts: nextTs() };
      case 'conversations.info':
        return { channel: { id: args.channel, name: String(args.channel).toLowerCase(), is_member: true } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname.startsWith('/__standin/')) {
      const { status, body } = await control(url);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    const raw = await readBody(req);
    const args = parseArgs(req.headers['content-type'] ?? '', raw);
    if (url.pathname.startsWith('/response/')) {
      record('response_url', { ...args, path: url.pathname });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const call = record(method, args);
    const limit = rateLimits.get(method);
    if (limit && limit.times > 0) {
      limit.times -= 1;
      res.writeHead(429, { 'retry-after': String(limit.retryAfter), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const failure = failures.get(method);
    let body: Record<string, unknown>;
    if (failure && failure.times > 0) {
      failure.times -= 1;
      body = { ok: false, error: failure.error };
    } else if (method !== 'auth.test' && !String(req.headers.authorization ?? args.token ?? '').includes('xox')) {
      body = { ok: false, error: 'not_authed' };
    } else {
      body = { ok: true, ...answer(method, args) };
    }
    call.result = body;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  const port = options.port ?? 0;
  await listenOn(server, port, '127.0.0.1', { component: 'Slack Web API stand-in (demo, PORT + 1)', variable: 'PORT' });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrlBase: `${base}/response/`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitForCalls(method, count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = calls.filter((c) => c.method === method);
          if (found.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`expected ${count} call(s) to ${method}, saw ${calls.filter((c) => c.method === method).length}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    rateLimit(method, times, retryAfterSeconds = 1) {
      rateLimits.set(method, { times, retryAfter: retryAfterSeconds });
    },
    failNext(method, error, times = 1) {
      failures.set(method, { times, error });
    },
    addUser(user) {
      users.set(user.id, user);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let tsCounter = 0;
function nextTs(): string {
  tsCounter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function parseArgs(contentType: string, raw: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return parseJson(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) args[key] = parseJson(value);
  return args;
}

/** The Web API client sends objects (blocks, views) as JSON strings inside form fields. */
function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}
