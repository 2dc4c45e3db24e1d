/**
 * The whole policy verdict on one requested change, in a fixed order so the person hears about the first
 * thing to fix: authorization → status name → matrix → reason → dwell → team caps and on-queue floor.
 */
import { resolveStatus } from './catalog.js';
import { checkDwell } from './dwell.js';
import { checkTeamLimits, type MemberStatus } from './limits.js';
import { checkTransition } from './matrix.js';
import { checkReason } from './reasons.js';
import { canChange, type Person, supervisedTeams } from './roles.js';
import type { Policy } from './schema.js';
import { type Refusal, refuse } from './verdict.js';
import { listWords } from './wording.js';

export interface TransitionCheck {
  actor: Person;
  target: Person;
  /** The target's current status: catalog name, else the Genesys label. */
  from: string;
  /** ISO time the target entered `from` (Genesys `modifiedDate`); without it no dwell is enforced. */
  enteredAt?: string;
  /** The requested status as typed (name, alias or label). */
  to: string;
  reason?: string;
  /** The actor asks to override the on-queue staffing floor; needs a reason. */
  overrideFloor?: boolean;
  /** Current statuses of the members of the target's teams. */
  teamStates: readonly MemberStatus[];
  now: Date;
}

export type TransitionVerdict =
  | {
      ok: true;
      /** Catalog name of the requested status. */
      to: string;
      /** The reason to record: canonical spelling; absent for statuses that take none (floor overrides). */
      reason?: string;
      as: 'self' | 'supervisor' | 'admin';
      /** Team ids whose on-queue floor this change overrides (for the audit trail); usually empty. */
      floorOverriddenFor: string[];
      /**
       * Why the floor was overridden, set with `floorOverriddenFor`. Kept apart from `reason`, which a status
       * that takes no reason drops.
       */
      floorOverrideReason?: string;
    }
  | Refusal;

export function evaluateTransition(policy: Policy, check: TransitionCheck): TransitionVerdict {
  const right = canChange(policy, check.actor, check.target);
  if (!right.ok) return right;
  const resolved = resolveStatus(policy, check.to);
  if (!resolved.ok) return resolved;
  const to = resolved.name;

  const matrix = checkTransition(policy, check.from, to);
  if (!matrix.ok) return matrix;
  const reason = checkReason(policy, to, check.reason, { forFloorOverride: check.overrideFloor === true });
  if (!reason.ok) return reason;
  if (check.enteredAt !== undefined && check.from !== to) {
    const dwell = checkDwell(policy, check.from, check.enteredAt, check.now);
    if (!dwell.ok) return dwell;
  }
  const limits = checkTeamLimits(policy, {
    states: check.teamStates,
    target: check.target,
    from: check.from,
    to,
    mayOverrideFloor: supervisedTeams(policy, check.actor),
    overrideFloor: check.overrideFloor === true,
  });
  if (!limits.ok) return limits;
  const { floorOverriddenFor } = limits;
  const verdict = { ok: true, to, reason: reason.reason, as: right.as, floorOverriddenFor } as const;
  if (floorOverriddenFor.length === 0) return verdict;
  const floorOverrideReason = check.reason?.trim() ?? '';
  if (floorOverrideReason === '') {
    const teams = floorOverriddenFor.map((id) => policy.teams[id]!.name);
    return refuse('reason_missing', `Overriding the on-queue floor of ${listWords(teams, 'and')} needs a reason.`);
  }
  return { ...verdict, floorOverrideReason };
}
