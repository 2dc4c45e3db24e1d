import type { App } from '@slack/bolt';
import { HANDOVER_MODAL_CALLBACK_ID } from '../../views/handover-modal.js';
import { STATUS_MODAL_CALLBACK_ID } from '../../views/status-modal.js';
import type { SlackDeps } from '../index.js';
import { handoverSubmission } from './handover.js';
import { statusModalSubmission } from './status-modal.js';

export function registerViews(app: App, deps: SlackDeps): void {
  app.view(STATUS_MODAL_CALLBACK_ID, statusModalSubmission(deps));
  app.view(HANDOVER_MODAL_CALLBACK_ID, handoverSubmission(deps));
}
