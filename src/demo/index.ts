/**
 * The embedded demo: local stand-ins for whatever the configuration leaves unset (a Genesys simulator, a Slack
 * Web API stand-in, a payroll receiver) and the demo's public secrets. The app's wiring calls `startDemo` once
 * and runs on the settings it returns; nothing else in production imports this folder.
 */
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/env.js';
import { explainPortError } from '../http/listen.js';
import type { Policy } from '../policy/schema.js';
import { demoBanner } from './banner.js';
import { DEMO_PAYROLL_SECRET, DEMO_SLACK_BOT_TOKEN, DEMO_SLACK_SIGNING_SECRET } from './credentials.js';
import { type SimulatorHandle, startSimulator } from './genesys-simulator/index.js';
import { type DemoInfo, demoPorts, removeDemoInfo, writeDemoInfo } from './info.js';
import { type PayrollReceiver, startPayrollReceiver } from './payroll-receiver.js';
import { type SlackStandIn, startSlackStandIn } from './slack-web-api.js';
import { demoSlackUsers } from './users.js';

export { type DemoBannerInput, demoBanner } from './banner.js';
export { DEMO_PAYROLL_SECRET, DEMO_SLACK_SIGNING_SECRET } from './credentials.js';
export { DEMO_INFO_FILE, type DemoInfo, demoInfoPath, demoPorts, readDemoInfo } from './info.js';
export { demoSlackId, demoSlackUsers } from './users.js';

export const PAYROLL_RECEIVER_LOG = 'payroll-receiver.log';

/** What the app runs on: the configuration's own settings, with the demo's wherever it left one unset. */
export interface DemoSettings {
  genesys: NonNullable<Config['genesys']>;
  slack: Config['slack'] & { botToken: string; signingSecret: string };
  payroll: Config['payroll'] & { secret: string };
}

export interface DemoOptions {
  logger: Logger;
  /**
   * With no Genesys credentials, also run the local payroll receiver (unless `PAYROLL_WEBHOOK_URL` is set), and
   * once announced write demo.json for the Slack console and log the banner. `npm start` wants them; in-process
   * tests leave them off so payroll events stay in the outbox for them to inspect.
   */
  extras?: boolean;
}

export interface DemoAnnouncement {
  slackPort: number;
  sidecarPort: number;
  policy: Policy;
}

export interface RunningDemo {
  settings: DemoSettings;
  /** Each part is set only when the demo runs it. */
  simulator?: SimulatorHandle;
  slackStandIn?: SlackStandIn;
  payrollReceiver?: PayrollReceiver;
  /** One JSON line per delivery the receiver accepted. */
  payrollLogFile: string;
  /**
   * Once the app listens: the receiver acknowledges through the sidecar's ack route from now on, and with
   * `extras` demo.json is written for the console and the banner logged (both returned).
   */
  announce(parts: DemoAnnouncement): { info: DemoInfo; banner: string } | undefined;
  /** Stops every part it started. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts what `config` leaves to the demo (with a full production configuration: nothing). */
export async function startDemo(config: Config, options: DemoOptions): Promise<RunningDemo> {
  const { logger } = options;
  const extras = Boolean(options.extras) && config.demo;
  const ports = demoPorts(config.port);
  const payrollLogFile = join(config.dataDir, PAYROLL_RECEIVER_LOG);
  const payrollSecret = config.payroll.secret ?? DEMO_PAYROLL_SECRET;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((err) => logger.error({ err }, 'embedded demo: error while stopping'));
    }
  };
  try {
    let simulator: SimulatorHandle | undefined;
    let genesys = config.genesys;
    if (!genesys) {
      const started = await startSimulator({ port: ports.simulator }).catch((error: unknown) => {
        throw explainPortError(error, ports.simulator, {
          component: 'Genesys simulator (demo, PORT + 2)',
          variable: 'PORT',
        });
      });
      stops.push(() => started.close());
      logger.info({ url: started.url }, 'embedded demo: local Genesys simulator started');
      // The simulator's own OAuth client (public on purpose; see README).
      const client = started.fixture.oauthClients[0]!;
      genesys = {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        apiUrl: started.url,
        requestsPerMinute: 300,
      };
      simulator = started;
    }
    const slackStandIn =
      config.slack.botToken || config.slack.apiUrl
        ? undefined
        : await startSlackStandIn({ users: demoSlackUsers(simulator?.users() ?? []), port: ports.slackStandIn });
    if (slackStandIn) stops.push(() => slackStandIn.close());
    const payrollReceiver =
      extras && !config.payroll.url
        ? await startReceiver({ port: ports.payrollReceiver, secret: payrollSecret, logFile: payrollLogFile, stops })
        : undefined;
    if (payrollReceiver) {
      logger.info(
        { url: payrollReceiver.url, control: payrollReceiver.controlUrl, log: payrollLogFile },
        'embedded demo: local payroll receiver started',
      );
    }

    const settings: DemoSettings = {
      genesys,
      slack: {
        ...config.slack,
        botToken: config.slack.botToken ?? DEMO_SLACK_BOT_TOKEN,
        signingSecret: config.slack.signingSecret ?? DEMO_SLACK_SIGNING_SECRET,
        apiUrl: config.slack.apiUrl ?? slackStandIn?.apiUrl,
      },
      payroll: { ...config.payroll, url: config.payroll.url ?? payrollReceiver?.url, secret: payrollSecret },
    };
    let announced = false;
    return {
      settings,
      simulator,
      slackStandIn,
      payrollReceiver,
      payrollLogFile,
      announce(parts) {
        payrollReceiver?.ackTo(`http://127.0.0.1:${parts.sidecarPort}/webhooks/payroll/ack`);
        if (!extras) return undefined;
        const info: DemoInfo = {
          slackUrl: `http://127.0.0.1:${parts.slackPort}/slack/events`,
          slackStandInUrl: slackStandIn ? new URL(slackStandIn.apiUrl).origin : undefined,
          simulatorUrl: simulator?.url,
          payrollReceiverUrl: payrollReceiver?.url,
          payrollReceiverControlUrl: payrollReceiver?.controlUrl,
          payrollLogFile: payrollReceiver ? payrollLogFile : undefined,
          sidecarUrl: `http://127.0.0.1:${parts.sidecarPort}`,
          pid: process.pid,
          startedAt: new Date().toISOString(),
        };
        writeDemoInfo(config.dataDir, info);
        if (!announced) stops.push(async () => removeDemoInfo(config.dataDir));
        announced = true;
        const banner = demoBanner({
          info,
          policy: parts.policy,
          people: simulator?.users() ?? [],
          demoSigningSecret: config.slack.signingSecret ? undefined : DEMO_SLACK_SIGNING_SECRET,
        });
        logger.info(banner);
        // Last: whoever waits for this line (people, the walkthrough test) has the banner too.
        logger.info({ demo: info }, 'embedded demo ready');
        return { info, banner };
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * A payroll receiver that verifies signatures, keeps a log and acknowledges what it received; registers its
 * stop (receiver, then log) in `stops`.
 */
async function startReceiver(options: {
  port: number;
  secret: string;
  logFile: string;
  stops: (() => Promise<void>)[];
}): Promise<PayrollReceiver> {
  // Synchronous writes: the log is complete the moment the receiver has answered, for people and tests alike.
  const log = pino.destination({ dest: options.logFile, sync: true, mkdir: true });
  try {
    const receiver = await startPayrollReceiver({
      port: options.port,
      // It signs its acknowledgements with the secret the app signs deliveries with.
      secret: options.secret,
      behaviour: { ack: 'processed' },
      logger: pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, log),
    });
    options.stops.push(() => receiver.close().finally(() => log.end()));
    return receiver;
  } catch (error) {
    log.end();
    throw explainPortError(error, options.port, { component: 'payroll receiver (demo, PORT + 3)', variable: 'PORT' });
  }
}
