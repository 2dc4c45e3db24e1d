import pino, { type Logger } from 'pino';
import { type RunningApplication, startApplication } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/env.js';
import { loadPolicyFile } from '../../src/config/policy-file.js';
import type { DemoSettings } from '../../src/demo/index.js';
import { ROOT, tempDir } from './process.js';

export interface RunningApp {
  app: RunningApplication;
  config: Config;
  /** What the app runs on: `config` with the embedded demo's stand-ins and secrets where it left one unset. */
  settings: DemoSettings;
  slackUrl: string;
  sidecarUrl: string;
  logLines: () => Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Starts the whole application in-process on loopback with ephemeral ports and a fresh data folder. */
export async function startTestApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = tempDir();
  const loaded = loadConfig({
    PORT: '0',
    SIDECAR_PORT: '0',
    STORE_URL: `sqlite:${dataDir}/agent-status.db`,
    DATA_DIR: dataDir,
    POLICY_FILE: `${ROOT}policy/default.yaml`,
    AUDIT_LOG_FILE: `${dataDir}/audit.log`,
    LOG_LEVEL: 'debug',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const policy = loadPolicyFile(loaded.config.policyFile);
  if (!policy.ok) throw new Error(policy.errors.join('\n'));
  const lines: string[] = [];
  const logger: Logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(line);
      },
    },
  );
  const app = await startApplication({ config: loaded.config, policy: policy.policy, logger, host: '127.0.0.1' });
  const { slackPort, sidecarPort } = app;
  return {
    app,
    config: loaded.config,
    settings: app.demo.settings,
    slackUrl: `http://127.0.0.1:${slackPort}/slack/events`,
    sidecarUrl: `http://127.0.0.1:${sidecarPort}`,
    logLines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: () => app.stop(),
  };
}
