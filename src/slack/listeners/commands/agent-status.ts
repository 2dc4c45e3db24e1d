import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpBlocks, helpText } from '../../views/help.js';
import { catalogEntries } from '../../catalog-entries.js';
import type { SlackDeps } from '../index.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function agentStatusCommand(deps: SlackDeps) {
  return async ({ command, ack }: CommandArgs): Promise<void> => {
    deps.logger.info({ user: command.user_id, channel: command.channel_id }, 'slash command');
    const words = command.text.trim().split(/\s+/).filter(Boolean);
    const verb = words[0]?.toLowerCase();
    if (verb === undefined || verb === 'help') {
      const entries = catalogEntries(deps.policy);
      await ack({ response_type: 'ephemeral', text: helpText(entries), blocks: helpBlocks(entries) });
      return;
    }
    await ack({ response_type: 'ephemeral', text: `Unknown command "${verb}". Try \`/agent-status help\`.` });
  };
}
