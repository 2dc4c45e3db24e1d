import type { App } from '@slack/bolt';
import type { SlackDeps } from '../index.js';
import { registerAppHomeEvents } from './app-home.js';

export function registerEvents(app: App, deps: SlackDeps): void {
  registerAppHomeEvents(app, deps);
}
