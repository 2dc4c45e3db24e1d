import { App, type webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { boltLogger } from './bolt-logger.js';
import type { SlackDeps } from './deps.js';
import { GuardedReceiver, type GuardedReceiverOptions } from './guarded-receiver.js';
import { registerActions } from './listeners/actions/index.js';
import { registerCommands } from './listeners/commands/index.js';
import { registerEvents } from './listeners/events/index.js';
import { registerViews } from './listeners/views/index.js';

export interface SlackAppOptions {
  signingSecret: string;
  /** In the embedded demo, a placeholder the local Slack stand-in takes. */
  botToken: string;
  /** Socket Mode when set. */
  appToken?: string;
  /** Web API base URL override (`SLACK_API_URL`), e.g. a local fake in tests. */
  apiUrl?: string;
  logger: Logger;
  /** Binds the HTTP endpoint's server (unused in Socket Mode). */
  listen: GuardedReceiverOptions['listen'];
}

/**
 * The Bolt app. Over HTTP it serves `POST /slack/events` and verifies Slack's request signature; with an
 * app-level token it uses Socket Mode instead.
 */
/** `buildDeps` receives the app's Web API client, which identity lookups need. */
export function createSlackApp(options: SlackAppOptions, buildDeps: (client: webApi.WebClient) => SlackDeps): App {
  const socketMode = Boolean(options.appToken);
  const app = new App({
    token: options.botToken,
    appToken: options.appToken,
    socketMode,
    ...(socketMode
      ? {}
      : {
          receiver: new GuardedReceiver({
            signingSecret: options.signingSecret,
            logger: options.logger,
            endpoint: '/slack/events',
            listen: options.listen,
          }),
        }),
    // The demo token is not a real one; real tokens are checked on the first call instead of at start-up so
    // a Slack outage never stops the process from starting.
    tokenVerificationEnabled: false,
    logger: boltLogger(options.logger.child({ component: 'slack' })),
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: ensureTrailingSlash(options.apiUrl) } : {}),
      // The default retries a failing call for about half an hour; work after an ack (and shutdown, which
      // waits for it) should give up within seconds and tell the user instead.
      retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    },
  });
  app.error(async (error) => {
    options.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  const deps = buildDeps(app.client);
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  return app;
}

function ensureTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
