/** App Home's "Change…" button opens the status modal; the tab has no `response_url`, so problems come by DM. */

import type { ButtonArgs } from '../../bolt-args.js';
import type { SlackDeps } from '../../deps.js';
import { openStatusModal } from '../../flows/status-modal.js';
import { respondByDirectMessage } from '../../replies.js';

export function homeOpenModalPressed(deps: SlackDeps) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    deps.background(() =>
      openStatusModal(deps, {
        client,
        triggerId: body.trigger_id,
        actorSlackId: body.user.id,
        respond: respondByDirectMessage(client, body.user.id),
      }),
    );
  };
}
