import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { CONFLICT_ACTIONS } from '../../views/conflict.js';
import { HOME_ACTIONS, HOME_SET_STATUS_ACTION } from '../../views/home.js';
import { PAYROLL_ADMIN_ACTIONS } from '../../views/payroll-admin.js';
import { STATUS_MODAL_CALLBACK_ID, STATUS_MODAL_IDS } from '../../views/status-modal.js';
import { conflictChosen } from './conflict-chosen.js';
import { homeHandoverPressed } from './home-handover-pressed.js';
import { homeOpenModalPressed } from './home-open-modal-pressed.js';
import { homeQuickStatusPressed } from './home-quick-status-pressed.js';
import { homeRefreshPressed } from './home-refresh-pressed.js';
import { payrollAdminPressed } from './payroll-admin-pressed.js';
import { statusSelected } from './status-selected.js';

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(CONFLICT_ACTIONS.applyAnyway, conflictChosen(deps, 'applyAnyway'));
  app.action<BlockAction<ButtonAction>>(CONFLICT_ACTIONS.keepCurrent, conflictChosen(deps, 'keepCurrent'));
  app.action<BlockAction<ButtonAction>>(CONFLICT_ACTIONS.refresh, conflictChosen(deps, 'refresh'));
  app.action<BlockAction<ButtonAction>>(HOME_SET_STATUS_ACTION, homeQuickStatusPressed(deps));
  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.refresh, homeRefreshPressed(deps));
  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.openModal, homeOpenModalPressed(deps));
  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.handover, homeHandoverPressed(deps));
  app.action<BlockAction<ButtonAction>>(PAYROLL_ADMIN_ACTIONS.replay, payrollAdminPressed(deps));
  app.action<BlockAction<ButtonAction>>(PAYROLL_ADMIN_ACTIONS.replayAllDead, payrollAdminPressed(deps));
  app.action<BlockAction<ButtonAction>>(PAYROLL_ADMIN_ACTIONS.refresh, payrollAdminPressed(deps));
  app.action<BlockAction<StaticSelectAction>>(
    { type: 'block_actions', callback_id: STATUS_MODAL_CALLBACK_ID, action_id: STATUS_MODAL_IDS.status.action },
    statusSelected(deps),
  );
}
