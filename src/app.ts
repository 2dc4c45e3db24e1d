/**
 * Wiring: builds every part from the configuration and owns their start and stop order. The only module
 * (with main.ts) that knows all adapters.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config/env.js';
import { type RunningDemo, startDemo } from './demo/index.js';
import { createGenesysClient, directPresenceReader } from './genesys/index.js';
import { PresenceNotifications } from './genesys/notifications.js';
import { listenOn } from './http/listen.js';
import { createSidecar, listen } from './http/sidecar.js';
import { InFlight } from './in-flight.js';
import { createAuditLog } from './obs/audit.js';
import {
  createExpandFallbackCounter,
  createLivePresenceMetrics,
  createPipelineMetrics,
  createRegistry,
} from './obs/metrics.js';
import { payrollAckRouter } from './payroll/ack-route.js';
import { OutboxWorker } from './payroll/worker.js';
import { createLivePresence, type LivePresence } from './pipeline/live-feed.js';
import type { MirrorChangeListener } from './pipeline/live-presence.js';
import { createOutsideChangeListener } from './pipeline/outside-changes.js';
import { createPipelineQueries, type PipelineQueries } from './pipeline/queries.js';
import { RecoveryLoop } from './pipeline/recovery-loop.js';
import { createTransitionPipeline, type TransitionPipeline } from './pipeline/transition-pipeline.js';
import { bindCatalog } from './policy/binding.js';
import type { Policy } from './policy/schema.js';
import { createSlackApp } from './slack/app.js';
import type { SlackDeps } from './slack/deps.js';
import { slackIdentity } from './slack/identity.js';
import { LiveSurfaces } from './slack/live-surfaces.js';
import { openHomes } from './slack/open-homes.js';
import { answerSettled } from './slack/settled-answer.js';
import { storeUiState } from './slack/ui-state.js';
import { openSqliteStore } from './store/sqlite.js';

export interface RunningApplication {
  slackPort: number;
  sidecarPort: number;
  /** What the embedded demo stands in for (nothing with a full configuration). */
  demo: RunningDemo;
  /** Stops accepting, finishes in-flight work, flushes logs. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ApplicationOptions {
  config: Config;
  policy: Policy;
  logger: Logger;
  /** Host to bind both servers to; tests use 127.0.0.1. */
  host?: string;
  /** The embedded demo's payroll receiver, demo.json and banner (see `DemoOptions.extras`). */
  demoExtras?: boolean;
}

/** Pause between passes of the recovery loop. */
const RECOVERY_EVERY_MS = 5_000;

/**
 * The presence mirror fed by Genesys notifications, and the reader over it. Everyone the mirror has heard of
 * (anyone the app read before a restart) is watched from the start; anyone it reads from then on is added.
 */
function startLivePresence({
  genesys,
  store,
  registry,
  logger,
  onChange,
}: {
  genesys: ReturnType<typeof createGenesysClient>;
  store: ReturnType<typeof openSqliteStore>;
  registry: ReturnType<typeof createRegistry>;
  logger: Logger;
  onChange: MirrorChangeListener;
}): { feed: LivePresence; notifications: PresenceNotifications } {
  const metrics = createLivePresenceMetrics(registry);
  const notifications: PresenceNotifications = new PresenceNotifications({
    api: genesys.channels,
    observe: (observation) => feed.observe(observation),
    resync: (agentIds) => feed.resync(agentIds),
    systemPresenceOf: async (presenceId) =>
      (await genesys.listPresenceDefinitions()).find((d) => d.id === presenceId)?.systemPresence,
    metrics,
    logger,
  });
  const feed = createLivePresence({
    mirror: store.mirror,
    direct: directPresenceReader(genesys),
    channel: notifications,
    onChange,
    metrics,
    log: logger,
  });
  store.mirror
    .known()
    .then((agentIds) => notifications.watch(agentIds))
    .catch((err: unknown) => logger.warn({ err }, 'could not list the mirrored agents to watch'));
  return { feed, notifications };
}

export async function startApplication(options: ApplicationOptions): Promise<RunningApplication> {
  const { config, policy, logger, host } = options;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error({ err }, 'error while stopping'));
  };
  try {
    const registry = createRegistry();
    const metrics = createPipelineMetrics(registry);
    const audit = createAuditLog(config.auditLogFile);
    stops.push(() => audit.flush());

    // Decisions are kept 30 days: far past the 24 h idempotency needs, so `history` reaches back that far.
    const store = openSqliteStore(config.storePath, { recordTtlMs: 30 * 24 * 60 * 60 * 1000 });
    stops.push(() => store.close());

    // Local stand-ins and public secrets for whatever the configuration leaves unset.
    const demo = await startDemo(config, { logger, extras: options.demoExtras });
    stops.push(() => demo.stop());
    const settings = demo.settings;
    const genesys = createGenesysClient({
      ...settings.genesys,
      cache: store.cache,
      logger,
      onExpandMissing: createExpandFallbackCounter(registry),
    });
    // Changes notifications bring wait for the Slack app, whose surfaces show them (built a moment later).
    let outsideChanges: (listener: MirrorChangeListener) => void = () => {};
    const outsideChangeListener = new Promise<MirrorChangeListener>((resolve) => {
      outsideChanges = resolve;
    });
    const live = startLivePresence({
      genesys,
      store,
      registry,
      logger,
      onChange: async (change) => (await outsideChangeListener)(change),
    });
    stops.push(() => live.notifications.stop());
    const presence = live.feed.reader;

    // Catalog statuses the org cannot show are worth knowing at start, not at the first refusal.
    try {
      for (const warning of bindCatalog(policy, await genesys.listPresenceDefinitions()).warnings) logger.warn(warning);
    } catch (err) {
      logger.warn({ err }, 'could not read the Genesys presence catalog at start-up; will retry on first use');
    }

    const sidecar = createSidecar({
      registry,
      logger,
      checks: [
        { name: 'genesys', check: () => genesys.checkReady() },
        { name: 'store', check: () => store.ping() },
      ],
      // Without a live channel the app reads Genesys directly: slower and costlier, but ready.
      reports: { presenceChannel: () => live.notifications.status() },
      routers: [
        payrollAckRouter({ outbox: store.outbox, secret: settings.payroll.secret, cache: store.cache, logger }),
      ],
    });

    const sidecarServer: Server = await listen(sidecar, config.sidecarPort, host);
    stops.push(() => new Promise<void>((resolve) => sidecarServer.close(() => resolve())));
    const sidecarPort = (sidecarServer.address() as AddressInfo).port;

    const worker = new OutboxWorker({
      outbox: store.outbox,
      url: settings.payroll.url,
      secret: settings.payroll.secret,
      schedule: config.payroll.retrySchedule,
      unackedWindowMs: config.payroll.ackWindowMs,
      logger,
      registry,
    });
    const slackAppOptions = {
      ...settings.slack,
      logger,
      listen: (server: Server, port: number) =>
        listenOn(server, port, host, { component: 'Slack endpoint', variable: 'PORT' }),
    };
    const inFlight = new InFlight(logger);
    let pipeline: TransitionPipeline | undefined;
    let queries: PipelineQueries | undefined;
    let surfaces: LiveSurfaces | undefined;
    const slack = createSlackApp(slackAppOptions, (client) => {
      const identity = slackIdentity(client, genesys, store.cache);
      pipeline = createTransitionPipeline({
        policy,
        genesys,
        presence,
        store,
        directory: identity,
        audit,
        metrics,
        logger,
        lockTtlMs: config.lockTtlMs,
        onApplied: () => worker.kick(),
        onSettled: answerSettled(logger),
      });
      queries = createPipelineQueries({ policy, genesys, presence, store, directory: identity });
      const deps: SlackDeps = {
        policy,
        logger,
        identity,
        pipeline,
        queries,
        payroll: store.outbox,
        uiState: storeUiState(store),
        openHomes: openHomes(),
        background: (task) => inFlight.run(task),
      };
      surfaces = new LiveSurfaces({ deps, client });
      outsideChanges(
        createOutsideChangeListener({
          policy,
          genesys,
          store,
          mirror: store.mirror,
          directory: identity,
          surfaces,
          audit,
          logger,
          onQueued: () => worker.kick(),
        }),
      );
      return deps;
    });
    stops.push(async () => surfaces?.stop());

    stops.push(() => worker.stop());
    // Everyone the policy names is looked up once, together, at start (one Genesys search per 50 addresses), so
    // that no command pays for finding its actor or its team.
    inFlight.run(async () => {
      const people = await queries!.policyPeople().catch((err: unknown) => {
        logger.warn({ err }, 'could not look up the people the policy names yet; each is looked up on first use');
      });
      if (!people) return;
      logger.info({ people: people.length }, 'looked up the people the policy names');
      // Team members, supervisors and admins are the agents whose changes matter: watched from the start.
      live.notifications.watch(people.map((person) => person.genesysUserId));
    });
    // Changes a crash or an unanswered write left unsettled get their record and payroll event, or are
    // forgotten, as soon as their locks are free; stopped before the worker and the store.
    const recovery = new RecoveryLoop({ recover: () => pipeline!.recover(), everyMs: RECOVERY_EVERY_MS, logger });
    // Work after a Slack ack finishes before the worker and the store it writes to stop.
    stops.push(() => inFlight.drain());
    const slackServer = (await slack.start(config.port)) as Server | undefined;
    // Registered last so it runs first: stop taking Slack requests before anything they need goes away.
    stops.push(() => slack.stop().then(() => undefined));
    const slackPort = slackServer ? (slackServer.address() as AddressInfo).port : config.port;
    // Before the worker delivers anything: the demo's payroll receiver acknowledges through the sidecar.
    demo.announce({ slackPort, sidecarPort, policy });
    worker.start();

    recovery.start();
    stops.push(() => recovery.stop());

    logger.info({ slackPort, sidecarPort, demo: config.demo }, 'agent-status started');
    let stopping: Promise<void> | undefined;
    return {
      slackPort,
      sidecarPort,
      demo,
      stop() {
        stopping ??= stopAll().then(() => new Promise<void>((resolve) => logger.flush(() => resolve())));
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
