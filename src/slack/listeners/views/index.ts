import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { HANDOVER_MODAL_CALLBACK_ID } from '../../views/handover-modal.js';
import { STATUS_MODAL_CALLBACK_ID } from '../../views/status-modal.js';
import { handoverSubmitted } from './handover-submitted.js';
import { statusModalSubmitted } from './status-modal-submitted.js';

export function registerViews(app: App, deps: SlackDeps): void {
  app.view(STATUS_MODAL_CALLBACK_ID, statusModalSubmitted(deps));
  app.view(HANDOVER_MODAL_CALLBACK_ID, handoverSubmitted(deps));
}
