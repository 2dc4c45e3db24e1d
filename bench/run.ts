/**
 * `npm run bench`: figures for the hot paths, printed, never asserted. Runs against the local simulator
 * (no network latency), so the numbers are the app's own cost, not Genesys's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadPolicyFile } from '../src/config/policy-file.js';
import { startSimulator } from '../src/demo/genesys-simulator/index.js';
import type { TransitionRequest } from '../src/domain/transition.js';
import { createGenesysClient, directPresenceReader } from '../src/genesys/index.js';
import { createAuditLog } from '../src/obs/audit.js';
import { createPipelineMetrics, createRegistry } from '../src/obs/metrics.js';
import { createTransitionPipeline } from '../src/pipeline/transition-pipeline.js';
import { evaluateTransition } from '../src/policy/evaluate.js';
import { keyvCache } from '../src/store/cache.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { percentile } from './stats.js';

function report(name: string, samplesMs: number[], totalMs: number): void {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const rate = (samplesMs.length / totalMs) * 1000;
  console.log(
    `${name.padEnd(44)} n=${String(samplesMs.length).padStart(5)}  ${rate.toFixed(0).padStart(7)}/s  p50 ${percentile(sorted, 50).toFixed(2)} ms  p95 ${percentile(sorted, 95).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms`,
  );
}

async function timed(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<[number[], number]> {
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return [samples, performance.now() - start];
}

const loaded = loadPolicyFile('policy/default.yaml');
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const policy = loaded.policy;
const dir = mkdtempSync(join(tmpdir(), 'agent-status-bench-'));

// 1. Pure policy evaluation with a 300-member team state.
const states = Array.from({ length: 300 }, (_, i) => ({
  email: `m${i}@example.com`,
  status: i % 3 ? 'on-queue' : 'available',
}));
report(
  'policy: evaluateTransition (300 team states)',
  ...(await timed(20_000, () =>
    evaluateTransition(policy, {
      actor: { email: 'sam.super@example.com' },
      target: { email: 'alice@example.com' },
      from: 'on-queue',
      to: 'brb',
      teamStates: states,
      now: new Date(),
    }),
  )),
);

// 2. Store: record a transition with its payroll event (one SQLite transaction, synchronous=FULL).
const store = openSqliteStore(join(dir, 'bench.db'));
report(
  'store: lock + record transition + event',
  ...(await timed(2_000, async (i) => {
    const lock = await store.locks.acquire(`agent:a${i % 50}`, 30_000, 1_000);
    await store.transitions.recordTransition({
      requestId: `r${i}`,
      actorSlackId: 'U1',
      agentId: `a${i % 50}`,
      toStatus: 'break',
      outcome: {
        kind: 'noop',
        current: { status: 'break', presenceId: 'p', presenceLabel: 'Break', routingStatus: 'OFF_QUEUE' },
        version: 'v',
      },
      decidedAt: new Date().toISOString(),
    });
    await lock.release();
  })),
);

// 3. The whole pipeline against the simulator: self-service changes, alternating statuses.
const simulator = await startSimulator({ port: 0, rateLimit: { requests: 10_000_000, windowSeconds: 60 } });
const logger = pino({ level: 'silent' });
const genesys = createGenesysClient({
  clientId: 'demo-client',
  clientSecret: 'demo-secret',
  apiUrl: simulator.url,
  requestsPerMinute: 10_000_000,
  cache: keyvCache(),
  logger,
});
const registry = createRegistry();
const pipeline = createTransitionPipeline({
  policy,
  genesys,
  presence: directPresenceReader(genesys),
  store,
  directory: {
    resolve: async (entry) => {
      const u = await genesys.findUserByEmail(entry);
      return u ? { email: u.email, genesysUserId: u.id, name: u.name } : undefined;
    },
  },
  audit: createAuditLog(join(dir, 'audit.log')),
  metrics: createPipelineMetrics(registry),
  logger,
});
const agents = Array.from({ length: 30 }, (_, i) => `agent${String(i + 1).padStart(2, '0')}@example.com`).filter(
  (e) => !['agent07', 'agent13', 'agent21', 'agent27'].some((x) => e.startsWith(x)),
);
const request = (i: number, to: string): TransitionRequest => {
  const email = agents[i % agents.length]!;
  return {
    requestId: `bench-${to}-${i}`,
    actor: { slackUserId: 'UBENCH', email },
    target: { genesysUserId: simulator.getAgentState(email).userId, email },
    to,
    source: 'command',
  };
};
report(
  'pipeline: submit (read, write, verify, record)',
  ...(await timed(500, (i) => pipeline.submit(request(i, i % 2 ? 'available' : 'meeting')))),
);
report(
  'pipeline: repeated request (idempotent answer)',
  ...(await timed(2_000, (i) => pipeline.submit(request(i % 100, 'meeting')))),
);

const batch = agents.map((_, i) => request(i, 'offline'));
const [, batchMs] = await timed(1, () => pipeline.submitBatch(batch));
console.log(
  `pipeline: submitBatch of ${batch.length} agents                ${batchMs.toFixed(1)} ms (${simulator.requests({ method: 'PUT' }).length} bulk PUT)`,
);

const memory = process.memoryUsage();
console.log(
  `memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
await store.close();
await simulator.close();
