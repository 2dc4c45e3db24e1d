import type { RoutingStatus } from './presence.js';

/** The `data` of an `agent.status.changed` webhook (DESIGN §4). */
export interface PayrollEventData {
  eventId: string;
  /** Genesys user id. */
  agentId: string;
  email: string;
  from: { presence: string; routingStatus: RoutingStatus };
  to: { presence: string; routingStatus: RoutingStatus };
  reason: string | null;
  changedAt: string;
  /** Slack user id of the person who made the change; null for a change made in Genesys (it does not say who). */
  changedBy: string | null;
  /** `slack`: made through this app; `genesys`: made outside it and seen in a notification. */
  source: 'slack' | 'genesys';
  /** The Slack request's id; for a change seen in Genesys, the key it was derived from (agent and `modifiedDate`). */
  requestId: string;
}

export interface PayrollEvent {
  type: 'agent.status.changed';
  data: PayrollEventData;
}
