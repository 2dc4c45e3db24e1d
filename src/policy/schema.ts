/**
 * The policy file's shape (YAML, see README "Policy file reference"). Only structure and cross-references
 * are checked here; what the rules mean lives in the policy's pure functions.
 */
import { z } from 'zod';
import { normalizeSystemPresence, type SystemPresence } from '../domain/presence.js';
import { isSystemStatus, systemPresenceOf } from './status-presence.js';
import { closestNames, normalizeName } from './suggest.js';

const statusName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case name such as "on-queue" (letters, digits, dashes)');
const teamId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case id such as "billing" (letters, digits, dashes)');

/** A person in the policy: an e-mail address or a Slack user id. */
const person = z.string().refine((v) => /^[UW][A-Z0-9]{2,}$/.test(v) || z.email().safeParse(v).success, {
  message: 'expected an e-mail address or a Slack user id (U…)',
});

const systemPresence = z.string().transform((raw, ctx): SystemPresence => {
  const normalized = normalizeSystemPresence(raw);
  if (!normalized) {
    ctx.addIssue({
      code: 'custom',
      message: `expected one of the Genesys system presences (Available, Away, Busy, Offline, Idle, On Queue, Meal, Training, Meeting, Break), got "${raw}"`,
    });
    return z.NEVER;
  }
  return normalized;
});

const positiveInt = z
  .number({ error: 'expected a positive integer' })
  .int('expected a positive integer')
  .positive('expected a positive integer');
const nonNegativeInt = z
  .number({ error: 'expected a whole number ≥ 0' })
  .int('expected a whole number ≥ 0')
  .min(0, 'expected a whole number ≥ 0');

const statusSchema = z.strictObject({
  /** Genesys presence label: a system presence ("Break") or an org secondary presence ("Lunch"). */
  presence: z.string().min(1),
  /** For a secondary presence: the system presence it belongs to. Defaults to `presence` itself. */
  systemPresence: systemPresence.optional(),
  /** What people see in Slack; defaults to the presence label. */
  label: z.string().min(1).max(60).optional(),
  aliases: z.array(statusName).default([]),
  reason: z.enum(['none', 'optional', 'required']).default('none'),
  /** Allowed reasons; absent means free text. */
  reasons: z.array(z.string().min(1).max(60)).min(1).optional(),
  minDwellSeconds: nonNegativeInt.default(0),
});

const teamSchema = z.strictObject({
  name: z.string().min(1),
  /** Slack channel id (C…) for handover posts and notifications. */
  channel: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD')
    .optional(),
  supervisors: z.array(person).default([]),
  members: z.array(person).min(1, 'a team needs at least one member'),
  /** At most N agents of the team in a status at once, by catalog name (checked against the catalog below). */
  caps: z.record(z.string(), positiveInt).default({}),
  /** A change that leaves fewer than N members On Queue is refused (supervisors may override). */
  onQueueFloor: nonNegativeInt.default(0),
});

export const policySchema = z
  .strictObject({
    version: z.literal(1, 'expected 1 (the only policy format so far)'),
    statuses: z.record(statusName, statusSchema),
    /**
     * from → allowed targets, by catalog name, `*` for any. Missing entries are refused. Names are checked
     * against the catalog below, so a typo gets one message with a suggestion.
     */
    transitions: z.record(z.string(), z.array(z.string())),
    teams: z.record(teamId, teamSchema).default({}),
    admins: z.array(person).default([]),
    undo: z.strictObject({ windowSeconds: positiveInt.default(300) }).default({ windowSeconds: 300 }),
    history: z.strictObject({ limit: positiveInt.max(100, 'expected at most 100').default(10) }).default({ limit: 10 }),
  })
  .superRefine((policy, ctx) => {
    const names = new Set(Object.keys(policy.statuses));
    const seen = new Map<string, string>();
    const presenceOwners = new Map<string, string>();
    for (const [name, status] of Object.entries(policy.statuses)) {
      for (const alias of [name, ...status.aliases]) {
        const owner = seen.get(alias);
        if (owner && owner !== name) {
          ctx.addIssue({
            code: 'custom',
            path: ['statuses', name, 'aliases'],
            message: `"${alias}" already names status "${owner}"`,
          });
        }
        seen.set(alias, name);
      }
      if (status.reasons && status.reason === 'none') {
        ctx.addIssue({
          code: 'custom',
          path: ['statuses', name, 'reasons'],
          message: 'reasons are listed but reason is "none"; set reason: optional or required',
        });
      }
      if (!status.systemPresence && !normalizeSystemPresence(status.presence)) {
        ctx.addIssue({
          code: 'custom',
          path: ['statuses', name, 'systemPresence'],
          message: `"${status.presence}" is not a system presence; name the system presence it belongs to (e.g. systemPresence: Meal)`,
        });
        continue;
      }
      // Two statuses on one Genesys presence would make "which status is this agent in?" ambiguous.
      const presenceKey = isSystemStatus(status)
        ? `${systemPresenceOf(status)}`
        : `${systemPresenceOf(status)}/${status.presence.trim().toLowerCase()}`;
      const presenceOwner = presenceOwners.get(presenceKey);
      if (presenceOwner) {
        ctx.addIssue({
          code: 'custom',
          path: ['statuses', name, 'presence'],
          message: `status "${presenceOwner}" already uses presence "${status.presence}"; make "${name}" an alias of it instead`,
        });
      }
      presenceOwners.set(presenceKey, name);
    }
    const unknownStatus = (n: string) => {
      const owner = Object.entries(policy.statuses).find(([, s]) =>
        s.aliases.some((a) => normalizeName(a) === normalizeName(n)),
      );
      if (owner) return `"${n}" is an alias; use the status name "${owner[0]}"`;
      const close = closestNames(
        n,
        Object.entries(policy.statuses).map(([name, s]) => ({ name, words: [name, ...s.aliases] })),
      );
      return close.length > 0
        ? `unknown status "${n}"; did you mean ${close.map((c) => `"${c}"`).join(' or ')}?`
        : `unknown status "${n}"; the statuses are ${[...names].join(', ')}`;
    };
    const known = (n: string) => n === '*' || names.has(n);
    for (const [from, targets] of Object.entries(policy.transitions)) {
      if (!known(from)) ctx.addIssue({ code: 'custom', path: ['transitions', from], message: unknownStatus(from) });
      targets.forEach((to, i) => {
        if (!known(to)) ctx.addIssue({ code: 'custom', path: ['transitions', from, i], message: unknownStatus(to) });
      });
    }
    const onQueue = Object.values(policy.statuses).some((s) => isSystemStatus(s) && systemPresenceOf(s) === 'ON_QUEUE');
    for (const [id, team] of Object.entries(policy.teams)) {
      for (const status of Object.keys(team.caps)) {
        if (!names.has(status))
          ctx.addIssue({ code: 'custom', path: ['teams', id, 'caps', status], message: unknownStatus(status) });
      }
      if (team.onQueueFloor > 0 && !onQueue) {
        ctx.addIssue({
          code: 'custom',
          path: ['teams', id, 'onQueueFloor'],
          message: 'no status has presence On Queue, so there is nothing to count; add one or remove the floor',
        });
      }
    }
  });

export type Policy = z.output<typeof policySchema>;
export type StatusPolicy = Policy['statuses'][string];
export type TeamPolicy = Policy['teams'][string];
