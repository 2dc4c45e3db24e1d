/**
 * The soak run's invariants, as pure functions over what it observed from outside the app: Prometheus text,
 * the simulator's agent states and the payroll receiver's deliveries. Each returns the broken ones, in words.
 */
import type { PayrollEventData } from '../src/domain/payroll-event.js';
import type { Policy } from '../src/policy/schema.js';

/** One sample per label value of a Prometheus counter, e.g. `{ applied: 12, refused: 3 }`. */
export function counterByLabel(metrics: string, name: string, label: string): Record<string, number> {
  const line = new RegExp(`^${name}\\{(?:[^}]*,)?${label}="([^"]*)"[^}]*\\} (\\S+)$`, 'gm');
  const values: Record<string, number> = {};
  for (const [, value, sample] of metrics.matchAll(line)) values[value!] = (values[value!] ?? 0) + Number(sample);
  return values;
}

/** The sample of an unlabelled gauge or counter; undefined when the app does not export it. */
export function sampleOf(metrics: string, name: string): number | undefined {
  const found = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
  return found ? Number(found[1]) : undefined;
}

/** `after - before` per key (keys only in `after` count from 0). */
export function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)]));
}

export interface Cap {
  team: string;
  /** The Genesys presence label the capped status shows as. */
  presence: string;
  limit: number;
  members: readonly string[];
}

/** Every per-team cap of the policy, in Genesys's terms. */
export function capsOf(policy: Policy): Cap[] {
  return Object.entries(policy.teams).flatMap(([team, { caps, members }]) =>
    Object.entries(caps).flatMap(([status, limit]) => {
      const presence = policy.statuses[status]?.presence;
      return presence === undefined ? [] : [{ team, presence, limit, members }];
    }),
  );
}

/** Caps exceeded in `presenceByEmail` (the agents' Genesys presence labels). */
export function capViolations(caps: readonly Cap[], presenceByEmail: ReadonlyMap<string, string>): string[] {
  return caps.flatMap(({ team, presence, limit, members }) => {
    const on = members.filter((email) => presenceByEmail.get(email) === presence);
    return on.length > limit
      ? [`cap broken: ${on.length} of team ${team} on ${presence} (${on.join(', ')}), cap ${limit}`]
      : [];
  });
}

export interface PayrollTrail {
  /** Genesys presence label of each agent before the run, by e-mail. */
  initial: ReadonlyMap<string, string>;
  /** … and after it, once the outbox drained. */
  final: ReadonlyMap<string, string>;
  /** Every distinct event the receiver accepted. */
  events: readonly PayrollEventData[];
}

/**
 * The app is the only writer during a soak, so each agent's events must chain from its initial presence to its
 * final one: a change without its event, an event without its change or an event twice all break the chain.
 */
export function payrollViolations({ initial, final, events }: PayrollTrail): string[] {
  const problems: string[] = [];
  const byChange = new Map<string, Set<string>>();
  for (const event of events) {
    const change = `${event.requestId} for ${event.email}`;
    const ids = byChange.get(change) ?? new Set<string>();
    ids.add(event.eventId);
    byChange.set(change, ids);
  }
  for (const [change, ids] of byChange) {
    if (ids.size > 1) problems.push(`two events for one change: request ${change} → ${[...ids].join(', ')}`);
  }
  for (const [email, start] of initial) {
    const trail = events
      .filter((event) => event.email === email)
      .sort((a, b) => a.changedAt.localeCompare(b.changedAt));
    let presence = start;
    for (const event of trail) {
      if (event.from.presence !== presence) {
        problems.push(
          `${event.email}: event ${event.eventId} says ${event.from.presence} → ${event.to.presence}, but payroll last heard ${presence}`,
        );
      }
      presence = event.to.presence;
    }
    const now = final.get(email);
    if (now !== presence) problems.push(`${email}: ${now ?? 'unknown'} in Genesys, but payroll last heard ${presence}`);
  }
  return problems;
}
