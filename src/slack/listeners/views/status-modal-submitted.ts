/** The status modal submitted: field errors before the ack, the change after it. */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { applyStatusModal, checkStatusModal } from '../../flows/status-modal.js';

export function statusModalSubmitted(deps: SlackDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const check = await checkStatusModal(deps, body.user.id, view);
    if (!check.ok) {
      await ack({ response_action: 'errors', errors: check.errors });
      return;
    }
    await ack();
    deps.background(() => applyStatusModal(deps, client, body.user.id, view.id, check.form));
  };
}
