/**
 * Process entry point: configuration, start-up and signals. Configuration mistakes end the process with
 * exit code 1 and one line per problem, never a stack trace.
 */
import { existsSync } from 'node:fs';
import { type RunningApplication, startApplication } from './app.js';
import { loadConfig } from './config/env.js';
import { loadPolicyFile } from './config/policy-file.js';
import { StartupError } from './domain/startup-error.js';
import { genesysRegionProblem } from './genesys/region.js';
import { createLogger } from './obs/logger.js';

const SHUTDOWN_BUDGET_MS = 9_000;

function fail(heading: string, lines: string[]): never {
  process.stderr.write(`agent-status: ${heading}\n${lines.map((l) => `  ${l}\n`).join('')}`);
  process.exit(1);
}

if (existsSync('.env')) process.loadEnvFile('.env');

const loaded = loadConfig(process.env, { isTTY: process.stdout.isTTY, genesysRegionProblem });
if (!loaded.ok) fail('invalid configuration (see .env.example)', loaded.errors);
const { config } = loaded;

const policy = loadPolicyFile(config.policyFile);
if (!policy.ok) fail('invalid policy file', policy.errors);

const logger = createLogger({ level: config.logLevel, format: config.logFormat });
let app: RunningApplication | undefined;

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
  const deadline = setTimeout(() => {
    process.stderr.write('agent-status: in-flight work did not finish in time; exiting anyway\n');
    process.exit(1);
  }, SHUTDOWN_BUDGET_MS);
  deadline.unref();
  await app?.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  app = await startApplication({ config, policy: policy.policy, logger, demoExtras: true });
  if (shuttingDown) await app.stop();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  // A configuration mistake is explained by its message; a stack would only bury it.
  if (error instanceof StartupError) logger.fatal({ reason: message }, 'start-up failed');
  else logger.fatal({ err: error }, 'start-up failed');
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  fail('could not start', [message]);
}
