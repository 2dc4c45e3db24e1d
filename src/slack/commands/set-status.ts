/** `/agent-status [@user] <status> [reason…]` and `/agent-status undo`: both end in a pipeline outcome. */
import type { TransitionRequest } from '../../domain/transition.js';
import { identifyActor, targetOf } from '../actor.js';
import { answerOutcome } from '../answers.js';
import type { SlackDeps } from '../deps.js';
import { notice } from '../replies.js';
import type { Person } from '../views/blocks.js';
import { outcomeMessage } from '../views/outcome.js';
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
    followUpUrl: ctx.responseUrl,
    source: 'command',
  };
  const outcome = await deps.pipeline.submit(request);
  await answerOutcome(deps, { request, outcome, reply: ctx.reply, client: ctx.client, subject });
}

export async function undoLast(deps: SlackDeps, ctx: CommandContext): Promise<void> {
  const actor = await identifyActor(deps, ctx.userId);
  if (!actor.ok) return ctx.reply(notice(actor.message));
  const { request, outcome } = await deps.pipeline.undo(actor.actor, `undo:${ctx.triggerId}`);
  if (!request) {
    if (outcome.kind === 'conflict') throw new Error('undo answered a conflict without making a request');
    return ctx.reply(outcomeMessage(outcome));
  }
  // The undo may have changed an agent the actor supervises: name them.
  if (request.target.genesysUserId === actor.person.genesysUserId) {
    const own = { ...request, target: { ...request.target, slackUserId: ctx.userId } };
    return answerOutcome(deps, { request: own, outcome, reply: ctx.reply, client: ctx.client });
  }
  const agent = await deps.queries.person(request.target.email);
  const subject: Person = { name: agent?.name ?? request.target.email };
  await answerOutcome(deps, { request, outcome, reply: ctx.reply, client: ctx.client, subject });
}
