import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Registry } from 'prom-client';
import { expect } from 'vitest';
import { loadPolicyFile } from '../../src/config/policy-file.js';
import { type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/index.js';
import type { TransitionOutcome, TransitionRequest } from '../../src/domain/transition.js';
import type { GenesysClientOptions } from '../../src/genesys/client.js';
import { directPresenceReader } from '../../src/genesys/direct-reader.js';
import { createAuditLog } from '../../src/obs/audit.js';
import { createPipelineMetrics, createRegistry } from '../../src/obs/metrics.js';
import type { GenesysPort, LockStore, PeopleDirectory } from '../../src/pipeline/ports.js';
import { createPipelineQueries, type PipelineQueries } from '../../src/pipeline/queries.js';
import {
  createTransitionPipeline,
  type PipelineDeps,
  type TransitionPipeline,
} from '../../src/pipeline/transition-pipeline.js';
import type { Policy } from '../../src/policy/schema.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { simulatorClient } from '../genesys/helpers.js';
import { ROOT, tempDir } from '../support/process.js';

export interface PipelineHarness {
  simulator: SimulatorHandle;
  genesys: GenesysPort;
  store: SqliteStore;
  pipeline: TransitionPipeline;
  queries: PipelineQueries;
  registry: Registry;
  policy: Policy;
  /** The pipeline's directory: policy entries resolved through Genesys. */
  directory: PeopleDirectory;
  auditLines(): Promise<Record<string, unknown>[]>;
  /** A request from `actorEmail` for `targetEmail`; the demo Slack id is derived from the e-mail. */
  request(actorEmail: string, targetEmail: string, to: string, extra?: Partial<TransitionRequest>): TransitionRequest;
  close(): Promise<void>;
}

/** Asserts the outcome's kind (showing the whole outcome when it differs) and narrows to it. */
export function expectKind<K extends TransitionOutcome['kind']>(
  outcome: TransitionOutcome,
  kind: K,
): Extract<TransitionOutcome, { kind: K }> {
  expect(outcome.kind, JSON.stringify(outcome)).toBe(kind);
  return outcome as Extract<TransitionOutcome, { kind: K }>;
}

export function slackIdFor(email: string): string {
  return `U${email
    .split('@')[0]!
    .replace(/[^a-z0-9]/gi, '')
    .toUpperCase()}`;
}

let counter = 0;

export async function startPipelineHarness(
  options: {
    now?: () => Date;
    wrapGenesys?: (port: GenesysPort, simulator: SimulatorHandle) => GenesysPort;
    policy?: Policy;
    /** The store's clock (lock expiry), in ms since the epoch. */
    storeNow?: () => number;
    client?: Partial<GenesysClientOptions>;
    /** Wraps the locks the pipeline uses (to watch renewals). */
    wrapLocks?: (locks: LockStore) => LockStore;
    /** Overrides of the pipeline's dependencies (lock timing, hooks). */
    deps?: Partial<Pick<PipelineDeps, 'lockTtlMs' | 'lockRenewEveryMs' | 'lockWaitMs' | 'onSettled'>>;
  } = {},
): Promise<PipelineHarness> {
  const dir = tempDir('pipeline-');
  const loaded = loadPolicyFile(join(ROOT, 'policy/default.yaml'));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const policy = options.policy ?? loaded.policy;
  // The org's rate limit is not what these tests are about (the Genesys tests cover it).
  const simulator = await startSimulator({ port: 0, rateLimit: { requests: 1_000_000, windowSeconds: 60 } });
  const client = simulatorClient(simulator, { requestsPerMinute: 1_000_000, ...options.client });
  const genesys = options.wrapGenesys ? options.wrapGenesys(client, simulator) : client;
  const store = openSqliteStore(join(dir, 'store.db'), options.storeNow ? { now: options.storeNow } : {});
  const registry = createRegistry();
  const auditFile = join(dir, 'audit.log');
  const audit = createAuditLog(auditFile);
  const directory: PeopleDirectory = {
    async resolve(entry) {
      const user = await genesys.findUserByEmail(entry);
      return user ? { email: user.email, genesysUserId: user.id, name: user.name } : undefined;
    },
  };
  const presence = directPresenceReader(genesys);
  const pipeline = createTransitionPipeline({
    policy,
    genesys,
    presence,
    store: options.wrapLocks
      ? {
          transitions: store.transitions,
          locks: options.wrapLocks(store.locks),
          outbox: store.outbox,
          cache: store.cache,
          mirror: store.mirror,
          ping: () => store.ping(),
          close: () => store.close(),
        }
      : store,
    directory,
    audit,
    metrics: createPipelineMetrics(registry),
    logger: pino({ level: 'silent' }),
    now: options.now,
    lockWaitMs: 20_000,
    ...options.deps,
  });
  const queries = createPipelineQueries({ policy, genesys, presence, store, directory, now: options.now });
  return {
    simulator,
    genesys,
    store,
    pipeline,
    queries,
    registry,
    policy,
    directory,
    async auditLines() {
      await audit.flush();
      return readFileSync(auditFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    request(actorEmail, targetEmail, to, extra = {}) {
      counter += 1;
      const target = simulator.getAgentState(targetEmail);
      return {
        requestId: `req-${counter}-${Date.now()}`,
        actor: { slackUserId: slackIdFor(actorEmail), email: actorEmail },
        target: { genesysUserId: target.userId, email: targetEmail },
        to,
        source: 'command',
        ...extra,
      };
    },
    async close() {
      await audit.flush();
      await store.close();
      await simulator.close();
    },
  };
}
