/**
 * Members of policy teams as pipeline targets: the policy lists people by e-mail or Slack id; a change needs their
 * Genesys user, e-mail and (when known) Slack id. Lookups go through the cached identity and Genesys adapters.
 */
import type { TargetAgent } from '../../../domain/transition.js';
import type { SlackDeps } from '../index.js';

export interface TeamMember {
  target: TargetAgent;
  name: string;
  /** The first of the requested teams that lists them. */
  teamId: string;
}

export interface TeamMembers {
  /** By Genesys user id, each person once. */
  byId: Map<string, TeamMember>;
  /** Policy entries that match no Genesys user. */
  unmatched: string[];
}

export async function resolveTeamMembers(deps: SlackDeps, teamIds: readonly string[]): Promise<TeamMembers> {
  const entries = teamIds.flatMap((teamId) => deps.policy.teams[teamId]!.members.map((entry) => ({ teamId, entry })));
  const resolved = await Promise.all(entries.map(({ entry }) => resolveEntry(deps, entry)));
  const byId = new Map<string, TeamMember>();
  const unmatched: string[] = [];
  resolved.forEach((member, i) => {
    const { teamId, entry } = entries[i]!;
    if (!member) {
      unmatched.push(entry);
      return;
    }
    if (!byId.has(member.target.genesysUserId)) byId.set(member.target.genesysUserId, { ...member, teamId });
  });
  if (unmatched.length > 0) deps.logger.warn({ unmatched, teamIds }, 'team members without a Genesys user');
  return { byId, unmatched };
}

async function resolveEntry(deps: SlackDeps, entry: string): Promise<Omit<TeamMember, 'teamId'> | undefined> {
  if (entry.includes('@')) {
    const user = await deps.genesys.findUserByEmail(entry);
    return user ? { target: { genesysUserId: user.id, email: user.email }, name: user.name } : undefined;
  }
  const identity = await deps.identity.identify(entry);
  if (!identity.ok) return undefined;
  const { genesysUserId, email } = identity.person;
  return { target: { genesysUserId, email, slackUserId: entry }, name: identity.name };
}
