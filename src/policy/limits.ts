/**
 * Team limits on a change: per-status caps ("at most 2 of Billing on Break at once") and the on-queue
 * staffing floor ("at least 2 of Billing On Queue"; a supervisor may override). Pure over a snapshot of
 * the team members' current statuses.
 */
import { onQueueStatusName, statusLabel } from './catalog.js';
import { listsPerson, type Person, samePerson, teamsOf } from './roles.js';
import type { Policy } from './schema.js';
import { type Refusal, refuse } from './verdict.js';
import { countOf, listPeople, listWords } from './wording.js';

/** A person's current status: a catalog name, else the Genesys label. */
export interface MemberStatus {
  email: string;
  slackUserId?: string;
  status: string;
}

export interface LimitsInput {
  /** Current statuses of (at least) the members of the target's teams; other people are ignored. */
  states: readonly MemberStatus[];
  target: Person;
  /** The target's current status; their own entry in `states`, if any, is not used. */
  from: string;
  /** Catalog name of the requested status. */
  to: string;
  /** Team ids whose floor the actor may override (supervised teams; all for an admin). */
  mayOverrideFloor: readonly string[];
  /** The actor asks to override the floor; the caller must insist on a reason (evaluateTransition does). */
  overrideFloor: boolean;
}

export type LimitsVerdict = { ok: true; floorOverriddenFor: string[] } | Refusal;

/** Checks every team of the target, in the policy's order; the first refusal wins. */
export function checkTeamLimits(policy: Policy, input: LimitsInput): LimitsVerdict {
  const floorOverriddenFor: string[] = [];
  for (const teamId of teamsOf(policy, input.target)) {
    const verdict = checkTeamLimit(policy, teamId, input);
    if (!verdict.ok) return verdict;
    floorOverriddenFor.push(...verdict.floorOverriddenFor);
  }
  return { ok: true, floorOverriddenFor };
}

/** One team's cap on `to` and its on-queue floor. Staying in the same status never counts twice. */
export function checkTeamLimit(policy: Policy, teamId: string, input: LimitsInput): LimitsVerdict {
  const team = policy.teams[teamId];
  if (!team || input.from === input.to) return { ok: true, floorOverriddenFor: [] };
  const others = input.states.filter(
    (state) => !samePerson(state, input.target) && team.members.some((entry) => listsPerson(entry, state)),
  );
  const holding = (status: string) => others.filter((state) => state.status === status).map((state) => state.email);

  const cap = Object.hasOwn(team.caps, input.to) ? team.caps[input.to] : undefined;
  if (cap !== undefined) {
    const holders = holding(input.to);
    if (holders.length >= cap) {
      return refuse(
        'cap_reached',
        `${team.name} already has ${holders.length} of ${cap} on ${statusLabel(policy, input.to)}: ${listPeople(holders)}. Try again when a slot frees up.`,
      );
    }
  }

  const onQueue = onQueueStatusName(policy);
  if (team.onQueueFloor === 0 || onQueue === undefined || input.from !== onQueue) {
    return { ok: true, floorOverriddenFor: [] };
  }
  const left = holding(onQueue);
  if (left.length >= team.onQueueFloor) return { ok: true, floorOverriddenFor: [] };
  const mayOverride = input.mayOverrideFloor.includes(teamId);
  if (mayOverride && input.overrideFloor) return { ok: true, floorOverriddenFor: [teamId] };

  const remaining = left.length === 0 ? 'none' : `${left.length} (${listPeople(left)})`;
  const shortfall = `${team.name} needs at least ${countOf(team.onQueueFloor, 'agent')} ${statusLabel(policy, onQueue)}; this change would leave ${remaining}.`;
  const people = mayOverride ? [] : team.supervisors;
  const next = mayOverride
    ? 'To go ahead anyway, add `override <reason>` after the status.'
    : people.length > 0
      ? `Ask a supervisor (${listWords(people, 'or')}) to override it.`
      : 'Ask an admin to override it.';
  return refuse('staffing_floor', `${shortfall} ${next}`, people.length > 0 ? { people } : {});
}
