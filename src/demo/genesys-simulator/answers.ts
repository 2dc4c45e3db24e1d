/**
 * The JSON bodies the simulator sends, each checked against the SDK's own model with `satisfies`, so the
 * compiler rejects any field Genesys does not send (no `etag`, no `version` on presence).
 */
import type platformClient from 'purecloud-platform-client-v2';
import type { OrgState, SimDefinition, SimUser } from './org-state.js';

/** User presences spell On Queue with a space, unlike the definitions (`OnQueue`): both occur in Genesys. */
function userPresenceSpelling(systemPresence: SimDefinition['systemPresence']): string {
  return systemPresence === 'OnQueue' ? 'On Queue' : systemPresence;
}

function presenceRef(definition: SimDefinition) {
  return {
    id: definition.id,
    systemPresence: userPresenceSpelling(definition.systemPresence),
    selfUri: `/api/v2/presence/definitions/${definition.id}`,
  } satisfies platformClient.Models.PresenceDefinition;
}

export function errorBody(status: number, code: string, message: string) {
  return {
    message,
    code,
    status,
    messageParams: {},
    contextId: crypto.randomUUID(),
    details: [],
    errors: [],
  } satisfies platformClient.Models.ErrorBody;
}

export function userPresence(state: OrgState, user: SimUser) {
  return {
    source: 'PURECLOUD',
    primary: true,
    presenceDefinition: presenceRef(state.definition(user.presenceId)!),
    message: user.message,
    modifiedDate: user.modifiedDate,
    selfUri: `/api/v2/users/${user.id}/presences/purecloud`,
  } satisfies platformClient.Models.UserPresence;
}

/** Bulk write answers carry the user's id in `id`, which is how callers match them to their changes. */
export function bulkWrittenPresence(state: OrgState, user: SimUser) {
  return { id: user.id, ...userPresence(state, user) } satisfies platformClient.Models.UserPresence;
}

export function ucUserPresence(state: OrgState, user: SimUser) {
  return {
    userId: user.id,
    source: 'PURECLOUD',
    presenceDefinition: presenceRef(state.definition(user.presenceId)!),
    message: user.message,
    modifiedDate: user.modifiedDate,
  } satisfies platformClient.Models.UcUserPresence;
}

export function routingStatus(user: SimUser) {
  return {
    userId: user.id,
    status: user.routingStatus,
    startTime: user.routingStartTime,
  } satisfies platformClient.Models.RoutingStatus;
}

export function presenceDefinitions(state: OrgState, includeDeactivated: boolean) {
  const entities = state
    .definitions()
    .filter((definition) => includeDeactivated || !definition.deactivated)
    .map(
      (definition) =>
        ({
          id: definition.id,
          ...(definition.name === undefined ? {} : { name: definition.name }),
          type: definition.type,
          languageLabels: definition.languageLabels,
          systemPresence: definition.systemPresence,
          divisionId: state.fixture.division.id,
          deactivated: definition.deactivated,
          selfUri: `/api/v2/presence/definitions/${definition.id}`,
        }) satisfies platformClient.Models.OrganizationPresenceDefinition,
    );
  return {
    total: entities.length,
    entities,
  } satisfies platformClient.Models.OrganizationPresenceDefinitionEntityListing;
}

export type UserExpand = 'presence' | 'routingStatus';

export function user(state: OrgState, simUser: SimUser, expand: ReadonlySet<UserExpand>) {
  const { division } = state.fixture;
  return {
    id: simUser.id,
    name: simUser.name,
    division: { id: division.id, name: division.name, selfUri: `/api/v2/authorization/divisions/${division.id}` },
    email: simUser.email,
    state: 'active',
    ...(simUser.title === undefined ? {} : { title: simUser.title }),
    ...(simUser.department === undefined ? {} : { department: simUser.department }),
    username: simUser.email,
    // Users (unlike presences) do carry a version in Genesys.
    version: 1,
    acdAutoAnswer: false,
    ...(expand.has('presence') ? { presence: userPresence(state, simUser) } : {}),
    ...(expand.has('routingStatus') ? { routingStatus: routingStatus(simUser) } : {}),
    selfUri: `/api/v2/users/${simUser.id}`,
  } satisfies platformClient.Models.User;
}

export function userListing(
  state: OrgState,
  users: readonly SimUser[],
  page: { pageSize: number; pageNumber: number },
  expand: ReadonlySet<UserExpand>,
) {
  const start = (page.pageNumber - 1) * page.pageSize;
  const entities = users.slice(start, start + page.pageSize).map((u) => user(state, u, expand));
  const pageCount = Math.max(1, Math.ceil(users.length / page.pageSize));
  const uri = (n: number) => `/api/v2/users?pageSize=${page.pageSize}&pageNumber=${n}`;
  return {
    entities,
    pageSize: page.pageSize,
    pageNumber: page.pageNumber,
    total: users.length,
    firstUri: uri(1),
    selfUri: uri(page.pageNumber),
    lastUri: uri(pageCount),
    ...(page.pageNumber < pageCount ? { nextUri: uri(page.pageNumber + 1) } : {}),
    ...(page.pageNumber > 1 ? { previousUri: uri(page.pageNumber - 1) } : {}),
    pageCount,
  } satisfies platformClient.Models.UserEntityListing;
}

export function usersSearch(
  state: OrgState,
  matches: readonly SimUser[],
  page: { pageSize: number; pageNumber: number },
) {
  const start = (page.pageNumber - 1) * page.pageSize;
  const results = matches.slice(start, start + page.pageSize).map((u) => user(state, u, new Set()));
  return {
    total: matches.length,
    pageCount: Math.ceil(matches.length / page.pageSize),
    pageSize: page.pageSize,
    pageNumber: page.pageNumber,
    types: ['users'],
    results,
  } satisfies platformClient.Models.UsersSearchResponse;
}

export function utilization(state: OrgState, simUser: SimUser) {
  const capacities = simUser.utilization ?? state.fixture.defaultUtilization;
  const byMedia: Record<string, platformClient.Models.MediaUtilization> = {};
  for (const [media, maximumCapacity] of Object.entries(capacities)) {
    byMedia[media] = { maximumCapacity, interruptableMediaTypes: [], includeNonAcd: false };
  }
  return {
    utilization: byMedia,
    labelUtilizations: {},
    level: simUser.utilization === undefined ? 'Organization' : 'Agent',
  } satisfies platformClient.Models.AgentMaxUtilizationResponse;
}

export function channel(id: string, connectUri: string, expires: string) {
  return { connectUri, id, expires } satisfies platformClient.Models.Channel;
}

export function channelTopics(topics: readonly platformClient.Models.ChannelTopic[]) {
  return { entities: [...topics] } satisfies platformClient.Models.ChannelTopicEntityListing;
}

/** Notifications spell system presences in upper snake case (`ON_QUEUE`), unlike definitions (`OnQueue`). */
function notificationSpelling(systemPresence: SimDefinition['systemPresence']): string {
  return systemPresence.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

function eventPresenceRef(definition: SimDefinition) {
  return {
    id: definition.id,
    systemPresence: notificationSpelling(definition.systemPresence),
  } satisfies platformClient.Models.PresenceEventOrganizationPresence;
}

/** The body of a `v2.users.{id}.presence` notification. */
export function presenceEvent(state: OrgState, user: SimUser) {
  return {
    source: 'PURECLOUD',
    presenceDefinition: eventPresenceRef(state.definition(user.presenceId)!),
    primary: true,
    message: user.message,
    modifiedDate: user.modifiedDate,
  } satisfies platformClient.Models.PresenceEventUserPresence;
}

/** The body of a `v2.users.{id}.routingStatus` notification. */
export function routingStatusEvent(user: SimUser) {
  return {
    id: user.id,
    routingStatus: { status: user.routingStatus, startTime: user.routingStartTime },
  } satisfies platformClient.Models.UserRoutingStatusUserRoutingStatus;
}

/** The body of a `v2.users.{id}.activity` notification: routing status and presence in one. */
export function activityEvent(state: OrgState, user: SimUser) {
  return {
    id: user.id,
    routingStatus: { status: user.routingStatus, startTime: user.routingStartTime },
    presence: {
      presenceDefinition: eventPresenceRef(state.definition(user.presenceId)!),
      presenceMessage: user.message,
      modifiedDate: user.modifiedDate,
    },
    activeQueueIds: [],
  } satisfies platformClient.Models.UserActivity;
}
