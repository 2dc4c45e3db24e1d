/**
 * Team limits as a state rather than a check on one change: which caps a team is over and whether it is under
 * its on-queue floor right now. The app never makes a change that breaks a limit (`limits.ts` refuses it), but a
 * change made in Genesys can; these say so, for the alert in the team's channel. Pure over members' statuses.
 */
import { onQueueStatusName, statusLabel } from './catalog.js';
import type { MemberStatus } from './limits.js';
import { listsPerson } from './roles.js';
import type { Policy } from './schema.js';
import { countOf, listPeople } from './wording.js';

/** A limit a team is outside of: more than `limit` members in a capped status, or fewer than its floor On Queue. */
export interface LimitBreach {
  kind: 'cap' | 'floor';
  /** Catalog name of the capped status, or of On Queue for the floor. */
  status: string;
  limit: number;
  /** E-mails of the members in that status. */
  people: string[];
}

/** The team's breached limits, caps in the policy's order, then the floor. */
export function teamLimitBreaches(policy: Policy, teamId: string, states: readonly MemberStatus[]): LimitBreach[] {
  const team = policy.teams[teamId];
  if (!team) return [];
  const members = states.filter((state) => team.members.some((entry) => listsPerson(entry, state)));
  const holding = (status: string) => members.filter((state) => state.status === status).map((state) => state.email);
  const breaches: LimitBreach[] = [];
  for (const [status, cap] of Object.entries(team.caps)) {
    const people = holding(status);
    if (people.length > cap) breaches.push({ kind: 'cap', status, limit: cap, people });
  }
  const onQueue = onQueueStatusName(policy);
  if (team.onQueueFloor > 0 && onQueue !== undefined) {
    const people = holding(onQueue);
    if (people.length < team.onQueueFloor)
      breaches.push({ kind: 'floor', status: onQueue, limit: team.onQueueFloor, people });
  }
  return breaches;
}

/** Breaches in `after` that `before` did not have (a cap or the floor newly crossed). */
export function newBreaches(before: readonly LimitBreach[], after: readonly LimitBreach[]): LimitBreach[] {
  return after.filter((breach) => !before.some((old) => old.kind === breach.kind && old.status === breach.status));
}

/** `3 on Break (cap 2): a, b, c` / `1 On Queue (floor 2): a`, plain text. */
export function describeBreach(policy: Policy, breach: LimitBreach): string {
  const label = statusLabel(policy, breach.status);
  const who = breach.people.length > 0 ? `: ${listPeople(breach.people)}` : '';
  return breach.kind === 'cap'
    ? `${breach.people.length} on ${label} (cap ${breach.limit})${who}`
    : `${breach.people.length} ${label}, below the floor of ${countOf(breach.limit, 'agent')}${who}`;
}
