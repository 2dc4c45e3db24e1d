/**
 * Payroll webhook administration (`/agent-status payroll` and its buttons): delivery counts, dead events,
 * replays. Admins only, checked again on every click: a button is no proof of who may press it.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { rolesOf } from '../../../policy/roles.js';
import { listWords, personLabel } from '../../../policy/wording.js';
import { answering, identifyActor, notice, type Reply, replyVia } from '../../reply.js';
import { type SlackMessage, section, userText } from '../../views/blocks.js';
import {
  type DeadEventRow,
  PAYROLL_ADMIN_ACTIONS,
  PAYROLL_ADMIN_MAX_DEAD_SHOWN,
  payrollAdminMessage,
} from '../../views/payroll-admin.js';
import type { SlackDeps } from '../index.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** True for an admin; otherwise tells them why not (or what to fix in their identity) and returns false. */
export async function ensureAdmin(deps: SlackDeps, slackUserId: string, reply: Reply): Promise<boolean> {
  const actor = await identifyActor(deps, slackUserId);
  if (!actor.ok) {
    await reply(notice(actor.message));
    return false;
  }
  if (rolesOf(deps.policy, { email: actor.person.email, slackUserId }).admin) return true;
  // Policy entries are validated e-mails or Slack ids: safe as mrkdwn (ids become mentions).
  const admins = deps.policy.admins.map(personLabel);
  await reply(
    notice(
      `:no_entry: Only admins can see and replay payroll deliveries.${admins.length ? ` Ask ${listWords(admins, 'or')}.` : ''}`,
    ),
  );
  return false;
}

/** The admin view as of now: counts by state and the oldest dead events. */
export async function payrollAdminView(deps: SlackDeps): Promise<SlackMessage> {
  const [counts, dead] = await Promise.all([deps.store.outbox.counts(), deps.store.outbox.list({ state: 'dead' })]);
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

export function registerPayrollActions(app: App, deps: SlackDeps): void {
  for (const actionId of Object.values(PAYROLL_ADMIN_ACTIONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async (args: ButtonArgs) => {
      await args.ack();
      deps.background(() => payrollAction(deps, args));
    });
  }
}

async function payrollAction(deps: SlackDeps, { body, action, respond }: ButtonArgs): Promise<void> {
  const note = replyVia(deps, respond);
  await answering(deps, note, async () => {
    if (!(await ensureAdmin(deps, body.user.id, note))) return;
    let done: string | undefined;
    if (action.action_id === PAYROLL_ADMIN_ACTIONS.replay) {
      const eventId = action.value ?? '';
      const replayed = eventId !== '' && (await deps.store.outbox.replay(eventId));
      done = replayed
        ? `:repeat: Event \`${userText(eventId, 80)}\` is queued for delivery again.`
        : `:information_source: Event \`${userText(eventId, 80)}\` is no longer dead; nothing to replay.`;
    } else if (action.action_id === PAYROLL_ADMIN_ACTIONS.replayAllDead) {
      const count = await deps.store.outbox.replayAllDead();
      done = `:repeat: ${count} dead ${count === 1 ? 'event is' : 'events are'} queued for delivery again.`;
    }
    if (done) deps.logger.info({ user: body.user.id, action: action.action_id, value: action.value }, 'payroll replay');
    const view = await payrollAdminView(deps);
    await replyVia(deps, respond, { replaceOriginal: true })(
      done ? { text: view.text, blocks: [section(done), ...view.blocks] } : view,
    );
  });
}
