/** `/agent-status [@user] <status> [reason…]` and `/agent-status undo`: both end in a pipeline outcome. */
import type { TransitionRequest } from '../../../domain/transition.js';
import { answerOutcome, identifyActor, notice, targetOf } from '../../reply.js';
import type { Person } from '../../views/blocks.js';
import { outcomeMessage } from '../../views/outcome.js';
import type { SlackDeps } from '../index.js';
import type { CommandContext } from './context.js';

export async function setStatus(
  deps: SlackDeps,
  command: { user?: string; status: string; reason?: string; overrideFloor?: true },
  ctx: CommandContext,
): Promise<void> {
  const actor = await identifyActor(deps, ctx.userId);
  if (!actor.ok) return ctx.reply(notice(actor.message));
  let target = targetOf(actor.person);
  let subject: Person | undefined;
  if (command.user && command.user !== ctx.userId) {
    const agent = await deps.identity.identify(command.user);
    if (!agent.ok) return ctx.reply(notice(agent.message));
    target = targetOf({ ...agent.person, slackUserId: command.user });
    subject = { name: agent.name, slackUserId: command.user };
  }
  const request: TransitionRequest = {
    requestId: `command:${ctx.triggerId}`,
    actor: actor.actor,
    target,
    to: command.status,
    ...(command.reason ? { reason: command.reason } : {}),
    ...(command.overrideFloor ? { overrideFloor: true } : {}),
    source: 'command',
  };
  const outcome = await deps.pipeline.submit(request);
  await answerOutcome(deps, { request, outcome, reply: ctx.reply, client: ctx.client, subject });
}

export async function undoLast(deps: SlackDeps, ctx: CommandContext): Promise<void> {
  const actor = await identifyActor(deps, ctx.userId);
  if (!actor.ok) return ctx.reply(notice(actor.message));
  const requestId = `undo:${ctx.triggerId}`;
  const outcome = await deps.pipeline.undo(actor.actor, requestId);
  // The undo's own record says whom it changed (possibly an agent the actor supervises).
  const record = await deps.store.transitions.findOutcome(requestId);
  if (!record) {
    if (outcome.kind === 'conflict') throw new Error('undo answered a conflict without recording it');
    return ctx.reply(outcomeMessage(outcome));
  }
  const self = record.agentId === actor.person.genesysUserId;
  const request: TransitionRequest = {
    requestId,
    actor: actor.actor,
    target: {
      genesysUserId: record.agentId,
      email: record.agentEmail ?? '',
      ...(self ? { slackUserId: ctx.userId } : {}),
    },
    to: record.toStatus,
    source: 'undo',
  };
  let subject: Person | undefined;
  if (!self) {
    const agent = record.agentEmail ? await deps.genesys.findUserByEmail(record.agentEmail) : undefined;
    subject = { name: agent?.name ?? record.agentEmail ?? record.agentId };
  }
  await answerOutcome(deps, { request, outcome, reply: ctx.reply, client: ctx.client, subject });
}
