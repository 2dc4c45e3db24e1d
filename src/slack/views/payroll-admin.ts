/**
 * `/agent-status payroll` (admins): webhook delivery counts, the dead events (gave up after all retries) with a
 * Replay button each, and Replay all dead. Buttons carry an event id at most; the handler re-checks that the
 * clicker is an admin and that the event is still dead before replaying.
 */
import {
  type ActionsBlock,
  button,
  confirmDialog,
  context,
  fallbackText,
  header,
  type KnownBlock,
  type SlackMessage,
  section,
  slackTime,
  userText,
} from './blocks.js';

export const PAYROLL_ADMIN_ACTIONS = {
  /** Value: the event id. */
  replay: 'payroll_replay',
  replayAllDead: 'payroll_replay_all_dead',
  refresh: 'payroll_refresh',
} as const;

export interface DeadEventRow {
  eventId: string;
  email: string;
  /** Presence labels of the change the event reports. */
  from: string;
  to: string;
  changedAt: string;
  attempts: number;
  lastError?: string;
}

export interface PayrollAdminInput {
  pending: number;
  deliveredUnacked: number;
  dead: number;
  /** The oldest dead events first; only the first `PAYROLL_ADMIN_MAX_DEAD_SHOWN` are listed. */
  deadEvents: readonly DeadEventRow[];
  refreshedAt: string;
}

export const PAYROLL_ADMIN_MAX_DEAD_SHOWN = 20;

function deadEventSection(event: DeadEventRow): KnownBlock {
  const error = event.lastError ? `\nLast error: ${userText(event.lastError, 300)}` : '';
  return section(
    `\`${userText(event.eventId, 80)}\` · ${userText(event.email, 100)}\n` +
      `${userText(event.from, 60)} → ${userText(event.to, 60)} at ${slackTime(event.changedAt, '{date_short_pretty} {time}')} · ` +
      `${event.attempts} ${event.attempts === 1 ? 'attempt' : 'attempts'}${error}`,
    button({ text: 'Replay', actionId: PAYROLL_ADMIN_ACTIONS.replay, value: event.eventId }),
  );
}

export function payrollAdminMessage(input: PayrollAdminInput): SlackMessage {
  const shown = input.deadEvents.slice(0, PAYROLL_ADMIN_MAX_DEAD_SHOWN);
  const controls: ActionsBlock = {
    type: 'actions',
    block_id: 'payroll_controls',
    elements: [
      ...(input.dead > 0
        ? [
            button({
              text: `Replay all dead (${input.dead})`,
              actionId: PAYROLL_ADMIN_ACTIONS.replayAllDead,
              style: 'danger',
              confirm: confirmDialog(
                'Replay all dead events?',
                `${input.dead} events will be sent to the payroll endpoint again.`,
                'Replay all',
              ),
            }),
          ]
        : []),
      button({ text: 'Refresh', actionId: PAYROLL_ADMIN_ACTIONS.refresh }),
    ],
  };
  const blocks: KnownBlock[] = [
    header('Payroll webhooks'),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Pending*\n${input.pending}` },
        { type: 'mrkdwn', text: `*Delivered, not acknowledged*\n${input.deliveredUnacked}` },
        { type: 'mrkdwn', text: `*Dead*\n${input.dead}` },
      ],
    },
    controls,
  ];
  if (shown.length) blocks.push({ type: 'divider' }, ...shown.map(deadEventSection));
  const hidden = input.dead - shown.length;
  blocks.push(
    context(
      `${hidden > 0 ? `${hidden} more dead events not listed; Replay all covers them. · ` : ''}Updated ${slackTime(input.refreshedAt)}`,
    ),
  );
  return {
    text: fallbackText(
      `Payroll webhooks: ${input.pending} pending, ${input.deliveredUnacked} delivered not acknowledged, ${input.dead} dead`,
    ),
    blocks,
  };
}
