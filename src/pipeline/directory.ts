/**
 * The people of policy teams and their live states: the one place a policy entry (e-mail or Slack id) becomes a
 * Genesys user, and team member states are read. Shared by the write path (caps, floor) and the read side.
 */
import type { AgentState } from '../domain/presence.js';
import type { StatusSnapshot } from '../domain/transition.js';
import type { CatalogBinding } from '../policy/binding.js';
import type { Policy } from '../policy/schema.js';
import type { PresenceReader } from './live-presence.js';
import type { PeopleDirectory, ResolvedPerson } from './ports.js';
import { snapshot } from './snapshot.js';

export interface TeamMember {
  person: ResolvedPerson;
  /** The first of the requested teams that lists them. */
  teamId: string;
}

export interface TeamMembers {
  /** Each person once, in policy order. */
  members: TeamMember[];
  /** Policy entries that match no Genesys user. */
  unmatched: string[];
}

export interface MemberState {
  member: TeamMember;
  state: AgentState;
  snapshot: StatusSnapshot;
}

/** The members of `teamIds` resolved through the directory; each Genesys user once. */
export function resolveTeamMembers(
  policy: Policy,
  directory: PeopleDirectory,
  teamIds: readonly string[],
): Promise<TeamMembers> {
  return resolveEntries(
    directory,
    teamIds.flatMap((teamId) => policy.teams[teamId]!.members.map((entry) => ({ teamId, entry }))),
  );
}

/**
 * Everyone the policy names (team members, supervisors, admins) that maps to a Genesys user, each once, looked
 * up together: the Genesys adapter answers lookups asked for at once with one search.
 */
export async function resolvePolicyPeople(policy: Policy, directory: PeopleDirectory): Promise<ResolvedPerson[]> {
  const named = Object.entries(policy.teams).flatMap(([teamId, team]) =>
    [...team.members, ...team.supervisors].map((entry) => ({ teamId, entry })),
  );
  const admins = policy.admins.map((entry) => ({ teamId: 'admins', entry }));
  return (await resolveEntries(directory, [...named, ...admins])).members.map((member) => member.person);
}

async function resolveEntries(
  directory: PeopleDirectory,
  entries: readonly { teamId: string; entry: string }[],
): Promise<TeamMembers> {
  const resolved = await Promise.all(entries.map(({ entry }) => directory.resolve(entry)));
  const seen = new Set<string>();
  const members: TeamMember[] = [];
  const unmatched: string[] = [];
  resolved.forEach((person, i) => {
    const { teamId, entry } = entries[i]!;
    if (!person) {
      unmatched.push(entry);
      return;
    }
    if (seen.has(person.genesysUserId)) return;
    seen.add(person.genesysUserId);
    members.push({ person, teamId });
  });
  return { members, unmatched };
}

/** The members' live states in one read; a member Genesys does not answer for is left out. */
export async function loadMemberStates(
  presence: PresenceReader,
  binding: CatalogBinding,
  members: readonly TeamMember[],
): Promise<MemberState[]> {
  if (members.length === 0) return [];
  const states = await presence.states(members.map((m) => m.person.genesysUserId));
  const byId = new Map(states.map((s) => [s.agentId, s]));
  return members.flatMap((member) => {
    const state = byId.get(member.person.genesysUserId);
    return state ? [{ member, state, snapshot: snapshot(binding, state) }] : [];
  });
}
