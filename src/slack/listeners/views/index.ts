import type { App } from '@slack/bolt';
import type { SlackDeps } from '../index.js';

export function registerViews(_app: App, _deps: SlackDeps): void {}
