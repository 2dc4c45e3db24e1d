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
export async function resolveTeamMembers(
  policy: Policy,
  directory: PeopleDirectory,
  teamIds: readonly string[],
): Promise<TeamMembers> {
  const entries = teamIds.flatMap((teamId) => policy.teams[teamId]!.members.map((entry) => ({ teamId, entry })));
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
