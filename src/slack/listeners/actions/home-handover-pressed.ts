/** A team board's handover button on App Home opens the handover modal for that team. */

import type { ButtonArgs } from '../../bolt-args.js';
import type { SlackDeps } from '../../deps.js';
import { openHandoverModal } from '../../flows/handover.js';
import { respondByDirectMessage } from '../../replies.js';

export function homeHandoverPressed(deps: SlackDeps) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    deps.background(() =>
      openHandoverModal(deps, {
        client,
        triggerId: body.trigger_id,
        actorSlackId: body.user.id,
        teamId: action.value ?? '',
        respond: respondByDirectMessage(client, body.user.id),
      }),
    );
  };
}
