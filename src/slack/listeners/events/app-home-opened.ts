/** `app_home_opened`: the Home tab is built fresh each time it is opened, from live Genesys state. */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { publishHome } from '../../home.js';

export function appHomeOpened(deps: SlackDeps) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    // The same event fires for the Messages tab, which has nothing to publish.
    if (event.tab !== 'home') return;
    deps.background(() => publishHome(deps, client, event.user));
  };
}
