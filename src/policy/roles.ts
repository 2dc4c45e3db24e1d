/**
 * Who may change whose status: everyone their own, a supervisor the members of the teams they supervise,
 * an admin everyone. The policy lists people by e-mail (any case) or Slack user id.
 */
import type { Policy } from './schema.js';
import { type Refusal, refuse } from './verdict.js';
import { listWords } from './wording.js';

/** A person as the pipeline knows them; either field may be what the policy lists. */
export interface Person {
  email?: string;
  slackUserId?: string;
}

export interface ActorRoles {
  admin: boolean;
  /** Team ids the person is listed as a supervisor of. */
  supervises: string[];
  /** Team ids the person is listed as a member of. */
  memberOf: string[];
}

export type ChangeRight = { ok: true; as: 'self' | 'supervisor' | 'admin' } | Refusal;

/** True when `entry` (a policy list item) names `person`. */
export function listsPerson(entry: string, person: Person): boolean {
  if (entry.includes('@')) return person.email !== undefined && entry.toLowerCase() === person.email.toLowerCase();
  return entry === person.slackUserId;
}

export function samePerson(a: Person, b: Person): boolean {
  const sameEmail = a.email !== undefined && b.email !== undefined && a.email.toLowerCase() === b.email.toLowerCase();
  const sameSlack = a.slackUserId !== undefined && a.slackUserId === b.slackUserId;
  return sameEmail || sameSlack;
}

export function rolesOf(policy: Policy, actor: Person): ActorRoles {
  return {
    admin: policy.admins.some((entry) => listsPerson(entry, actor)),
    supervises: teamIds(policy).filter((id) => policy.teams[id]!.supervisors.some((e) => listsPerson(e, actor))),
    memberOf: teamsOf(policy, actor),
  };
}

/** Team ids the person is a member of. */
export function teamsOf(policy: Policy, person: Person): string[] {
  return teamIds(policy).filter((id) => policy.teams[id]!.members.some((entry) => listsPerson(entry, person)));
}

/** Team ids the actor may act on as a supervisor: those they supervise, or every team for an admin. */
export function supervisedTeams(policy: Policy, actor: Person): string[] {
  const roles = rolesOf(policy, actor);
  return roles.admin ? teamIds(policy) : roles.supervises;
}

export function canChange(policy: Policy, actor: Person, target: Person): ChangeRight {
  if (samePerson(actor, target)) return { ok: true, as: 'self' };
  const roles = rolesOf(policy, actor);
  if (roles.admin) return { ok: true, as: 'admin' };
  const targetTeams = teamsOf(policy, target);
  if (targetTeams.some((id) => roles.supervises.includes(id))) return { ok: true, as: 'supervisor' };

  const who = target.email ?? target.slackUserId ?? 'this agent';
  const opening =
    roles.supervises.length > 0
      ? `${who} isn't in ${listWords(
          roles.supervises.map((id) => policy.teams[id]!.name),
          'or',
        )}, which you supervise.`
      : `You can only change your own status.`;
  const teams = targetTeams.map((id) => policy.teams[id]!).filter((team) => team.supervisors.length > 0);
  const people = [
    ...(roles.supervises.length > 0 && !target.email && target.slackUserId ? [target.slackUserId] : []),
    ...teams.flatMap((team) => team.supervisors),
  ];
  return refuse('not_authorized', `${opening} ${askSomeone(teams)}`, people.length > 0 ? { people } : {});
}

/** "Ask a supervisor of Billing (sam@example.com) or an admin." — the people who could do it. */
function askSomeone(teams: readonly { name: string; supervisors: readonly string[] }[]): string {
  const supervisors = teams.map((team) => `a supervisor of ${team.name} (${team.supervisors.join(', ')})`);
  return `Ask ${listWords([...supervisors, 'an admin'], 'or')}.`;
}

function teamIds(policy: Policy): string[] {
  return Object.keys(policy.teams);
}
