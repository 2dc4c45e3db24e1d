/**
 * The parts of the embedded demo that are not Genesys or Slack stand-ins: a local payroll receiver that
 * verifies signatures, keeps a log and acknowledges through the app's ack route, a `demo.json` for the local
 * Slack console, and the start-up banner.
 */
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/env.js';
import { DEMO_SLACK_SIGNING_SECRET } from '../config/env.js';
import type { SimulatorHandle } from '../genesys/simulator/index.js';
import { type PayrollReceiver, startPayrollReceiver } from '../payroll/receiver.js';
import type { Policy } from '../policy/schema.js';
import type { SlackStandIn } from '../slack/stand-in/web-api.js';
import { demoBanner } from './banner.js';
import { type DemoInfo, demoPorts, removeDemoInfo, writeDemoInfo } from './info.js';

export const PAYROLL_RECEIVER_LOG = 'payroll-receiver.log';

export interface DemoExtrasOptions {
  config: Config;
  logger: Logger;
  /** The sidecar, already listening: the receiver acknowledges through its `/webhooks/payroll/ack`. */
  sidecarPort: number;
}

export interface DemoAnnouncement {
  slackPort: number;
  sidecarPort: number;
  policy: Policy;
  simulator?: SimulatorHandle;
  slackStandIn?: SlackStandIn;
}

export interface DemoExtras {
  /**
   * Where the outbox worker delivers: `PAYROLL_WEBHOOK_URL` when set (then no receiver runs), else the local
   * receiver.
   */
  payrollUrl: string | undefined;
  /** The local receiver; absent when `PAYROLL_WEBHOOK_URL` is set. */
  receiver?: PayrollReceiver;
  /** One JSON line per delivery the receiver accepted. */
  payrollLogFile: string;
  /** Once everything listens: writes `demo.json` for the console and logs the banner. */
  announce(parts: DemoAnnouncement): { info: DemoInfo; banner: string };
  stop(): Promise<void>;
}

export async function startDemoExtras(options: DemoExtrasOptions): Promise<DemoExtras> {
  const { config, logger } = options;
  const payrollLogFile = join(config.dataDir, PAYROLL_RECEIVER_LOG);
  let receiver: PayrollReceiver | undefined;
  let receiverLog: ReturnType<typeof pino.destination> | undefined;
  if (!config.payroll.url) {
    // Synchronous writes: the log is complete the moment the receiver has answered, for people and tests alike.
    receiverLog = pino.destination({ dest: payrollLogFile, sync: true, mkdir: true });
    // The receiver signs its acks with the secret the worker signs deliveries with (the demo one unless set).
    const port = demoPorts(config.port).payrollReceiver;
    try {
      receiver = await startPayrollReceiver({
        port,
        secret: config.payroll.secret,
        ackUrl: `http://127.0.0.1:${options.sidecarPort}/webhooks/payroll/ack`,
        behaviour: { ack: 'processed' },
        logger: pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, receiverLog),
      });
    } catch (error) {
      receiverLog.end();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`the demo's payroll receiver cannot listen on port ${port} (PORT + 3): ${reason}`);
    }
    logger.info(
      { url: receiver.url, control: receiver.controlUrl, log: payrollLogFile },
      'embedded demo: local payroll receiver started',
    );
  }
  let announced = false;
  return {
    payrollUrl: config.payroll.url ?? receiver?.url,
    receiver,
    payrollLogFile,
    announce(parts) {
      const info: DemoInfo = {
        slackUrl: `http://127.0.0.1:${parts.slackPort}/slack/events`,
        slackStandInUrl: parts.slackStandIn ? new URL(parts.slackStandIn.apiUrl).origin : undefined,
        simulatorUrl: parts.simulator?.url,
        payrollReceiverUrl: receiver?.url,
        payrollReceiverControlUrl: receiver?.controlUrl,
        payrollLogFile: receiver ? payrollLogFile : undefined,
        sidecarUrl: `http://127.0.0.1:${parts.sidecarPort}`,
        pid: process.pid,
        startedAt: new Date().toISOString(),
      };
      writeDemoInfo(config.dataDir, info);
      announced = true;
      const banner = demoBanner({
        info,
        policy: parts.policy,
        people: parts.simulator?.users() ?? [],
        demoSigningSecret:
          config.slack.signingSecret === DEMO_SLACK_SIGNING_SECRET ? DEMO_SLACK_SIGNING_SECRET : undefined,
      });
      logger.info({ demo: info }, 'embedded demo ready');
      logger.info(banner);
      return { info, banner };
    },
    async stop() {
      if (announced) removeDemoInfo(config.dataDir);
      await receiver?.close();
      receiverLog?.end();
    },
  };
}
