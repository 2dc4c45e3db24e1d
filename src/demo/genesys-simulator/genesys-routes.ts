/**
 * The Genesys Cloud API paths the client uses, answered from the simulator's org state with the shapes
 * (and validation) of the real service.
 */
import { z } from 'zod';
import * as answers from './answers.js';
import type { OrgState, SimDefinition, SimUser } from './org-state.js';

/**
 * The simulator refuses bulk calls above 50 entries: documented for the bulk read ("Limit 50"); assumed
 * for the bulk write, whose maximum Genesys does not document (the client chunks writes at 50 too).
 */
export const BULK_LIMIT = 50;

export interface JsonAnswer {
  status: number;
  body: unknown;
}

export interface RouteContext {
  params: string[];
  url: URL;
  /** The parsed JSON body; `undefined` for an empty body; `malformed` when it is not JSON. */
  body: unknown;
  /** The OAuth client of the caller's token. */
  clientId: string;
}

export type Route = { method: string; pattern: RegExp; handle: (ctx: RouteContext) => JsonAnswer };

export const MALFORMED_BODY = Symbol('malformed body');

const badRequest = (message: string): JsonAnswer => ({
  status: 400,
  body: answers.errorBody(400, 'bad.request', message),
});
const malformed = (): JsonAnswer =>
  badRequest('The request could not be understood by the server due to malformed syntax.');
const userNotFound = (id: string): JsonAnswer => ({
  status: 404,
  body: answers.errorBody(404, 'not.found', `Unable to find a user with id ${id}`),
});
const ok = (body: unknown): JsonAnswer => ({ status: 200, body });

const presencePatch = z.object({
  presenceDefinition: z.object({ id: z.string().min(1) }).optional(),
  message: z.string().optional(),
  primary: z.boolean().optional(),
});
const bulkPresenceEntry = z.object({
  id: z.string().min(1),
  presenceDefinition: z.object({ id: z.string().min(1) }),
  message: z.string().optional(),
});
const usersSearchRequest = z.object({
  pageSize: z.number().int().min(1).max(100).default(25),
  pageNumber: z.number().int().min(1).default(1),
  query: z
    .array(
      z.object({
        type: z.enum(['EXACT', 'CONTAINS', 'STARTS_WITH']),
        fields: z.array(z.string()).min(1),
        value: z.string().optional(),
        values: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

/** Comma-separated (as the SDK sends them) or repeated query values. */
function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function expandParam(url: URL): Set<answers.UserExpand> {
  const expand = new Set<answers.UserExpand>();
  for (const value of listParam(url, 'expand')) {
    if (value === 'presence' || value === 'routingStatus') expand.add(value);
  }
  return expand;
}

function pageParams(url: URL, maxPageSize: number): { pageSize: number; pageNumber: number } | undefined {
  const pageSize = Number(url.searchParams.get('pageSize') ?? 25);
  const pageNumber = Number(url.searchParams.get('pageNumber') ?? 1);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) return undefined;
  if (!Number.isInteger(pageNumber) || pageNumber < 1) return undefined;
  return { pageSize, pageNumber };
}

function searchField(user: SimUser, field: string): string | undefined {
  switch (field) {
    case 'email':
    case 'username':
      return user.email;
    case 'name':
      return user.name;
    case 'id':
      return user.id;
    default:
      return undefined;
  }
}

/** A definition a presence can be set to: it exists and is active. */
function usableDefinition(state: OrgState, id: string): SimDefinition | undefined {
  const definition = state.definitions().find((d) => d.id === id);
  return definition?.deactivated === false ? definition : undefined;
}

export function genesysRoutes(state: OrgState): Route[] {
  const withUser = (id: string, then: (user: SimUser) => JsonAnswer): JsonAnswer => {
    const user = state.users().find((u) => u.id === id);
    return user === undefined ? userNotFound(id) : then(user);
  };

  return [
    {
      method: 'GET',
      pattern: /^\/api\/v2\/presence\/definitions$/,
      handle: ({ url }) =>
        ok(answers.presenceDefinitions(state, (url.searchParams.get('deactivated') ?? '').toLowerCase() === 'true')),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/presences\/purecloud\/bulk$/,
      handle: ({ url }) => {
        const ids = listParam(url, 'id');
        if (ids.length > BULK_LIMIT) return badRequest(`At most ${BULK_LIMIT} user ids may be requested at once.`);
        const found = ids.flatMap((id) => state.users().filter((u) => u.id === id));
        return ok(found.map((user) => answers.ucUserPresence(state, user)));
      },
    },
    {
      method: 'PUT',
      pattern: /^\/api\/v2\/users\/presences\/bulk$/,
      handle: ({ body }) => {
        const entries = z.array(bulkPresenceEntry).safeParse(body);
        if (!entries.success) return malformed();
        if (entries.data.length > BULK_LIMIT) return badRequest(`At most ${BULK_LIMIT} presences may be set at once.`);
        // Validate everything first: a bad definition id rejects the whole batch, as a 400 does.
        for (const entry of entries.data) {
          if (usableDefinition(state, entry.presenceDefinition.id) === undefined) {
            return badRequest(`Presence definition ${entry.presenceDefinition.id} does not exist or is deactivated.`);
          }
        }
        const written: ReturnType<typeof answers.bulkWrittenPresence>[] = [];
        for (const entry of entries.data) {
          const user = state.users().find((u) => u.id === entry.id);
          if (user === undefined) continue;
          state.setPresence(user, usableDefinition(state, entry.presenceDefinition.id), entry.message);
          written.push(answers.bulkWrittenPresence(state, user));
        }
        return ok(written);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/([^/]+)\/presences\/purecloud$/,
      handle: ({ params }) => withUser(params[0]!, (user) => ok(answers.userPresence(state, user))),
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/v2\/users\/([^/]+)\/presences\/purecloud$/,
      handle: ({ params, body }) =>
        withUser(params[0]!, (user) => {
          const patch = presencePatch.safeParse(body);
          if (!patch.success) return malformed();
          const { presenceDefinition, message } = patch.data;
          if (presenceDefinition === undefined && message === undefined) return malformed();
          const next = presenceDefinition === undefined ? undefined : usableDefinition(state, presenceDefinition.id);
          if (presenceDefinition !== undefined && next === undefined) {
            return badRequest(`Presence definition ${presenceDefinition.id} does not exist or is deactivated.`);
          }
          state.setPresence(user, next, message);
          return ok(answers.userPresence(state, user));
        }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/([^/]+)\/routingstatus$/,
      handle: ({ params }) => withUser(params[0]!, (user) => ok(answers.routingStatus(user))),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/routing\/users\/([^/]+)\/utilization$/,
      handle: ({ params }) => withUser(params[0]!, (user) => ok(answers.utilization(state, user))),
    },
    {
      method: 'POST',
      pattern: /^\/api\/v2\/users\/search$/,
      handle: ({ body }) => {
        const search = usersSearchRequest.safeParse(body);
        if (!search.success) return malformed();
        const matches = state.users().filter((user) =>
          search.data.query.every((criterion) => {
            const wanted = [...(criterion.values ?? []), ...(criterion.value === undefined ? [] : [criterion.value])];
            return criterion.fields.some((field) => {
              const actual = searchField(user, field)?.toLowerCase();
              if (actual === undefined) return false;
              return wanted.some((value) => {
                const v = value.toLowerCase();
                if (criterion.type === 'EXACT') return actual === v;
                if (criterion.type === 'STARTS_WITH') return actual.startsWith(v);
                return actual.includes(v);
              });
            });
          }),
        );
        return ok(answers.usersSearch(state, matches, search.data));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/([^/]+)$/,
      handle: ({ params, url }) => withUser(params[0]!, (user) => ok(answers.user(state, user, expandParam(url)))),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users$/,
      handle: ({ url }) => {
        const page = pageParams(url, 500);
        if (page === undefined) return malformed();
        const ids = listParam(url, 'id');
        const users = ids.length === 0 ? state.users() : state.users().filter((u) => ids.includes(u.id));
        return ok(answers.userListing(state, users, page, expandParam(url)));
      },
    },
  ];
}

export function routeGenesys(
  routes: readonly Route[],
  method: string,
  url: URL,
  body: unknown,
  clientId: string,
): JsonAnswer {
  if (body === MALFORMED_BODY) return malformed();
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(url.pathname);
    if (match === null) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    return route.handle({ params: match.slice(1).map(decodeURIComponent), url, body, clientId });
  }
  return pathMatched
    ? { status: 405, body: answers.errorBody(405, 'method.not.allowed', `Method ${method} is not allowed here.`) }
    : { status: 404, body: answers.errorBody(404, 'not.found', `No resource at ${url.pathname}.`) };
}
