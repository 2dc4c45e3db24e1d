import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { agentStatusCommand } from './agent-status.js';

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command('/agent-status', agentStatusCommand(deps));
}
