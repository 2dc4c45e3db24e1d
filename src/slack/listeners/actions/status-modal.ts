/**
 * The status modal's status select dispatches on change; the modal is redrawn with the reason input the picked
 * status takes (free text, a fixed list, or none).
 */
import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs, StaticSelectAction } from '@slack/bolt';
import { STATUS_MODAL_CALLBACK_ID, STATUS_MODAL_IDS } from '../../views/status-modal.js';
import type { SlackDeps } from '../index.js';
import { showSelectedStatus } from '../views/status-modal.js';

type SelectArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;

export function registerStatusModalActions(app: App, deps: SlackDeps): void {
  app.action<BlockAction<StaticSelectAction>>(
    { type: 'block_actions', callback_id: STATUS_MODAL_CALLBACK_ID, action_id: STATUS_MODAL_IDS.status.action },
    async ({ ack, body, action, client }: SelectArgs) => {
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
    },
  );
}
