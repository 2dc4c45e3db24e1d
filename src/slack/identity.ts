/**
 * Slack user → e-mail (`users.info`, cached) → Genesys user (search by e-mail, cached by the Genesys
 * adapter). Also the `PeopleDirectory` the pipeline uses to find team members listed by Slack id.
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { CacheStore, GenesysPort, PeopleDirectory, ResolvedPerson } from '../pipeline/ports.js';

const EMAIL_TTL_MS = 60 * 60 * 1000;

const usersInfoAnswer = z.object({
  user: z.object({
    id: z.string(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    real_name: z.string().optional(),
    profile: z.object({ email: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});

export type Identity = { ok: true; person: ResolvedPerson; name: string } | { ok: false; message: string };

export interface SlackIdentity extends PeopleDirectory {
  /** Who a Slack user is in Genesys, or a message saying exactly what to fix. */
  identify(slackUserId: string): Promise<Identity>;
}

/** Of Genesys it uses the e-mail search only: every other read goes through the pipeline's queries. */
export function slackIdentity(
  client: webApi.WebClient,
  genesys: Pick<GenesysPort, 'findUserByEmail'>,
  cache: Pick<CacheStore, 'get' | 'set'>,
): SlackIdentity {
  async function slackProfile(slackUserId: string): Promise<{ email?: string; name: string } | undefined> {
    const key = `slack-user:${slackUserId}`;
    const cached = await cache.get<{ email?: string; name: string }>(key);
    if (cached) return cached;
    let answer: z.infer<typeof usersInfoAnswer>;
    try {
      answer = usersInfoAnswer.parse(await client.users.info({ user: slackUserId }));
    } catch (error) {
      if (isSlackError(error, 'user_not_found')) return undefined;
      throw error;
    }
    const profile = {
      email: answer.user.profile?.email,
      name: answer.user.real_name ?? answer.user.profile?.real_name ?? slackUserId,
    };
    await cache.set(key, profile, EMAIL_TTL_MS);
    return profile;
  }

  async function identify(slackUserId: string): Promise<Identity> {
    const profile = await slackProfile(slackUserId);
    if (!profile) return { ok: false, message: `Slack does not know the user <@${slackUserId}>.` };
    if (!profile.email) {
      return {
        ok: false,
        message: `Slack shows no e-mail for <@${slackUserId}>, so they cannot be matched to a Genesys user. Add an e-mail to the Slack profile, or make sure the app has the users:read.email scope.`,
      };
    }
    const user = await genesys.findUserByEmail(profile.email);
    if (!user) {
      return {
        ok: false,
        message: `No Genesys Cloud user has the e-mail ${profile.email} (the one on <@${slackUserId}>'s Slack profile). Use the same e-mail in both, or ask an admin to fix it in Genesys.`,
      };
    }
    return {
      ok: true,
      person: { email: profile.email, genesysUserId: user.id, slackUserId, name: profile.name },
      name: profile.name,
    };
  }

  return {
    identify,
    async resolve(entry) {
      if (entry.includes('@')) {
        const user = await genesys.findUserByEmail(entry);
        return user ? { email: user.email, genesysUserId: user.id, name: user.name } : undefined;
      }
      const identity = await identify(entry);
      return identity.ok ? identity.person : undefined;
    },
  };
}

function isSlackError(error: unknown, code: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'data' in error &&
    typeof error.data === 'object' &&
    error.data !== null &&
    'error' in error.data &&
    error.data.error === code
  );
}
