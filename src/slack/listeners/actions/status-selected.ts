/**
 * The status modal's status select dispatches on change; the modal is redrawn with the reason input the picked
 * status takes (free text, a fixed list, or none).
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, StaticSelectAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { showSelectedStatus } from '../../flows/status-modal.js';

export function statusSelected(deps: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    deps.background(() =>
      showSelectedStatus(deps, {
        client,
        slackUserId: body.user.id,
        view: { id: view.id, hash: view.hash, private_metadata: view.private_metadata },
        selected: action.selected_option?.value,
      }),
    );
  };
}
