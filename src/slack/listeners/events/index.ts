import type { App } from '@slack/bolt';
import type { SlackDeps } from '../index.js';

export function registerEvents(_app: App, _deps: SlackDeps): void {}
