import { setTimeout as timer } from 'node:timers/promises';
import type { Logger } from 'pino';
import type platformClient from 'purecloud-platform-client-v2';
import { z } from 'zod';
import type { AgentState, PresenceDefinition } from '../domain/presence.js';
import {
  type BulkPresenceResult,
  type CacheStore,
  GenesysError,
  type GenesysPort,
  type GenesysUser,
  type PresenceChange,
  type WriteBudget,
} from '../pipeline/ports.js';
import type { OperationInfo } from './attempt.js';
import { createGenesysCaller } from './caller.js';
import { type NotificationChannelApi, notificationChannelApi } from './channel-api.js';
import { coalesced } from './coalesce.js';
import { createRateLimiter } from './rate-limiter.js';
import { resolveGenesysEndpoints } from './region.js';
import * as responses from './responses.js';
import { createSdkClients } from './sdk.js';
import { createTokenCache } from './token-cache.js';

/**
 * Ids per `GET /api/v2/users/presences/purecloud/bulk`: "Limit 50" (SDK 262 JSDoc of
 * `getUsersPresencesPurecloudBulk`, docs/PresenceApi.md).
 */
const BULK_READ_MAX = 50;
/**
 * Entries per `PUT /api/v2/users/presences/bulk`. Neither the SDK 262 index.d.ts / docs/PresenceApi.md nor
 * the API explorer text found states a maximum for this endpoint, so this uses 50, the documented limit of
 * its read counterpart.
 */
const BULK_WRITE_MAX = 50;
/** Concurrent per-user PATCHes when the bulk write is unavailable; the rate limiter still applies. */
const FALLBACK_CONCURRENCY = 4;
/** A stale presence catalog is still served (and refreshed behind the scenes) for this long. */
const STALE_DEFINITIONS_KEEP_MS = 24 * 60 * 60 * 1000;
/** What one read of a user expands, so that presence and routing status cost one call. */
const STATE_EXPANDS = ['presence', 'routingStatus'] as const;
/**
 * E-mail addresses per `POST /api/v2/users/search`: the search's largest page is 100; 50 keeps the
 * request well inside any limit on the number of values a criterion may list.
 */
const SEARCH_EMAILS_MAX = 50;
/** Unknown e-mail addresses are remembered briefly, so a stranger retrying does not cost a search each time. */
const UNKNOWN_EMAIL_TTL_MS = 60_000;

const PERMISSION = {
  presenceEdit: 'presence:userPresence:edit',
  presenceDefinitionView: 'presence:presenceDefinition:view',
  userView: 'directory:user:view',
} as const;

const optionsSchema = z.object({
  clientId: z.string().min(1, 'clientId is required'),
  clientSecret: z.string().min(1, 'clientSecret is required'),
  /** A Genesys domain (`mypurecloud.ie`) or AWS-style region (`eu-west-1`); default `mypurecloud.com`. */
  region: z.string().min(1).optional(),
  /** Overrides API and login base, e.g. a simulator at `http://127.0.0.1:8085`. */
  apiUrl: z.string().min(1).optional(),
  /** The org's API rate limit per OAuth client. */
  requestsPerMinute: z.number().int().positive().default(300),
  /** Tries per call, the first included, for 429, 5xx, timeouts and connection failures. */
  maxAttempts: z.number().int().min(1).default(4),
  /** Deadline of each HTTP request. */
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** First retry delay before doubling and jitter. */
  retryBaseDelayMs: z.number().nonnegative().default(250),
  /** Cap of the exponential retry delay. */
  retryMaxDelayMs: z.number().nonnegative().default(8_000),
  /** Renew the token this long before it expires. */
  tokenSafetyMarginSeconds: z.number().nonnegative().default(60),
  /** After this the presence catalog is refreshed in the background. */
  presenceCacheTtlMs: z
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
  /** How long an e-mail → user match is cached. */
  userCacheTtlMs: z
    .number()
    .int()
    .positive()
    .default(60 * 60_000),
});

export type GenesysClientOptions = z.input<typeof optionsSchema> & {
  cache: CacheStore;
  logger: Logger;
  /** Time for token expiry, cache staleness and the rate limit window (default `Date.now`). */
  now?: () => number;
  /** Waits for retries and the rate limit (default a timer); tests pass a virtual clock's. */
  sleep?: (ms: number) => Promise<void>;
  /** Told of each field an expand left out (Genesys resolves expands best effort), which then cost a call. */
  onExpandMissing?: (field: ExpandedField) => void;
};

export type ExpandedField = (typeof STATE_EXPANDS)[number];

interface CachedDefinitions {
  fetchedAt: number;
  definitions: PresenceDefinition[];
}

/** The Genesys port, and the notification channels behind live presence (same token, rate limit, retries). */
export type GenesysClient = GenesysPort & { channels: NotificationChannelApi };

export function createGenesysClient(options: GenesysClientOptions): GenesysClient {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(`Invalid Genesys client options: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const config = parsed.data;
  const endpoints = resolveGenesysEndpoints({
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(config.apiUrl === undefined ? {} : { apiUrl: config.apiUrl }),
  });
  const logger = options.logger.child({ component: 'genesys', environment: endpoints.label });
  const { cache, now = Date.now, sleep = timer } = options;
  const sdk = createSdkClients(endpoints, config.requestTimeoutMs);
  const tokens = createTokenCache({
    tokenUrl: endpoints.tokenUrl,
    label: endpoints.label,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    safetyMarginSeconds: config.tokenSafetyMarginSeconds,
    requestTimeoutMs: config.requestTimeoutMs,
    logger,
    now,
  });
  const caller = createGenesysCaller({
    sdk,
    tokens,
    limiter: createRateLimiter({ limit: config.requestsPerMinute, windowMs: 60_000, now, sleep }),
    logger,
    maxAttempts: config.maxAttempts,
    requestTimeoutMs: config.requestTimeoutMs,
    retryBaseDelayMs: config.retryBaseDelayMs,
    retryMaxDelayMs: config.retryMaxDelayMs,
    sleep,
    now,
  });
  // Caches are shared stores (SQLite, Redis): keep two orgs or OAuth clients from reading each other's entries.
  const cacheKey = (name: string) => `genesys:${endpoints.label}:${config.clientId}:${name}`;
  let definitionsInFlight: Promise<PresenceDefinition[]> | undefined;
  /** Set after the bulk write answered 404: this org or deployment lacks it, so skip straight to PATCH. */
  let bulkWriteMissing = false;

  function fetchDefinitions(): Promise<PresenceDefinition[]> {
    definitionsInFlight ??= (async () => {
      const listing = await caller.call(
        { description: 'list presence definitions', permission: PERMISSION.presenceDefinitionView, subject: 'the org' },
        responses.presenceDefinitionListing,
        () => sdk.presence.getPresenceDefinitions0(),
      );
      const { definitions, skipped } = responses.toPresenceDefinitions(listing);
      if (skipped.length > 0) logger.warn({ skipped }, 'presence definitions with an unknown system presence ignored');
      const entry: CachedDefinitions = { fetchedAt: now(), definitions };
      await cache.set(
        cacheKey('presence-definitions'),
        entry,
        Math.max(STALE_DEFINITIONS_KEEP_MS, 2 * config.presenceCacheTtlMs),
      );
      return definitions;
    })().finally(() => {
      definitionsInFlight = undefined;
    });
    return definitionsInFlight;
  }

  async function listPresenceDefinitions(): Promise<PresenceDefinition[]> {
    const cached = await cache.get<CachedDefinitions>(cacheKey('presence-definitions'));
    if (cached === undefined) return fetchDefinitions();
    if (now() - cached.fetchedAt >= config.presenceCacheTtlMs) {
      fetchDefinitions().catch((error: unknown) => {
        logger.warn({ err: error }, 'background refresh of presence definitions failed; serving the cached list');
      });
    }
    return cached.definitions;
  }

  /** `presenceDefinition.systemPresence` is optional in Genesys's model; the catalog fills the gap. */
  async function systemPresenceFor(ref: { id: string; systemPresence?: string | undefined }, agentId: string) {
    const direct = responses.systemPresenceOf(ref);
    if (direct !== undefined) return direct;
    const definition = (await listPresenceDefinitions()).find((d) => d.id === ref.id);
    if (definition !== undefined) return definition.systemPresence;
    throw new GenesysError(
      'unavailable',
      `Genesys reported presence ${ref.id} for user ${agentId}, which is not in the org's presence definitions`,
      false,
    );
  }

  /** One Genesys call about one user; `description` and `permission` name it in errors ("read the presence"). */
  function callForUser<T>(
    description: string,
    agentId: string,
    permission: string,
    schema: z.ZodType<T>,
    invoke: () => Promise<unknown>,
    budget?: WriteBudget,
  ): Promise<T> {
    const operation = { description: `${description} of user ${agentId}`, permission, subject: `user ${agentId}` };
    return caller.call(operation, schema, invoke, budget);
  }

  /** A field an expand left out, read from its own endpoint (and counted: each costs a call). */
  function readRoutingStatus(agentId: string) {
    options.onExpandMissing?.('routingStatus');
    return callForUser('read the routing status', agentId, PERMISSION.userView, responses.routingStatus, () =>
      sdk.users.getUserRoutingstatus(agentId),
    );
  }

  function readPresence(agentId: string) {
    options.onExpandMissing?.('presence');
    return callForUser('read the presence', agentId, PERMISSION.userView, responses.userPresence, () =>
      sdk.presence.getUserPresencesPurecloud(agentId),
    );
  }

  /** One call: the user with presence and routing status expanded; a field the expand left out costs its own. */
  async function getAgentState(agentId: string): Promise<AgentState> {
    const user = await callForUser('read the state', agentId, PERMISSION.userView, responses.userWithState, () =>
      sdk.users.getUser(agentId, { expand: [...STATE_EXPANDS] }),
    );
    return completeState(agentId, user);
  }

  async function completeState(
    agentId: string,
    user: Pick<z.infer<typeof responses.userWithState>, 'presence' | 'routingStatus'>,
    presences?: ReadonlyMap<string, z.infer<typeof responses.userPresence>>,
  ): Promise<AgentState> {
    const [presence, routing] = await Promise.all([
      user.presence ?? presences?.get(agentId) ?? readPresence(agentId),
      user.routingStatus ?? readRoutingStatus(agentId),
    ]);
    return {
      agentId,
      presenceId: presence.presenceDefinition.id,
      systemPresence: await systemPresenceFor(presence.presenceDefinition, agentId),
      routingStatus: routing.status,
      modifiedDate: presence.modifiedDate,
    };
  }

  /**
   * One user listing with presence and routing status expanded per 50 agents; presences the expand left out
   * come from one bulk presence read, routing statuses from their own endpoint.
   */
  async function readChunk(ids: string[]): Promise<AgentState[]> {
    const operation: OperationInfo = {
      description: `read the state of ${ids.length} users`,
      permission: PERMISSION.userView,
      subject: `users ${ids.join(', ')}`,
    };
    const listing = await caller.call(operation, responses.usersWithState, () =>
      sdk.users.getUsers({ id: ids, expand: [...STATE_EXPANDS], pageSize: ids.length }),
    );
    const users = listing.entities.filter((entity) => ids.includes(entity.id));
    const withoutPresence = users.filter((entity) => entity.presence === undefined).map((entity) => entity.id);
    const presences = new Map<string, z.infer<typeof responses.userPresence>>();
    if (withoutPresence.length > 0) {
      for (const _ of withoutPresence) options.onExpandMissing?.('presence');
      const bulk = await caller.call(operation, responses.bulkUserPresences, () =>
        sdk.presence.getUsersPresencesPurecloudBulk({ id: withoutPresence }),
      );
      for (const presence of bulk) presences.set(presence.userId, presence);
    }
    // A user Genesys lists without any presence it can give is left out, like a user it does not know.
    const known = users.filter((entity) => entity.presence !== undefined || presences.has(entity.id));
    return Promise.all(known.map((entity) => completeState(entity.id, entity, presences)));
  }

  async function setPresence(
    agentId: string,
    presenceId: string,
    message?: string,
    budget?: WriteBudget,
  ): Promise<void> {
    const body = {
      presenceDefinition: { id: presenceId },
      ...(message === undefined ? {} : { message }),
    } satisfies platformClient.Models.UserPresence;
    await callForUser(
      'set the presence',
      agentId,
      PERMISSION.presenceEdit,
      responses.userPresence,
      () => sdk.presence.patchUserPresencesPurecloud(agentId, body),
      budget,
    );
  }

  async function setOneByOne(changes: readonly PresenceChange[], deadline?: Deadline): Promise<BulkPresenceResult[]> {
    const results: BulkPresenceResult[] = new Array(changes.length);
    let next = 0;
    async function worker() {
      while (next < changes.length) {
        const index = next++;
        const change = changes[index]!;
        try {
          await setPresence(change.agentId, change.presenceId, change.message, deadline?.budget());
          results[index] = { agentId: change.agentId, ok: true };
        } catch (error) {
          results[index] = {
            agentId: change.agentId,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          };
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(FALLBACK_CONCURRENCY, changes.length) }, worker));
    return results;
  }

  async function writeChunk(chunk: readonly PresenceChange[], deadline?: Deadline): Promise<BulkPresenceResult[]> {
    if (bulkWriteMissing) return setOneByOne(chunk, deadline);
    const body = chunk.map(
      (change) =>
        ({
          id: change.agentId,
          presenceDefinition: { id: change.presenceId },
          ...(change.message ? { message: change.message } : {}),
        }) satisfies platformClient.Models.MutableUserPresence,
    );
    let written: z.infer<typeof responses.bulkPresenceWrite>;
    try {
      written = await caller.call(
        {
          description: `set the presence of ${chunk.length} users`,
          permission: PERMISSION.presenceEdit,
          subject: 'the bulk presence endpoint',
        },
        responses.bulkPresenceWrite,
        () => sdk.presence.putUsersPresencesBulk(body),
        deadline?.budget(),
      );
    } catch (error) {
      // 404/403: endpoint or permission missing; 400: one bad entry spoils the batch. Per-user PATCH
      // isolates which change fails. Anything else (outage, rate limit) would fail per user too.
      if (!(error instanceof GenesysError) || !['not_found', 'forbidden', 'bad_request'].includes(error.kind)) {
        const message = error instanceof Error ? error.message : String(error);
        return chunk.map((change) => ({ agentId: change.agentId, ok: false, error: message }));
      }
      if (error.kind === 'not_found') bulkWriteMissing = true;
      logger.info({ kind: error.kind, changes: chunk.length }, 'bulk presence write refused; falling back to per-user');
      return setOneByOne(chunk, deadline);
    }
    const reportsIds = written.some((entry) => entry.id !== undefined);
    const confirmed = new Set(written.map((entry) => entry.id));
    const missing = reportsIds ? chunk.filter((change) => !confirmed.has(change.agentId)) : [];
    const retried = new Map((await setOneByOne(missing, deadline)).map((result) => [result.agentId, result]));
    return chunk.map((change) => retried.get(change.agentId) ?? { agentId: change.agentId, ok: true });
  }

  /**
   * Searches asked for in the same turn of the event loop (a team's members resolved together) share one
   * `POST /api/v2/users/search` per 50 addresses; each answer is cached, unknown addresses briefly.
   */
  const searchByEmail = coalesced<string, GenesysUser | undefined>(async (emails) => {
    const users = new Map<string, GenesysUser>();
    for (const part of chunk(emails, SEARCH_EMAILS_MAX)) {
      const search = {
        pageSize: 100,
        query: [{ type: 'EXACT', fields: ['email'], values: part }],
      } satisfies platformClient.Models.UserSearchRequest;
      const found = await caller.call(
        { description: 'search users by e-mail', permission: PERMISSION.userView, subject: `users ${part.join(', ')}` },
        responses.usersSearch,
        () => sdk.users.postUsersSearch(search),
      );
      for (const match of found.results ?? []) {
        const address = match.email?.toLowerCase();
        if (address !== undefined && part.includes(address)) users.set(address, responses.toGenesysUser(match));
      }
    }
    await Promise.all(
      emails.map((address) => {
        const user = users.get(address);
        const ttl = user === undefined ? UNKNOWN_EMAIL_TTL_MS : config.userCacheTtlMs;
        return cache.set(cacheKey(`user-by-email:${address}`), { user: user ?? null }, ttl);
      }),
    );
    return users;
  });

  return {
    listPresenceDefinitions,
    getAgentState,

    async getAgentStates(agentIds) {
      const unique = [...new Set(agentIds)];
      const chunks = chunk(unique, BULK_READ_MAX);
      return (await Promise.all(chunks.map(readChunk))).flat();
    },

    setPresence,

    async setPresences(changes, budget) {
      const deadline = budget === undefined ? undefined : deadlineOf(budget, now);
      return (await Promise.all(chunk(changes, BULK_WRITE_MAX).map((part) => writeChunk(part, deadline)))).flat();
    },

    async findUserByEmail(email) {
      const normalized = email.trim().toLowerCase();
      const key = cacheKey(`user-by-email:${normalized}`);
      const cached = await cache.get<{ user: GenesysUser | null }>(key);
      if (cached !== undefined) return cached.user ?? undefined;
      return searchByEmail(normalized);
    },

    checkReady: () => caller.ensureToken(),
    channels: notificationChannelApi(caller, sdk),
  };
}

/** A budget that several calls share: each one gets what is left of it when it starts. */
interface Deadline {
  budget(): WriteBudget;
}

function deadlineOf(budget: WriteBudget, now: () => number): Deadline {
  const endsAt = now() + budget.withinMs;
  return { budget: () => ({ withinMs: endsAt - now() }) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
