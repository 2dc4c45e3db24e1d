import type platformClient from 'purecloud-platform-client-v2';
import { z } from 'zod';
import type { GenesysCaller } from './caller.js';
import type { SdkClients } from './sdk.js';

/** A notification channel: where its websocket is, and when Genesys retires it (24 h after creation). */
export interface NotificationChannel {
  id: string;
  connectUri: string;
  /** ISO time; absent when Genesys did not say. */
  expires?: string;
}

export interface TopicRejection {
  topic: string;
  reason: string;
}

/** `POST /api/v2/notifications/channels` and `PUT …/channels/{id}/subscriptions`, through the caller. */
export interface NotificationChannelApi {
  create(): Promise<NotificationChannel>;
  /** Replaces the channel's topics with `topics`; answers the topics Genesys refused and why. */
  subscribe(channelId: string, topics: readonly string[]): Promise<TopicRejection[]>;
}

/** `Channel`. */
const channel = z.object({ id: z.string().min(1), connectUri: z.string().min(1), expires: z.string().optional() });

/** `ChannelTopicEntityListing`: a refused topic carries a `rejectionReason` (or a `state` saying so). */
const topicListing = z.object({
  entities: z
    .array(
      z.object({
        id: z.string(),
        state: z.string().optional(),
        rejectionReason: z.string().optional(),
        missingPermissions: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const PERMISSION = 'notifications (no permission of its own; each topic needs its subject’s view permission)';

export function notificationChannelApi(caller: GenesysCaller, sdk: SdkClients): NotificationChannelApi {
  return {
    async create() {
      const created = await caller.call(
        { description: 'create a notification channel', permission: PERMISSION, subject: 'the notifications API' },
        channel,
        () => sdk.notifications.postNotificationsChannels(),
      );
      return {
        id: created.id,
        connectUri: created.connectUri,
        ...(created.expires ? { expires: created.expires } : {}),
      };
    },

    async subscribe(channelId, topics) {
      const body = topics.map((id) => ({ id }) satisfies platformClient.Models.ChannelTopic);
      const answer = await caller.call(
        {
          description: `subscribe channel ${channelId} to ${topics.length} topics`,
          permission: PERMISSION,
          subject: `channel ${channelId}`,
        },
        topicListing,
        () => sdk.notifications.putNotificationsChannelSubscriptions(channelId, body, { ignoreErrors: true }),
      );
      const entities = answer.entities ?? [];
      const rejections: TopicRejection[] = entities
        .filter((entity) => entity.rejectionReason !== undefined || /reject/i.test(entity.state ?? ''))
        .map((entity) => ({
          topic: entity.id,
          reason: [entity.rejectionReason ?? entity.state, ...(entity.missingPermissions ?? [])].join('; '),
        }));
      const answered = new Set(entities.map((entity) => entity.id));
      for (const topic of topics) {
        if (!answered.has(topic)) rejections.push({ topic, reason: 'not in the answer' });
      }
      return rejections;
    },
  };
}
