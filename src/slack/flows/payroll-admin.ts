/**
 * Payroll webhook administration (`/agent-status payroll` and its buttons): delivery counts, dead events,
 * replays. Admins only, checked again on every click: a button is no proof of who may press it.
 */
import type { RespondFn } from '@slack/bolt';
import { rolesOf } from '../../policy/roles.js';
import { listWords } from '../../policy/wording.js';
import { identifyActor } from '../actor.js';
import type { SlackDeps } from '../deps.js';
import { answering, notice, type Reply, replyVia } from '../replies.js';
import { policyEntryRef, type SlackMessage, section, userText } from '../views/blocks.js';
import {
  type DeadEventRow,
  PAYROLL_ADMIN_ACTIONS,
  PAYROLL_ADMIN_MAX_DEAD_SHOWN,
  payrollAdminMessage,
} from '../views/payroll-admin.js';

/** True for an admin; otherwise tells them why not (or what to fix in their identity) and returns false. */
export async function ensureAdmin(deps: SlackDeps, slackUserId: string, reply: Reply): Promise<boolean> {
  const actor = await identifyActor(deps, slackUserId);
  if (!actor.ok) {
    await reply(notice(actor.message));
    return false;
  }
  if (rolesOf(deps.policy, { email: actor.person.email, slackUserId }).admin) return true;
  const admins = deps.policy.admins.map(policyEntryRef);
  await reply(
    notice(
      `:no_entry: Only admins can see and replay payroll deliveries.${admins.length ? ` Ask ${listWords(admins, 'or')}.` : ''}`,
    ),
  );
  return false;
}

/** The admin view as of now: counts by state and the oldest dead events. */
export async function payrollAdminView(deps: SlackDeps): Promise<SlackMessage> {
  const [counts, dead] = await Promise.all([deps.payroll.counts(), deps.payroll.list({ state: 'dead' })]);
  const deadEvents: DeadEventRow[] = dead
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .slice(0, PAYROLL_ADMIN_MAX_DEAD_SHOWN)
    .map((entry) => ({
      eventId: entry.eventId,
      email: entry.event.data.email,
      from: entry.event.data.from.presence,
      to: entry.event.data.to.presence,
      changedAt: entry.event.data.changedAt,
      attempts: entry.attempts,
      ...(entry.lastError ? { lastError: entry.lastError } : {}),
    }));
  return payrollAdminMessage({
    pending: counts.pending,
    deliveredUnacked: counts.delivered,
    dead: counts.dead,
    deadEvents,
    refreshedAt: new Date().toISOString(),
  });
}

/** A button press on the admin view, by `userId`: a replay (of one event or of every dead one) or a refresh. */
export interface PayrollAdminPress {
  userId: string;
  actionId: string;
  value?: string;
  respond: RespondFn;
}

/** Re-checks that the presser is an admin, does what the button says, then shows the view as of now in its place. */
export async function pressPayrollAdmin(deps: SlackDeps, { userId, actionId, value, respond }: PayrollAdminPress) {
  const note = replyVia(deps, respond);
  await answering(deps, note, async () => {
    if (!(await ensureAdmin(deps, userId, note))) return;
    let done: string | undefined;
    if (actionId === PAYROLL_ADMIN_ACTIONS.replay) {
      const eventId = value ?? '';
      const replayed = eventId !== '' && (await deps.payroll.replay(eventId));
      done = replayed
        ? `:repeat: Event \`${userText(eventId, 80)}\` is queued for delivery again.`
        : `:information_source: Event \`${userText(eventId, 80)}\` is no longer dead; nothing to replay.`;
    } else if (actionId === PAYROLL_ADMIN_ACTIONS.replayAllDead) {
      const count = await deps.payroll.replayAllDead();
      done = `:repeat: ${count} dead ${count === 1 ? 'event is' : 'events are'} queued for delivery again.`;
    }
    if (done) deps.logger.info({ user: userId, action: actionId, value }, 'payroll replay');
    const view = await payrollAdminView(deps);
    await replyVia(deps, respond, { replaceOriginal: true })(
      done ? { text: view.text, blocks: [section(done), ...view.blocks] } : view,
    );
  });
}
