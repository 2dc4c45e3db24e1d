/**
 * `/agent-status`: parse, ack at once, then work after the ack. Slack gives a command 3 s and never retries it,
 * while a status change may wait on Genesys for longer: the ack is an ephemeral "⏳" and the answer follows
 * through `response_url`.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { catalogNames, resolveStatus } from '../../../policy/catalog.js';
import { catalogEntries } from '../../catalog-entries.js';
import type { CommandContext } from '../../commands/context.js';
import { setStatus, undoLast } from '../../commands/set-status.js';
import { show, showHistory } from '../../commands/show.js';
import type { SlackDeps } from '../../deps.js';
import { openHandoverModal } from '../../flows/handover.js';
import { ensureAdmin, payrollAdminView } from '../../flows/payroll-admin.js';
import { openStatusModal } from '../../flows/status-modal.js';
import { type GrammarContext, type ParsedCommand, parseCommand } from '../../grammar.js';
import { answering, replyVia } from '../../replies.js';
import { context, escapeMrkdwn, section } from '../../views/blocks.js';
import { helpBlocks, helpText } from '../../views/help.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Deferred = Extract<ParsedCommand, { kind: 'set' | 'show' | 'undo' | 'history' | 'payroll' }>;

const GRAMMAR_HINT = escapeMrkdwn(
  '/agent-status <status> [reason] · @user <status> [reason] · show [@user|<team>] · handover <team> · undo · history [@user] · payroll · help',
);

export function agentStatusCommand(deps: SlackDeps) {
  const grammar: GrammarContext = {
    isStatus: (text) => resolveStatus(deps.policy, text).ok,
    statusNames: catalogNames(deps.policy),
  };
  return async ({ command, ack, respond, client }: CommandArgs): Promise<void> => {
    deps.logger.info({ user: command.user_id, channel: command.channel_id }, 'slash command');
    const parsed = parseCommand(command.text, grammar);
    switch (parsed.kind) {
      case 'help': {
        const entries = catalogEntries(deps.policy);
        await ack({ response_type: 'ephemeral', text: helpText(entries), blocks: helpBlocks(entries) });
        return;
      }
      case 'error':
        await ack({
          response_type: 'ephemeral',
          text: parsed.message,
          blocks: [section(`:warning: ${parsed.message}`), context(GRAMMAR_HINT)],
        });
        return;
      // Modals: an empty ack, then views.open with the trigger id (valid for 3 s) right after.
      case 'picker':
        await ack();
        deps.background(() =>
          openStatusModal(deps, { client, triggerId: command.trigger_id, actorSlackId: command.user_id, respond }),
        );
        return;
      case 'handover':
        await ack();
        deps.background(() =>
          openHandoverModal(deps, {
            client,
            triggerId: command.trigger_id,
            actorSlackId: command.user_id,
            teamId: parsed.team,
            respond,
          }),
        );
        return;
    }
    await ack({ response_type: 'ephemeral', text: working(parsed) });
    const reply = replyVia(deps, respond);
    const ctx: CommandContext = {
      userId: command.user_id,
      triggerId: command.trigger_id,
      client,
      reply,
      responseUrl: command.response_url,
    };
    deps.background(() => answering(deps, reply, () => run(deps, parsed, ctx)));
  };
}

function working(parsed: Deferred): string {
  switch (parsed.kind) {
    case 'set':
      return parsed.user ? `⏳ Changing <@${parsed.user}>'s status…` : '⏳ Changing your status…';
    case 'show':
      return '⏳ Looking it up…';
    case 'undo':
      return '⏳ Undoing your last change…';
    case 'history':
      return '⏳ Reading the history…';
    case 'payroll':
      return '⏳ Reading payroll deliveries…';
  }
}

async function run(deps: SlackDeps, parsed: Deferred, ctx: CommandContext): Promise<void> {
  switch (parsed.kind) {
    case 'set':
      return setStatus(deps, parsed, ctx);
    case 'show':
      return show(deps, parsed, ctx);
    case 'undo':
      return undoLast(deps, ctx);
    case 'history':
      return showHistory(deps, parsed, ctx);
    case 'payroll':
      if (await ensureAdmin(deps, ctx.userId, ctx.reply)) await ctx.reply(await payrollAdminView(deps));
      return;
  }
}
