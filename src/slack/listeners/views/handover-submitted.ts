/** The handover modal submitted: field errors before the ack, the handover after it. */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { checkHandoverForm, runHandover } from '../../flows/handover.js';

export function handoverSubmitted(deps: SlackDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const check = checkHandoverForm(deps.policy, view);
    if (!check.ok) {
      await ack({ response_action: 'errors', errors: check.errors });
      return;
    }
    await ack();
    deps.background(() => runHandover(deps, client, { actorSlackId: body.user.id, viewId: view.id, form: check.form }));
  };
}
