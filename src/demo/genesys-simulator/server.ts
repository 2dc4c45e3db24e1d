import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as timer } from 'node:timers/promises';
import { z } from 'zod';
import * as answers from './answers.js';
import { demoFixture, type SimulatorFixture } from './fixture.js';
import { genesysRoutes, type JsonAnswer, MALFORMED_BODY, routeGenesys } from './genesys-routes.js';
import { createNotificationHub, type NotificationControls } from './notifications.js';
import { type AgentSnapshot, createOrgState } from './org-state.js';

export type FaultKind = 401 | 403 | 404 | 429 | 500 | 502 | 503 | 504 | 'timeout' | 'reset' | 'applied-timeout';

export interface FaultSpec {
  /** Path pattern: `*` matches within one segment, `**` across segments, e.g. `/api/v2/users/*\/routingstatus`. */
  path: string;
  /** Only this method (any when left out). */
  method?: string;
  /** How many matching calls fail (default 1). */
  count?: number;
  /**
   * An HTTP status answered with a Genesys ErrorBody, `timeout` (never answer), `reset` (drop the connection)
   * or `applied-timeout` (carry the call out, then never answer: a write that lands although the caller
   * sees a timeout).
   */
  kind: FaultKind;
  /** `Retry-After` of a 429 fault (default 1). */
  retryAfterSeconds?: number;
}

export interface RateLimitSpec {
  requests: number;
  windowSeconds: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** 0 when the simulator never answered (timeout fault) or dropped the connection. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  /** The OAuth client of the bearer token, for API calls that carried a valid one. */
  clientId?: string;
}

export interface SimulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default the bundled demo org (demo-org.json). */
  fixture?: SimulatorFixture;
  /** `expires_in` of issued tokens (default 86400, Genesys's org default). */
  tokenExpiresInSeconds?: number;
  /** Per OAuth client (default 300 requests per 60 s). */
  rateLimit?: RateLimitSpec;
  /** Added to every Genesys call (default 0). */
  latencyMs?: number;
  /** Time for token expiry and the rate limit window (default `Date.now`): tests share a virtual clock with the client. */
  now?: () => number;
  /** How the latency and event delays are waited for (default a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Lifetime of notification channels (default 86400 s, Genesys's 24 hours). */
  channelLifetimeSeconds?: number;
  /** Period of websocket heartbeats (default 30 000 ms, as Genesys). */
  heartbeatIntervalMs?: number;
}

export interface SimulatorHandle {
  /** `http://127.0.0.1:<port>`: pass as the client's `apiUrl`. */
  url: string;
  port: number;
  fixture: SimulatorFixture;
  close(): Promise<void>;
  /**
   * Back to the fixture: presences (notified to subscribers), faults, latency, rate limit, request log, token
   * count and the notification controls. Issued tokens and notification channels stay valid.
   */
  reset(): void;
  setLatency(ms: number): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  setRateLimit(limit: RateLimitSpec): void;
  setTokenExpiresIn(seconds: number): void;
  /** Every issued token stops working now (as if expired or revoked). */
  expireTokens(): void;
  /** A change made outside the app ("from the Genesys UI"); `presence` is a definition id or label. */
  setAgentPresence(user: string, presence: string, message?: string): AgentSnapshot;
  /** `user` is an id or e-mail. */
  getAgentState(user: string): AgentSnapshot;
  users(): Array<{ id: string; name: string; email: string }>;
  requests(filter?: { method?: string; path?: string }): RequestLogEntry[];
  clearRequests(): void;
  tokenRequestCount(): number;
  /** Tokens issued so far (tests assert none of them reaches a log). */
  issuedTokens(): string[];
  /** The notification service: channels, and controls that break the channel on purpose. */
  notifications: NotificationControls;
}

interface Fault extends Required<Omit<FaultSpec, 'method' | 'retryAfterSeconds'>> {
  method?: string;
  retryAfterSeconds: number;
  matcher: RegExp;
  remaining: number;
}

const DEFAULT_RATE_LIMIT: RateLimitSpec = { requests: 300, windowSeconds: 60 };
const MAX_BODY_BYTES = 1024 * 1024;

/** `*` → one path segment, `**` → anything; everything else literal. */
export function pathPattern(glob: string): RegExp {
  const escaped = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

const faultSchema = z.object({
  path: z.string().min(1),
  method: z.string().min(1).optional(),
  count: z.number().int().positive().optional(),
  kind: z.union([
    z.literal(401),
    z.literal(403),
    z.literal(404),
    z.literal(429),
    z.literal(500),
    z.literal(502),
    z.literal(503),
    z.literal(504),
    z.literal('timeout'),
    z.literal('reset'),
    z.literal('applied-timeout'),
  ]),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
});
const rateLimitSchema = z.object({ requests: z.number().int().positive(), windowSeconds: z.number().positive() });

const FAULT_MESSAGES: Record<number, [string, string]> = {
  401: ['bad.credentials', 'Invalid login credentials.'],
  403: ['missing.permissions', 'Unable to perform the requested action. You are missing the following permission(s).'],
  404: ['not.found', 'The requested resource could not be found.'],
  429: ['too.many.requests', 'Rate limit exceeded the maximum.'],
  500: ['internal.server.error', 'The server encountered an unexpected condition.'],
  502: ['bad.gateway', 'Bad gateway.'],
  503: ['service.unavailable', 'Service temporarily unavailable.'],
  504: ['gateway.timeout', 'The gateway timed out.'],
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const hasNoBody = (method: string) => method === 'GET' || method === 'HEAD' || method === 'DELETE';

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return MALFORMED_BODY;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'inin-correlation-id': randomUUID(), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Starts a Genesys Cloud simulator on 127.0.0.1 (see SimulatorHandle for the test controls). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const fixture = options.fixture ?? demoFixture();
  const state = createOrgState(fixture);
  const { now = Date.now, sleep = timer } = options;
  let baseUrl = '';
  const hub = createNotificationHub(state, () => baseUrl, {
    now,
    sleep,
    ...(options.channelLifetimeSeconds === undefined ? {} : { channelLifetimeSeconds: options.channelLifetimeSeconds }),
    ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
  });
  const routes = [...genesysRoutes(state), ...hub.routes];
  const clients = new Map(fixture.oauthClients.map((client) => [client.clientId, client.clientSecret]));
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  const windows = new Map<string, number[]>();
  let tokenExpiresInSeconds = options.tokenExpiresInSeconds ?? 86_400;
  let rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  let latencyMs = options.latencyMs ?? 0;
  let faults: Fault[] = [];
  let requestLog: RequestLogEntry[] = [];
  let tokenRequests = 0;
  /** Bumped by reset() and clearRequests(), so calls still in flight then do not land in the fresh log. */
  let logGeneration = 0;
  const everIssued: string[] = [];

  function takeFault(method: string, path: string): Fault | undefined {
    const fault = faults.find(
      (f) => f.remaining > 0 && (f.method === undefined || f.method === method) && f.matcher.test(path),
    );
    if (fault !== undefined) fault.remaining -= 1;
    return fault;
  }

  function injectFault(spec: FaultSpec): void {
    const parsed = faultSchema.parse(spec);
    const count = parsed.count ?? 1;
    faults.push({
      path: parsed.path,
      ...(parsed.method === undefined ? {} : { method: parsed.method.toUpperCase() }),
      count,
      kind: parsed.kind,
      retryAfterSeconds: parsed.retryAfterSeconds ?? 1,
      matcher: pathPattern(parsed.path),
      remaining: count,
    });
  }

  function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
    // Never answered; the client gives up, or close() drops it.
    if (fault.kind === 'timeout' || fault.kind === 'applied-timeout') return;
    if (fault.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const [code, message] = FAULT_MESSAGES[fault.kind]!;
    const headers: Record<string, string> =
      fault.kind === 429 ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
    send(res, fault.kind, answers.errorBody(fault.kind, code, message), headers);
  }

  async function issueToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers.authorization ?? '';
    const form = new URLSearchParams(await readBody(req));
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const separator = decoded.indexOf(':');
    const clientId = separator < 0 ? '' : decoded.slice(0, separator);
    const secret = separator < 0 ? '' : decoded.slice(separator + 1);
    if (clients.get(clientId) !== secret || secret === '') {
      send(res, 401, {
        error: 'invalid_client',
        description: 'client not found',
        error_description: 'client not found',
      });
      return;
    }
    if (form.get('grant_type') !== 'client_credentials') {
      send(res, 400, {
        error: 'unsupported_grant_type',
        description: 'grant type not supported',
        error_description: 'grant type not supported',
      });
      return;
    }
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(accessToken, { clientId, expiresAt: now() + tokenExpiresInSeconds * 1000 });
    everIssued.push(accessToken);
    send(res, 200, { access_token: accessToken, token_type: 'bearer', expires_in: tokenExpiresInSeconds });
  }

  function authenticate(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return undefined;
    const token = header.slice(7);
    const issued = tokens.get(token);
    if (issued === undefined) return undefined;
    if (issued.expiresAt <= now()) {
      tokens.delete(token);
      return undefined;
    }
    return issued.clientId;
  }

  /** Sliding window per OAuth client; answers the `inin-ratelimit-*` headers Genesys sends. */
  function admit(clientId: string): { admitted: boolean; headers: Record<string, string> } {
    const at = now();
    const windowMs = rateLimit.windowSeconds * 1000;
    const starts = (windows.get(clientId) ?? []).filter((t) => t > at - windowMs);
    const admitted = starts.length < rateLimit.requests;
    if (admitted) starts.push(at);
    windows.set(clientId, starts);
    const resetSeconds = Math.max(1, Math.ceil(((starts[0] ?? at) + windowMs - at) / 1000));
    return {
      admitted,
      headers: {
        'inin-ratelimit-count': String(starts.length),
        'inin-ratelimit-allowed': String(rateLimit.requests),
        'inin-ratelimit-reset': String(resetSeconds),
        ...(admitted ? {} : { 'retry-after': String(resetSeconds) }),
      },
    };
  }

  async function handleGenesys(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const started = performance.now();
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query: url.search.slice(1),
      status: 0,
      time: new Date().toISOString(),
      durationMs: 0,
    };
    let logged = false;
    const generation = logGeneration;
    const record = () => {
      if (logged || generation !== logGeneration) return;
      logged = true;
      entry.status = res.headersSent ? res.statusCode : 0;
      entry.durationMs = Math.round(performance.now() - started);
      requestLog.push(entry);
    };
    res.on('finish', record);
    res.on('close', record);

    const isTokenRequest = method === 'POST' && url.pathname === '/oauth/token';
    if (isTokenRequest) tokenRequests += 1;
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = takeFault(method, url.pathname);
    if (fault !== undefined && fault.kind !== 'applied-timeout') {
      applyFault(fault, req, res);
      return;
    }
    if (isTokenRequest) {
      await issueToken(req, res);
      return;
    }
    const clientId = authenticate(req);
    if (clientId === undefined) {
      const missing = !(req.headers.authorization ?? '').startsWith('Bearer ');
      send(
        res,
        401,
        missing
          ? answers.errorBody(
              401,
              'authentication.required',
              'No authentication bearer token specified in authorization header.',
            )
          : answers.errorBody(401, 'bad.credentials', 'Invalid login credentials.'),
      );
      return;
    }
    entry.clientId = clientId;
    const limit = admit(clientId);
    if (!limit.admitted) {
      send(
        res,
        429,
        answers.errorBody(
          429,
          'too.many.requests',
          `Rate limit exceeded the maximum. [${rateLimit.requests}] requests for [${rateLimit.windowSeconds}] seconds`,
        ),
        limit.headers,
      );
      return;
    }
    const body = hasNoBody(method) ? undefined : parseJson(await readBody(req));
    const answer = routeGenesys(routes, method, url, body, clientId);
    if (fault?.kind === 'applied-timeout') return; // carried out; the answer is never sent
    send(res, answer.status, answer.body, limit.headers);
  }

  function userOrThrow(ref: string) {
    const user = state.user(ref);
    if (user === undefined) throw new Error(`simulator has no user ${ref}`);
    return user;
  }

  const handle: Omit<SimulatorHandle, 'url' | 'port' | 'close'> = {
    fixture,
    reset() {
      // Controls first, so that the reset's own events go out at once.
      hub.reset();
      state.reset();
      faults = [];
      latencyMs = options.latencyMs ?? 0;
      rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
      tokenExpiresInSeconds = options.tokenExpiresInSeconds ?? 86_400;
      windows.clear();
      requestLog = [];
      logGeneration += 1;
      tokenRequests = 0;
    },
    setLatency(ms) {
      latencyMs = z.number().nonnegative().parse(ms);
    },
    injectFault,
    clearFaults() {
      faults = [];
    },
    setRateLimit(limit) {
      rateLimit = rateLimitSchema.parse(limit);
      windows.clear();
    },
    setTokenExpiresIn(seconds) {
      tokenExpiresInSeconds = z.number().positive().parse(seconds);
    },
    expireTokens() {
      tokens.clear();
    },
    setAgentPresence(ref, presence, message) {
      const user = userOrThrow(ref);
      const definition = state.definition(presence);
      if (definition === undefined) throw new Error(`simulator has no presence definition ${presence}`);
      state.setPresence(user, definition, message);
      return state.snapshot(user);
    },
    getAgentState(ref) {
      return state.snapshot(userOrThrow(ref));
    },
    users() {
      return state.users().map((u) => ({ id: u.id, name: u.name, email: u.email }));
    },
    requests(filter = {}) {
      const matcher = filter.path === undefined ? undefined : pathPattern(filter.path);
      const method = filter.method?.toUpperCase();
      return requestLog.filter(
        (e) => (method === undefined || e.method === method) && (matcher === undefined || matcher.test(e.path)),
      );
    },
    clearRequests() {
      requestLog = [];
      logGeneration += 1;
    },
    tokenRequestCount: () => tokenRequests,
    issuedTokens: () => [...everIssued],
    notifications: hub.controls,
  };

  const control = controlRoutes(handle, hub.controlRoute);

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://simulator');
    } catch {
      send(res, 400, answers.errorBody(400, 'bad.request', 'Malformed URL.'));
      return;
    }
    const work = url.pathname.startsWith('/__sim/') ? control(req, res, url) : handleGenesys(req, res, url);
    work.catch((error: unknown) => {
      send(res, 500, answers.errorBody(500, 'internal.server.error', error instanceof Error ? error.message : 'error'));
    });
  });

  server.on('upgrade', (req, socket, head) => {
    if (!hub.upgrade(req, socket, head)) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    ...handle,
    url: baseUrl,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        hub.close();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Hung (timeout-fault) and keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** The `/__sim/` control API: the handle's functions over HTTP, no auth (127.0.0.1 only). */
function controlRoutes(
  handle: Omit<SimulatorHandle, 'url' | 'port' | 'close'>,
  notificationControl: (method: string, path: string, body: unknown) => JsonAnswer | undefined,
) {
  const presenceBody = z.object({ presence: z.string().min(1), message: z.string().optional() });
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname.slice('/__sim'.length);
    const body = hasNoBody(method) ? undefined : parseJson(await readBody(req));
    const agent = /^\/agents\/([^/]+)(\/presence)?$/.exec(path);
    try {
      const notificationAnswer = path.startsWith('/notifications/')
        ? notificationControl(method, path, body === MALFORMED_BODY ? undefined : body)
        : undefined;
      if (notificationAnswer !== undefined) {
        send(res, notificationAnswer.status, notificationAnswer.body);
      } else if (method === 'POST' && path === '/reset') {
        handle.reset();
        send(res, 204, undefined);
      } else if (method === 'PUT' && path === '/latency') {
        handle.setLatency(z.object({ ms: z.number() }).parse(body).ms);
        send(res, 204, undefined);
      } else if (method === 'POST' && path === '/faults') {
        handle.injectFault(faultSchema.parse(body));
        send(res, 204, undefined);
      } else if (method === 'DELETE' && path === '/faults') {
        handle.clearFaults();
        send(res, 204, undefined);
      } else if (method === 'PUT' && path === '/rate-limit') {
        handle.setRateLimit(rateLimitSchema.parse(body));
        send(res, 204, undefined);
      } else if (method === 'PUT' && path === '/token-ttl') {
        handle.setTokenExpiresIn(z.object({ seconds: z.number() }).parse(body).seconds);
        send(res, 204, undefined);
      } else if (method === 'POST' && path === '/tokens/expire') {
        handle.expireTokens();
        send(res, 204, undefined);
      } else if (method === 'GET' && path === '/token-requests') {
        send(res, 200, { count: handle.tokenRequestCount() });
      } else if (method === 'GET' && path === '/requests') {
        const method = url.searchParams.get('method') ?? undefined;
        const pathFilter = url.searchParams.get('path') ?? undefined;
        send(res, 200, {
          requests: handle.requests({
            ...(method === undefined ? {} : { method }),
            ...(pathFilter === undefined ? {} : { path: pathFilter }),
          }),
        });
      } else if (method === 'DELETE' && path === '/requests') {
        handle.clearRequests();
        send(res, 204, undefined);
      } else if (method === 'GET' && path === '/users') {
        send(res, 200, { users: handle.users() });
      } else if (agent !== null && method === 'GET' && agent[2] === undefined) {
        send(res, 200, handle.getAgentState(decodeURIComponent(agent[1]!)));
      } else if (agent !== null && method === 'PUT' && agent[2] === '/presence') {
        const change = presenceBody.parse(body);
        send(res, 200, handle.setAgentPresence(decodeURIComponent(agent[1]!), change.presence, change.message));
      } else {
        send(res, 404, { error: `no simulator control at ${method} ${url.pathname}` });
      }
    } catch (error) {
      const message =
        error instanceof z.ZodError
          ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
          : error instanceof Error
            ? error.message
            : String(error);
      send(res, 400, { error: message });
    }
  };
}
