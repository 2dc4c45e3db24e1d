/**
 * The three conflict buttons. A button carries only a token id; everything else comes from the server-side context
 * stored with it (see flows/conflict.ts).
 */

import type { ButtonArgs } from '../../bolt-args.js';
import type { SlackDeps } from '../../deps.js';
import { type ConflictDecision, decideConflict } from '../../flows/conflict.js';

export function conflictChosen(deps: SlackDeps, decision: ConflictDecision) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    deps.background(() =>
      decideConflict(deps, decision, {
        userId: body.user.id,
        tokenId: action.value ?? '',
        respond,
        responseUrl: body.response_url,
        client,
      }),
    );
  };
}
