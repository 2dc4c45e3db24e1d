import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { GenesysPort, Store } from '../../pipeline/ports.js';
import type { TransitionPipeline } from '../../pipeline/transition-pipeline.js';
import type { Policy } from '../../policy/schema.js';
import type { SlackIdentity } from '../identity.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { registerViews } from './views/index.js';

/** What the Slack listeners need from the rest of the app. */
export interface SlackDeps {
  policy: Policy;
  logger: Logger;
  identity: SlackIdentity;
  pipeline: TransitionPipeline;
  store: Store;
  /** Read-only uses (boards, pickers); every change goes through the pipeline. */
  genesys: GenesysPort;
  /** Runs work that continues after the 3-second ack; shutdown waits for it. */
  background(task: () => Promise<void>): void;
}

export function registerListeners(app: App, deps: SlackDeps): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
}
