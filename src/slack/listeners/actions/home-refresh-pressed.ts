/** App Home's refresh button: the tab is rebuilt from live state. */

import type { ButtonArgs } from '../../bolt-args.js';
import type { SlackDeps } from '../../deps.js';
import { publishHome } from '../../home.js';

export function homeRefreshPressed(deps: SlackDeps) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    deps.background(() => publishHome(deps, client, body.user.id));
  };
}
