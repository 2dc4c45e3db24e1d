import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LivePresenceMetrics } from '../pipeline/live-feed.js';
import type { PipelineMetrics } from '../pipeline/ports.js';

/** One registry per app instance, so two apps in one test process never share counters. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The pipeline's metrics in `registry`. The first two keep the names of the tutorial the product grew from,
 * so existing dashboards keep working; the rest use the `agent_status_` prefix.
 */
export function createPipelineMetrics(registry: Registry): PipelineMetrics {
  const stateUpdateLatency = new Histogram({
    name: 'genesys_state_update_latency_seconds',
    help: 'Time from a status change request to a verified Genesys write, by target status and result',
    labelNames: ['status', 'result'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  const validationErrors = new Counter({
    name: 'genesys_validation_errors_total',
    help: 'Status changes refused by validation, by reason',
    labelNames: ['error_type'],
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'agent_status_transitions_total',
    help: 'Transition requests by outcome (applied, noop, refused, conflict, failed, unknown)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const conflicts = new Counter({
    name: 'agent_status_conflicts_total',
    help: 'Changes that raced another change and were shown to the user as a conflict',
    registers: [registry],
  });
  return {
    observeDecision(status, outcome, seconds) {
      transitions.inc({ outcome });
      stateUpdateLatency.observe({ status, result: outcome }, seconds);
    },
    countRefusal: (code) => validationErrors.inc({ error_type: code }),
    countConflict: () => conflicts.inc(),
  };
}

/** Live presence: the notification channel, the events it brings and how late, and resyncs. */
export function createLivePresenceMetrics(registry: Registry): LivePresenceMetrics {
  const channelLive = new Gauge({
    name: 'agent_status_presence_channel_live',
    help: '1 while every Genesys notification channel the app wants is connected, subscribed and resynchronised',
    registers: [registry],
  });
  const events = new Counter({
    name: 'agent_status_presence_events_total',
    help: 'Presence and routing-status notifications received from Genesys, by part',
    labelNames: ['part'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'agent_status_presence_mirror_lag_seconds',
    help: 'Seconds from a change in Genesys (its own timestamp) to the mirror holding it, per notification',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const resyncs = new Counter({
    name: 'agent_status_presence_resyncs_total',
    help: 'Bulk re-reads of the watched agents after a notification channel (re)connected',
    registers: [registry],
  });
  channelLive.set(0);
  return {
    countEvent: (part) => events.inc({ part }),
    observeLag: (seconds) => lag.observe(seconds),
    setChannelLive: (live) => channelLive.set(live ? 1 : 0),
    countResync: () => resyncs.inc(),
  };
}

/**
 * Counts the fields a Genesys expand left out (`presence` or `routingStatus`), each of which then cost a
 * call of its own: a rising count means reads cost more calls than planned.
 */
export function createExpandFallbackCounter(registry: Registry): (field: 'presence' | 'routingStatus') => void {
  const fallbacks = new Counter({
    name: 'agent_status_genesys_expand_fallbacks_total',
    help: 'Fields a Genesys expand left out and that were read from their own endpoint, by field',
    labelNames: ['field'],
    registers: [registry],
  });
  return (field) => fallbacks.inc({ field });
}
