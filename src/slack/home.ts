/**
 * App Home publishing and the live reads behind it (a person's status, a team board). Published on
 * `app_home_opened` and after every change applied through the app, so the tab never lags behind a change made
 * here. Reads only: every change goes through the pipeline.
 */
import type { webApi } from '@slack/bolt';
import { type AgentState, presenceVersion } from '../domain/presence.js';
import type { StatusSnapshot } from '../domain/transition.js';
import { bindCatalog, type CatalogBinding, statusNameOfPresence } from '../policy/binding.js';
import { statusLabel } from '../policy/catalog.js';
import { allowedTargets } from '../policy/matrix.js';
import { supervisedTeams } from '../policy/roles.js';
import type { SlackDeps } from './listeners/index.js';
import { homeView } from './views/home.js';
import type { BoardMember, TeamBoardInput } from './views/team-board.js';

export interface LiveStatus {
  state: AgentState;
  snapshot: StatusSnapshot;
  version: string;
}

export async function catalogBinding(deps: SlackDeps): Promise<CatalogBinding> {
  return bindCatalog(deps.policy, await deps.genesys.listPresenceDefinitions());
}

/** An agent's status now, named as the product names it (catalog name) and as Genesys shows it (label). */
export async function liveStatus(
  deps: SlackDeps,
  genesysUserId: string,
  binding?: CatalogBinding,
): Promise<LiveStatus> {
  const [state, bound] = await Promise.all([
    deps.genesys.getAgentState(genesysUserId),
    binding ? Promise.resolve(binding) : catalogBinding(deps),
  ]);
  return {
    state,
    snapshot: {
      status: statusNameOfPresence(bound, state.presenceId),
      presenceId: state.presenceId,
      presenceLabel: bound.labelByPresenceId.get(state.presenceId) ?? state.presenceId,
      routingStatus: state.routingStatus,
    },
    version: presenceVersion(state),
  };
}

export interface TeamBoard {
  board: TeamBoardInput;
  /** Policy entries (e-mail or Slack id) that match no Genesys user: the board cannot show them. */
  unmatched: string[];
}

/** The live board of one policy team; undefined when the policy has no such team. */
export async function loadTeamBoard(
  deps: SlackDeps,
  teamId: string,
  binding?: CatalogBinding,
): Promise<TeamBoard | undefined> {
  const team = Object.hasOwn(deps.policy.teams, teamId) ? deps.policy.teams[teamId] : undefined;
  if (!team) return undefined;
  const bound = binding ?? (await catalogBinding(deps));
  const people = await Promise.all(team.members.map((entry) => memberOf(deps, entry)));
  const matched = people.filter((p) => p !== undefined);
  const unmatched = team.members.filter((_, i) => people[i] === undefined);
  const states = await deps.genesys.getAgentStates(matched.map((p) => p.id));
  const byId = new Map(states.map((s) => [s.agentId, s]));
  const members: BoardMember[] = matched.flatMap((person) => {
    const state = byId.get(person.id);
    if (!state) return [];
    return [
      {
        id: person.id,
        name: person.name,
        status: statusNameOfPresence(bound, state.presenceId),
        statusLabel: bound.labelByPresenceId.get(state.presenceId) ?? state.presenceId,
        systemPresence: state.systemPresence,
      },
    ];
  });
  return {
    board: {
      teamId,
      teamName: team.name,
      members,
      caps: team.caps,
      statusLabels: Object.fromEntries(Object.keys(team.caps).map((name) => [name, statusLabel(deps.policy, name)])),
      onQueueFloor: team.onQueueFloor,
      refreshedAt: new Date().toISOString(),
    },
    unmatched,
  };
}

/** A policy entry (e-mail or Slack id) as a Genesys user with a display name. */
async function memberOf(deps: SlackDeps, entry: string): Promise<{ id: string; name: string } | undefined> {
  if (entry.includes('@')) {
    const user = await deps.genesys.findUserByEmail(entry);
    return user ? { id: user.id, name: user.name } : undefined;
  }
  const identity = await deps.identity.identify(entry);
  return identity.ok ? { id: identity.person.genesysUserId, name: identity.name } : undefined;
}

/** Publishes the Home tab of one Slack user. Failures are logged, never thrown: the tab is a convenience. */
export async function publishHome(deps: SlackDeps, client: webApi.WebClient, slackUserId: string): Promise<void> {
  try {
    const view = await buildHome(deps, slackUserId);
    await client.views.publish({ user_id: slackUserId, view });
  } catch (err) {
    deps.logger.warn({ err, user: slackUserId }, 'could not publish the App Home tab');
  }
}

/** Republishes the Home tab of each distinct known user (actor and target after a change). */
export async function publishHomes(
  deps: SlackDeps,
  client: webApi.WebClient,
  slackUserIds: readonly (string | undefined)[],
): Promise<void> {
  const distinct = [...new Set(slackUserIds.filter((id) => id !== undefined))];
  await Promise.all(distinct.map((id) => publishHome(deps, client, id)));
}

async function buildHome(deps: SlackDeps, slackUserId: string) {
  const refreshedAt = new Date().toISOString();
  const identity = await deps.identity.identify(slackUserId);
  if (!identity.ok) return homeView({ quickStatuses: [], boards: [], refreshedAt, metadata: {} });
  const binding = await catalogBinding(deps);
  const person = { email: identity.person.email, slackUserId };
  const [mine, boards] = await Promise.all([
    liveStatus(deps, identity.person.genesysUserId, binding),
    Promise.all(supervisedTeams(deps.policy, person).map((teamId) => loadTeamBoard(deps, teamId, binding))),
  ]);
  const quickStatuses = allowedTargets(deps.policy, mine.snapshot.status)
    .filter((name) => binding.presenceIdByStatus.has(name))
    .map((name) => ({ name, label: statusLabel(deps.policy, name) }));
  return homeView({
    me: { statusLabel: mine.snapshot.presenceLabel, since: mine.state.modifiedDate },
    quickStatuses,
    boards: boards.flatMap((b) => (b ? [b.board] : [])),
    refreshedAt,
    metadata: { seenVersion: mine.version },
  });
}
