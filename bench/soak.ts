/**
 * `npm run soak -- --minutes 30` (CI: `--seconds 60`): the real app process in its embedded demo (Genesys
 * simulator, Slack Web API stand-in, payroll receiver), steady signed slash commands from every demo agent over
 * 127.0.0.1, and faults injected in turn through the simulator's and the receiver's control APIs. Prints one line
 * per interval and a summary; exits 1 when an invariant broke (a 5xx or an ack later than 3 s from the app, a
 * crash, a cap broken, a "⏳" never answered, a change without its payroll event or with two once the outbox
 * drained). Load is bounded: a fixed rate, at most `--max-in-flight` requests open, a fixed duration.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as pause } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadPolicyFile } from '../src/config/policy-file.js';
import { type DemoInfo, demoSlackId, readDemoInfo } from '../src/demo/index.js';
import type { PayrollEventData } from '../src/domain/payroll-event.js';
import { type Cap, capsOf, capViolations, counterByLabel, delta, payrollViolations, sampleOf } from './soak-checks.js';
import { percentile } from './stats.js';

const ROOT = new URL('..', import.meta.url).pathname;
const ACK_DEADLINE_MS = 3_000;
const SIGNING_SECRET = 'soak-signing-secret';
/** Short retries, so deliveries refused during a fault phase drain within the run's final wait. */
const PAYROLL_RETRY_SCHEDULE = '1s,2s,5s,10s,20s,30s,30s,30s,30s,30s';
const DRAIN_DEADLINE_MS = 120_000;

const usage =
  'usage: npm run soak -- (--minutes <n> | --seconds <n>) [--rate <commands/s>] [--interval <s>] [--phase <s>] [--max-in-flight <n>] [--seed <n>]';
const number = (name: string) =>
  z.coerce.number({ error: `--${name} must be a number` }).positive(`--${name} must be positive`);
const argsSchema = z
  .object({
    minutes: number('minutes').optional(),
    seconds: number('seconds').optional(),
    rate: number('rate').default(1),
    interval: number('interval').default(10),
    phase: number('phase').default(10),
    'max-in-flight': number('max-in-flight').int().default(20),
    seed: z.coerce.number().int().default(1),
  })
  .refine((a) => (a.minutes === undefined) !== (a.seconds === undefined), 'give either --minutes or --seconds');

function parseOptions(): z.output<typeof argsSchema> {
  const { values } = parseArgs({
    options: Object.fromEntries(
      ['minutes', 'seconds', 'rate', 'interval', 'phase', 'max-in-flight', 'seed'].map((name) => [
        name,
        { type: 'string' as const },
      ]),
    ),
  });
  const parsed = argsSchema.safeParse(values);
  if (parsed.success) return parsed.data;
  process.stderr.write(`${parsed.error.issues.map((i) => i.message).join('; ')}\n${usage}\n`);
  process.exit(2);
}

/** Deterministic choices (mulberry32), so a run can be repeated with its `--seed`. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** What agents type, weighted by repetition: mostly changes, some reads, undo, history and typos. */
const COMMAND_TEXTS = [
  ...['available', 'on-queue', 'meeting', 'busy', 'training', 'break', 'brb coffee', 'away doctor', 'coaching'],
  ...['available', 'on-queue', 'queue', 'meeting', 'offline', 'lunch', 'busy standup'],
  ...['show', 'undo', 'history', 'brek', 'lnch'],
];

interface AppProcess {
  child: ChildProcess;
  /** Log lines at level error or above, the last few kept. */
  errors: { count: number; last: string[] };
  stderrTail: () => string;
  ready: Promise<DemoInfo>;
}

function startApp(dataDir: string): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      SIDECAR_PORT: '0',
      DATA_DIR: dataDir,
      STORE_URL: `sqlite:${join(dataDir, 'agent-status.db')}`,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PAYROLL_RETRY_SCHEDULE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors = { count: 0, last: [] as string[] };
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const ready = new Promise<DemoInfo>((resolve, reject) => {
    // Read line by line and keep only counts: a 30-minute run logs far more than is worth holding.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { level?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.msg === 'embedded demo ready') {
        const info = readDemoInfo(dataDir);
        if (info) resolve(info);
        else reject(new Error(`the app logged "embedded demo ready" but ${dataDir}/demo.json is unreadable`));
      }
      if ((entry.level ?? 0) >= 50) {
        errors.count += 1;
        errors.last = [...errors.last, `${entry.msg ?? ''} ${entry.err?.message ?? ''}`.trim()].slice(-5);
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`the app exited (${code ?? signal}) before it was ready:\n${stderr}`)),
    );
  });
  return { child, errors, stderrTail: () => stderr, ready };
}

async function call(url: string, method = 'GET', body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

const agentSchema = z.object({ email: z.string(), presenceLabel: z.string() });
const usersSchema = z.object({ users: z.array(z.object({ email: z.string() })) });
const deliveriesSchema = z.object({
  deliveries: z.array(z.object({ event: z.object({ data: z.custom<PayrollEventData>() }) })),
  duplicates: z.number(),
});

interface Fault {
  name: string;
  start(demo: DemoInfo): Promise<unknown>;
}

/** Applied in turn, one per phase; every phase starts from a calm simulator and receiver. */
const FAULTS: readonly Fault[] = [
  { name: 'calm', start: async () => undefined },
  {
    name: 'genesys-429-retry-after-2s',
    start: (demo) =>
      call(`${demo.simulatorUrl}/__sim/faults`, 'POST', {
        path: '/api/v2/users/*/presences/purecloud',
        method: 'PATCH',
        kind: 429,
        count: 5,
        retryAfterSeconds: 2,
      }),
  },
  {
    name: 'genesys-503-burst',
    start: (demo) => call(`${demo.simulatorUrl}/__sim/faults`, 'POST', { path: '/api/v2/**', kind: 503, count: 8 }),
  },
  {
    name: 'genesys-slow-700ms',
    start: (demo) => call(`${demo.simulatorUrl}/__sim/latency`, 'PUT', { ms: 700 }),
  },
  {
    name: 'payroll-refusing-503',
    start: (demo) =>
      call(`${demo.payrollReceiverControlUrl}/behaviour`, 'PUT', { failWith: 503, retryAfterSeconds: 1 }),
  },
  { name: 'genesys-tokens-expired', start: (demo) => call(`${demo.simulatorUrl}/__sim/tokens/expire`, 'POST') },
];

async function calm(demo: DemoInfo): Promise<void> {
  await call(`${demo.simulatorUrl}/__sim/faults`, 'DELETE');
  await call(`${demo.simulatorUrl}/__sim/latency`, 'PUT', { ms: 0 });
  await call(`${demo.payrollReceiverControlUrl}/behaviour`, 'PUT', {});
}

/** `response_url` answers land here, so the run knows every "⏳" got its answer. */
async function startAnswerSink(): Promise<{ base: string; answered: Set<string>; close(): void }> {
  const answered = new Set<string>();
  const server = createServer((req, res) => {
    answered.add(new URL(req.url ?? '/', 'http://sink').pathname.slice(1));
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    answered,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

function signedCommand(slackUrl: string, body: string): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return fetch(slackUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
}

const mib = (bytes: number | undefined) => (bytes === undefined ? '?' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const ms = (value: number) => `${value.toFixed(0)} ms`;
const outcomesText = (outcomes: Record<string, number>) =>
  Object.entries(outcomes)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(' ') || 'none';

async function soak(): Promise<number> {
  const options = parseOptions();
  const durationMs = (options.minutes ?? 0) * 60_000 + (options.seconds ?? 0) * 1_000;
  const policy = loadPolicyFile('policy/default.yaml');
  if (!policy.ok) throw new Error(policy.errors.join('\n'));
  const caps: Cap[] = capsOf(policy.policy);
  const capped = [...new Set(caps.flatMap((cap) => cap.members))];
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

  const dataDir = mkdtempSync(join(tmpdir(), 'agent-status-soak-'));
  const app = startApp(dataDir);
  const sink = await startAnswerSink();
  const violations: string[] = [];
  const violation = (what: string) => {
    if (violations.includes(what)) return;
    violations.push(what);
    console.log(`!! ${what}`);
  };
  let stopping = false;
  app.child.once('exit', (code, signal) => {
    if (!stopping) violation(`the app exited (${code ?? signal}) during the run:\n${app.stderrTail()}`);
  });

  try {
    const demo = await app.ready;
    const sim = demo.simulatorUrl!;
    const metricsUrl = `${demo.sidecarUrl}/metrics`;
    const metrics = async () => {
      const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) });
      return response.text();
    };
    const presences = async (emails: readonly string[]) =>
      new Map(
        await Promise.all(
          emails.map(async (email) => {
            const agent = agentSchema.parse(await call(`${sim}/__sim/agents/${encodeURIComponent(email)}`));
            return [email, agent.presenceLabel] as const;
          }),
        ),
      );
    const emails = usersSchema.parse(await call(`${sim}/__sim/users`)).users.map((u) => u.email);
    const initial = await presences(emails);
    console.log(
      `soak: ${durationMs / 1000} s, ${options.rate} commands/s from ${emails.length} agents, fault phases of ${options.phase} s, seed ${options.seed}; app pid ${demo.pid}, data in ${dataDir}`,
    );

    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const awaitingAnswer = new Map<string, string>();
    const inFlight = new Set<Promise<void>>();
    const allAcks: number[] = [];
    let intervalAcks: number[] = [];
    let sent = 0;
    let shed = 0;
    let intervalSent = 0;
    const rssSamples: number[] = [];

    const send = async (id: string, email: string, text: string) => {
      const body = new URLSearchParams({
        team_id: 'T0DEMO',
        team_domain: 'demo',
        channel_id: 'C0SOAK',
        channel_name: 'soak',
        user_id: demoSlackId(email),
        user_name: email.split('@')[0]!,
        command: '/agent-status',
        text,
        response_url: `${sink.base}${id}`,
        trigger_id: `soak.${id}`,
        api_app_id: 'A0DEMO',
      }).toString();
      const t = performance.now();
      let response: Response;
      try {
        response = await signedCommand(demo.slackUrl, body);
      } catch (error) {
        violation(`no answer to "${text}" from ${email}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      const ackText = await response.text();
      const latency = performance.now() - t;
      allAcks.push(latency);
      intervalAcks.push(latency);
      if (response.status >= 500)
        violation(`HTTP ${response.status} for "${text}" from ${email}: ${ackText.slice(0, 200)}`);
      if (latency > ACK_DEADLINE_MS) violation(`ack after ${ms(latency)} for "${text}" from ${email}`);
      if (ackText.includes('⏳')) awaitingAnswer.set(id, `"${text}" from ${email}`);
    };

    const load = (async () => {
      const period = 1000 / options.rate;
      while (elapsed() < durationMs) {
        if (inFlight.size >= options['max-in-flight']) shed += 1;
        else {
          sent += 1;
          intervalSent += 1;
          const request = send(String(sent), pick(emails), pick(COMMAND_TEXTS)).finally(() => inFlight.delete(request));
          inFlight.add(request);
        }
        await pause(period);
      }
    })();

    const capWatch = (async () => {
      while (elapsed() < durationMs) {
        for (const problem of capViolations(caps, await presences(capped))) violation(problem);
        await pause(1_000);
      }
    })();

    // The faults in force during the current interval (several when phases are shorter than intervals).
    let currentFault = FAULTS[0]!.name;
    const intervalFaults = new Set<string>();
    const phases = (async () => {
      for (let phase = 0; elapsed() < durationMs; phase++) {
        await calm(demo);
        // The simulator keeps a request log in the app's process; cleared so RSS shows the app, not the log.
        await call(`${sim}/__sim/requests`, 'DELETE');
        const fault = FAULTS[phase % FAULTS.length]!;
        await fault.start(demo);
        currentFault = fault.name;
        intervalFaults.add(currentFault);
        await pause(Math.min(options.phase * 1000, Math.max(0, durationMs - elapsed())));
      }
    })();

    let errorsBefore = 0;
    let before = counterByLabel(await metrics(), 'agent_status_transitions_total', 'outcome');
    const intervals = (async () => {
      while (elapsed() < durationMs) {
        await pause(Math.min(options.interval * 1000, Math.max(0, durationMs - elapsed())));
        const text = await metrics();
        const outcomes = counterByLabel(text, 'agent_status_transitions_total', 'outcome');
        const rss = sampleOf(text, 'process_resident_memory_bytes');
        if (rss !== undefined) rssSamples.push(rss);
        const sorted = [...intervalAcks].sort((a, b) => a - b);
        console.log(
          [
            `${(elapsed() / 1000).toFixed(0).padStart(5)} s`,
            `requests ${intervalSent} (${sent})`,
            `outcomes ${outcomesText(delta(outcomes, before))}`,
            `ack p50 ${ms(percentile(sorted, 50))} p99 ${ms(percentile(sorted, 99))}`,
            `errors logged ${app.errors.count - errorsBefore}`,
            `rss ${mib(rss)}`,
            `outbox ${sampleOf(text, 'agent_status_payroll_outbox_depth') ?? '?'}`,
            `faults: ${[...intervalFaults].join(', ')}`,
          ].join('  '),
        );
        before = outcomes;
        errorsBefore = app.errors.count;
        intervalFaults.clear();
        intervalFaults.add(currentFault);
        intervalAcks = [];
        intervalSent = 0;
      }
    })();

    await Promise.all([load, capWatch, phases, intervals]);
    await Promise.all(inFlight);
    await calm(demo);

    // Drain: every "⏳" answered, every payroll event delivered, before the trail is checked.
    const drainStart = performance.now();
    const drained = async () => {
      const text = await metrics();
      return (
        [...awaitingAnswer.keys()].every((id) => sink.answered.has(id)) &&
        sampleOf(text, 'agent_status_payroll_outbox_depth') === 0
      );
    };
    while (!(await drained()) && performance.now() - drainStart < DRAIN_DEADLINE_MS) await pause(500);
    for (const [id, what] of awaitingAnswer) {
      if (!sink.answered.has(id)) violation(`only "⏳" for ${what}: no answer within ${DRAIN_DEADLINE_MS / 1000} s`);
    }
    const finalMetrics = await metrics();
    const depth = sampleOf(finalMetrics, 'agent_status_payroll_outbox_depth');
    if (depth !== 0)
      violation(`payroll outbox not drained: ${depth ?? '?'} pending after ${DRAIN_DEADLINE_MS / 1000} s`);
    const dead = sampleOf(finalMetrics, 'agent_status_payroll_dead_letters') ?? 0;
    if (dead > 0) violation(`${dead} payroll events dead-lettered`);

    const final = await presences(emails);
    for (const problem of capViolations(caps, final)) violation(problem);
    const received = deliveriesSchema.parse(await call(`${demo.payrollReceiverControlUrl}/deliveries`));
    const events = received.deliveries.map((d) => d.event.data);
    for (const problem of payrollViolations({ initial, final, events })) violation(problem);

    stopping = true;
    app.child.kill('SIGTERM');
    const [code] = (await Promise.race([
      new Promise((resolve) => app.child.once('exit', (...args) => resolve(args))),
      pause(15_000).then(() => ['no exit within 15 s']),
    ])) as [number | string | null];
    if (code !== 0) violation(`the app did not stop cleanly on SIGTERM: ${code}\n${app.stderrTail()}`);

    const sorted = allAcks.sort((a, b) => a - b);
    const outcomes = counterByLabel(finalMetrics, 'agent_status_transitions_total', 'outcome');
    console.log(
      [
        '',
        `summary: ${(elapsed() / 1000).toFixed(0)} s, ${sent} requests (${shed} not sent: ${options['max-in-flight']} already open)`,
        `  outcomes: ${outcomesText(outcomes)}`,
        `  ack: p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? 0)}`,
        `  answers through response_url: ${awaitingAnswer.size} awaited, ${[...awaitingAnswer.keys()].filter((id) => sink.answered.has(id)).length} received`,
        `  payroll: ${events.length} events received, ${received.duplicates} repeated deliveries (same webhook-id), ${dead} dead letters`,
        `  app errors logged: ${app.errors.count}${app.errors.last.length ? ` (last: ${app.errors.last.join(' | ')})` : ''}`,
        `  rss: first ${mib(rssSamples[0])}, max ${mib(Math.max(...rssSamples))}, last ${mib(rssSamples.at(-1))}`,
        violations.length === 0 ? '  invariants: all held' : `  invariants broken: ${violations.length}`,
        ...violations.map((v) => `    - ${v}`),
      ].join('\n'),
    );
    return violations.length === 0 ? 0 : 1;
  } finally {
    stopping = true;
    sink.close();
    if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
  }
}

soak().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
