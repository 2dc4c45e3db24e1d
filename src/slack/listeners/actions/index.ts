import type { App } from '@slack/bolt';
import type { SlackDeps } from '../index.js';
import { registerConflictActions } from './conflict.js';
import { registerHomeActions } from './home.js';
import { registerPayrollActions } from './payroll.js';
import { registerStatusModalActions } from './status-modal.js';

export function registerActions(app: App, deps: SlackDeps): void {
  registerConflictActions(app, deps);
  registerHomeActions(app, deps);
  registerPayrollActions(app, deps);
  registerStatusModalActions(app, deps);
}
