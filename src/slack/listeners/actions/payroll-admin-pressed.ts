/** The buttons of the payroll admin view (replay one, replay all dead, refresh). */

import type { ButtonArgs } from '../../bolt-args.js';
import type { SlackDeps } from '../../deps.js';
import { pressPayrollAdmin } from '../../flows/payroll-admin.js';

export function payrollAdminPressed(deps: SlackDeps) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    deps.background(() =>
      pressPayrollAdmin(deps, {
        userId: body.user.id,
        actionId: action.action_id,
        ...(action.value !== undefined ? { value: action.value } : {}),
        respond,
      }),
    );
  };
}
