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
  /** Slack user id of the person who made the change. */
  changedBy: string;
  source: 'slack';
  requestId: string;
}

export interface PayrollEvent {
  type: 'agent.status.changed';
  data: PayrollEventData;
}
