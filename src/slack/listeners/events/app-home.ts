/** `app_home_opened`: the Home tab is built fresh each time it is opened, from live Genesys state. */
import type { App } from '@slack/bolt';
import { publishHome } from '../../home.js';
import type { SlackDeps } from '../index.js';

export function registerAppHomeEvents(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    // The same event fires for the Messages tab, which has nothing to publish.
    if (event.tab !== 'home') return;
    deps.background(() => publishHome(deps, client, event.user));
  });
}
