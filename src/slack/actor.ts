/** The Slack user behind a request, as the pipeline's actor and target, or what they must fix to be matched. */
import type { Actor, TargetAgent } from '../domain/transition.js';
import type { ResolvedPerson } from '../pipeline/ports.js';
import type { SlackDeps } from './deps.js';

export type ActorIdentity =
  | { ok: true; actor: Actor; person: ResolvedPerson & { slackUserId: string }; name: string }
  | { ok: false; message: string };

/** The Slack user as a pipeline actor, or the message saying what to fix (no e-mail, no Genesys user…). */
export async function identifyActor(deps: Pick<SlackDeps, 'identity'>, slackUserId: string): Promise<ActorIdentity> {
  const identity = await deps.identity.identify(slackUserId);
  if (!identity.ok) return identity;
  const person = { ...identity.person, slackUserId };
  return {
    ok: true,
    actor: { slackUserId, email: person.email, genesysUserId: person.genesysUserId },
    person,
    name: identity.name,
  };
}

export function targetOf(person: ResolvedPerson): TargetAgent {
  return {
    genesysUserId: person.genesysUserId,
    email: person.email,
    ...(person.slackUserId ? { slackUserId: person.slackUserId } : {}),
  };
}
