/**
 * What arrives on a notification websocket, validated: presence and routing-status events of users (shapes of
 * the SDK's `PresenceEventUserPresence` and `UserRoutingStatusUserRoutingStatus`), heartbeats, and the
 * warning that Genesys is about to close the socket.
 */
import { z } from 'zod';
import { normalizeSystemPresence, ROUTING_STATUSES, type SystemPresence } from '../domain/presence.js';
import type { PresenceObservation } from '../pipeline/live-presence.js';

export const presenceTopic = (agentId: string) => `v2.users.${agentId}.presence`;
export const routingTopic = (agentId: string) => `v2.users.${agentId}.routingStatus`;

const USER_TOPIC = /^v2\.users\.([^.]+)\.(presence|routingStatus)$/;

const envelope = z.object({ topicName: z.string(), eventBody: z.unknown().optional() });

const presenceBody = z.object({
  source: z.string().optional(),
  presenceDefinition: z.object({ id: z.string().min(1), systemPresence: z.string().optional() }),
  message: z.string().optional(),
  modifiedDate: z.string().min(1),
});

const routingBody = z.object({
  routingStatus: z.object({ status: z.enum(ROUTING_STATUSES), startTime: z.string().min(1) }),
});

const metadataBody = z.object({ message: z.string().optional() });

export type ChannelMessage =
  | { kind: 'heartbeat' }
  | { kind: 'closing'; message: string }
  | { kind: 'presence'; agentId: string; body: z.infer<typeof presenceBody> }
  | { kind: 'routing'; agentId: string; body: z.infer<typeof routingBody> }
  | { kind: 'ignored'; why: string };

/** One websocket message, parsed; anything this app does not use is `ignored` with the reason. */
export function parseChannelMessage(text: string): ChannelMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'ignored', why: 'not JSON' };
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return { kind: 'ignored', why: 'no topicName' };
  const { topicName, eventBody } = parsed.data;
  if (topicName === 'v2.system.socket_closing') return { kind: 'closing', message: messageOf(eventBody) };
  if (topicName === 'channel.metadata') {
    const message = messageOf(eventBody);
    // Heartbeats say "WebSocket Heartbeat", answers to a ping "pong"; anything else is the close warning.
    return /heartbeat|pong/i.test(message) || message === '' ? { kind: 'heartbeat' } : { kind: 'closing', message };
  }
  const match = USER_TOPIC.exec(topicName);
  if (!match) return { kind: 'ignored', why: `topic ${topicName}` };
  const agentId = match[1]!;
  if (match[2] === 'presence') {
    const body = presenceBody.safeParse(eventBody);
    if (!body.success) return { kind: 'ignored', why: `malformed presence event for ${agentId}` };
    // The app reads and writes the PURECLOUD presence; other sources (integrations) are not that.
    if (body.data.source !== undefined && body.data.source.toUpperCase() !== 'PURECLOUD') {
      return { kind: 'ignored', why: `presence from source ${body.data.source}` };
    }
    return { kind: 'presence', agentId, body: body.data };
  }
  const body = routingBody.safeParse(eventBody);
  if (!body.success) return { kind: 'ignored', why: `malformed routing status event for ${agentId}` };
  return { kind: 'routing', agentId, body: body.data };
}

/** The observation a presence or routing event makes; `systemPresenceOf` looks up a definition the event left bare. */
export async function observationOf(
  message: Extract<ChannelMessage, { kind: 'presence' | 'routing' }>,
  observedAt: string,
  systemPresenceOf: (presenceId: string) => Promise<SystemPresence | undefined>,
): Promise<PresenceObservation | undefined> {
  if (message.kind === 'routing') {
    const { status, startTime } = message.body.routingStatus;
    return { agentId: message.agentId, routing: { status, changedAt: startTime }, source: 'event', observedAt };
  }
  const { presenceDefinition, modifiedDate } = message.body;
  const named = presenceDefinition.systemPresence;
  const systemPresence =
    (named === undefined ? undefined : normalizeSystemPresence(named)) ??
    (await systemPresenceOf(presenceDefinition.id));
  if (systemPresence === undefined) return undefined;
  return {
    agentId: message.agentId,
    presence: {
      presenceId: presenceDefinition.id,
      systemPresence,
      modifiedDate,
      ...(message.body.message === undefined ? {} : { message: message.body.message }),
    },
    source: 'event',
    observedAt,
  };
}

function messageOf(body: unknown): string {
  const parsed = metadataBody.safeParse(body);
  return parsed.success ? (parsed.data.message ?? '') : '';
}
