/**
 * App Home publishing: your status with quick buttons, and the boards of the teams you supervise. Published on
 * `app_home_opened` and after every change applied through the app, so the tab never lags behind a change made
 * here. Reads only, through the pipeline's read side.
 */
import type { webApi } from '@slack/bolt';
import type { TransitionOutcome, TransitionRequest } from '../domain/transition.js';
import type { AgentStatus } from '../pipeline/queries.js';
import { statusLabel } from '../policy/catalog.js';
import { supervisedTeams } from '../policy/roles.js';
import type { SlackDeps } from './deps.js';
import { homeView } from './views/home.js';

/** An agent's status the caller already holds (the confirmed state of a change just applied): not read again. */
export interface KnownStatus {
  genesysUserId: string;
  status: AgentStatus;
}

/** The target's status after an applied change, as the change's confirmation showed it. */
export function statusAfter(
  request: TransitionRequest,
  outcome: Extract<TransitionOutcome, { kind: 'applied' }>,
): KnownStatus {
  return {
    genesysUserId: request.target.genesysUserId,
    status: { snapshot: outcome.to, since: outcome.changedAt, version: outcome.version },
  };
}

/** What building and publishing a Home tab needs. */
export type HomeDeps = Pick<SlackDeps, 'policy' | 'logger' | 'identity' | 'queries' | 'openHomes'>;

/** Publishes the Home tab of one Slack user. Failures are logged, never thrown: the tab is a convenience. */
export async function publishHome(
  deps: HomeDeps,
  client: webApi.WebClient,
  slackUserId: string,
  known: readonly KnownStatus[] = [],
): Promise<void> {
  try {
    const view = await buildHome(deps, slackUserId, known);
    await client.views.publish({ user_id: slackUserId, view });
    deps.openHomes.add(slackUserId);
  } catch (err) {
    deps.logger.warn({ err, user: slackUserId }, 'could not publish the App Home tab');
  }
}

/** Republishes the Home tab of each distinct known user (actor and target after a change). */
export async function publishHomes(
  deps: HomeDeps,
  client: webApi.WebClient,
  slackUserIds: readonly (string | undefined)[],
  known: readonly KnownStatus[] = [],
): Promise<void> {
  const distinct = [...new Set(slackUserIds.filter((id) => id !== undefined))];
  await Promise.all(distinct.map((id) => publishHome(deps, client, id, known)));
}

async function buildHome(deps: HomeDeps, slackUserId: string, known: readonly KnownStatus[]) {
  const refreshedAt = new Date().toISOString();
  const identity = await deps.identity.identify(slackUserId);
  if (!identity.ok) return homeView({ quickStatuses: [], boards: [], refreshedAt, metadata: {} });
  const person = { email: identity.person.email, slackUserId };
  const { genesysUserId } = identity.person;
  const [mine, boards] = await Promise.all([
    known.find((entry) => entry.genesysUserId === genesysUserId)?.status ?? deps.queries.agentStatus(genesysUserId),
    Promise.all(supervisedTeams(deps.policy, person).map((teamId) => deps.queries.teamBoard(teamId))),
  ]);
  const next = await deps.queries.nextStatuses([mine.snapshot.status]);
  return homeView({
    me: { statusLabel: mine.snapshot.presenceLabel, since: mine.since },
    quickStatuses: next.map((name) => ({ name, label: statusLabel(deps.policy, name) })),
    boards: boards.filter((board) => board !== undefined),
    refreshedAt,
    metadata: { seenVersion: mine.version },
  });
}
