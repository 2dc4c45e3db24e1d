/**
 * The README walkthrough, as a newcomer runs it: the app started as `npm start` would (fresh data folder, no
 * credentials), driven by the Slack console in separate processes, with the simulator's state and the payroll
 * receiver's log checked after each step.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInfo, demoInfoSchema } from '../../src/demo/info.js';
import { ROOT, type SpawnedApp, spawnApp, tempDir } from '../support/process.js';

let app: SpawnedApp;
let dataDir: string;
let storeUrl: string;
let demo: DemoInfo;

/** `npm run <script> -- …` without npm: the same file, in its own process, as a newcomer's second terminal. */
async function script(file: string, args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${code}:\n${err}${out}`);
  return out;
}

/** `npm run slack -- …`: finds the app through demo.json in DATA_DIR. */
const slack = (...args: string[]) => script('scripts/slack-console.ts', args, { DATA_DIR: dataDir });

/** `npm run payroll -- …` on the app's store. */
const payroll = (...args: string[]) => script('src/payroll-cli.ts', args, { STORE_URL: storeUrl });

/** What `curl -X PUT …/__receiver/behaviour -d '…'` does. */
async function receiverBehaviour(behaviour: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${demo.payrollReceiverControlUrl}/behaviour`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(behaviour),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { behaviour: unknown }).behaviour;
}

async function agent(email: string): Promise<{ presenceLabel: string; message: string }> {
  const res = await fetch(`${demo.simulatorUrl}/__sim/agents/${encodeURIComponent(email)}`);
  return (await res.json()) as { presenceLabel: string; message: string };
}

function payrollLog(): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(demo.payrollLogFile!, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const deliveredTo = (email: string, presence: string) =>
  payrollLog().filter(
    (line) =>
      line.msg === 'payroll receiver: event received' &&
      line.email === email &&
      (line.to as { presence: string }).presence === presence,
  );

// One story, step by step: each test builds on what the ones before it did, so they never run shuffled.
describe('the embedded demo, driven by the Slack console', { shuffle: false }, () => {
  beforeAll(async () => {
    dataDir = tempDir('agent-status-demo-');
    storeUrl = `sqlite:${dataDir}/agent-status.db`;
    app = spawnApp({ PORT: '0', SIDECAR_PORT: '0', DATA_DIR: dataDir, STORE_URL: storeUrl, LOG_LEVEL: 'info' });
    const ready = await app.waitForLog('embedded demo ready');
    demo = demoInfoSchema.parse(ready.demo);
    expect(demo.payrollLogFile).toBe(join(dataDir, 'payroll-receiver.log'));
  });
  afterAll(async () => {
    app?.child.kill('SIGTERM');
    if (app) expect(await app.exited).toBe(0);
  });

  it('logs a banner with the addresses and the demo users', () => {
    expect(app.stdout()).toContain('Demo users');
    expect(app.stdout()).toContain('UALICE');
    expect(demo.simulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('help, then a status change that reaches Genesys and payroll (acknowledged)', async () => {
    expect(await slack('/agent-status help', '--as', 'alice')).toContain('# agent-status help');

    const out = await slack('/agent-status brb coffee', '--as', 'alice');
    expect(out).toContain('reply (only you can see it)');
    expect(await agent('alice@example.com')).toMatchObject({ presenceLabel: 'Break', message: 'coffee' });
    await expect.poll(() => deliveredTo('alice@example.com', 'Break').length, { timeout: 10_000 }).toBe(1);
    expect(deliveredTo('alice@example.com', 'Break')[0]).toMatchObject({ reason: 'coffee', changedBy: 'UALICE' });
    await app.waitForLog('payroll event acknowledged');
  });

  it('breaks a cap: the third of Billing on Break is refused, nothing reaches payroll', async () => {
    await slack('/agent-status break', '--as', 'carol');
    expect((await agent('carol@example.com')).presenceLabel).toBe('Break');
    const refused = await slack('/agent-status break', '--as', 'erin');
    expect(refused).toMatch(/cap|at most|2 of/i);
    expect((await agent('erin@example.com')).presenceLabel).toBe('Available');
    await expect.poll(() => deliveredTo('carol@example.com', 'Break').length, { timeout: 10_000 }).toBe(1);
    expect(deliveredTo('erin@example.com', 'Break')).toHaveLength(0);
  });

  it('causes a conflict and resolves it with a button', async () => {
    expect(await slack('/agent-status', '--as', 'dave')).toContain('Modal "Agent status"');
    const changed = await fetch(`${demo.simulatorUrl}/__sim/agents/dave%40example.com/presence`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ presence: 'Busy' }),
    });
    expect(changed.status).toBe(200);
    expect(await slack('--submit', 'status=lunch')).toContain('[Apply anyway]');
    expect((await agent('dave@example.com')).presenceLabel).toBe('Busy');
    await slack('--click', 'Apply anyway');
    expect((await agent('dave@example.com')).presenceLabel).toBe('Lunch');
    await expect.poll(() => deliveredTo('dave@example.com', 'Lunch').length, { timeout: 10_000 }).toBe(1);
  });

  it('hands a team over and posts in the team channel', async () => {
    expect(await slack('/agent-status handover billing', '--as', 'sam.super')).toContain('Modal "Shift handover"');
    const out = await slack('--submit', 'going off=erin', 'set them to=offline', 'notes=quiet shift');
    expect(out).toContain('message in #C0BILLING01');
    expect(out).toContain('quiet shift');
    expect((await agent('erin@example.com')).presenceLabel).toBe('Offline');
    await expect.poll(() => deliveredTo('erin@example.com', 'Offline').length, { timeout: 10_000 }).toBe(1);
  });

  it('replays a dead letter: refused with 410, dead at once, delivered again with the same webhook-id', async () => {
    expect(await receiverBehaviour({ failWith: 410 })).toEqual({ failWith: 410 });
    await slack('/agent-status queue', '--as', 'heidi');
    expect((await agent('heidi@example.com')).presenceLabel).toBe('On Queue');
    const dead = await app.waitForLog('payroll event dead-lettered (npm run payroll -- replay <eventId>)');
    expect(dead).toMatchObject({ attempt: 1, error: expect.stringMatching(/^HTTP 410/) });
    const eventId = String(dead.eventId);
    expect(deliveredTo('heidi@example.com', 'On Queue')).toHaveLength(0);

    const deadList = await payroll('dead');
    expect(deadList).toContain(eventId);
    expect(deadList).toMatch(/heidi@example\.com\s+Available → On Queue/);

    expect(await receiverBehaviour({})).toEqual({});
    // The app, another process, picks the replay up at its next outbox poll.
    expect(await payroll('replay', '--all-dead')).toBe('1 dead letter queued again\n');

    await expect.poll(() => deliveredTo('heidi@example.com', 'On Queue').length, { timeout: 10_000 }).toBe(1);
    expect(deliveredTo('heidi@example.com', 'On Queue')[0]).toMatchObject({ eventId, webhookId: dead.webhookId });
    const receiver = (await (await fetch(`${demo.payrollReceiverControlUrl}/deliveries`)).json()) as {
      requests: { webhookId: string; status: number }[];
    };
    expect(receiver.requests.filter((r) => r.webhookId === dead.webhookId).map((r) => r.status)).toEqual([410, 200]);
    expect(payrollLog().filter((line) => line.webhookId === dead.webhookId)).toMatchObject([
      { msg: expect.stringContaining('delivery refused'), email: 'heidi@example.com', status: 410 },
      { msg: 'payroll receiver: event received', eventId },
    ]);
    expect(await payroll('dead')).toBe('no payroll events\n');
  });

  it('counts all of it on /metrics', async () => {
    const metrics = await (await fetch(`${demo.sidecarUrl}/metrics`)).text();
    expect(metrics).toMatch(/^agent_status_conflicts_total(\{[^}]*\})? [1-9]/m);
    expect(metrics).toMatch(/^agent_status_payroll_deliveries_total\{result="delivered"\} [1-9]/m);
    expect(metrics).toMatch(/^agent_status_payroll_deliveries_total\{result="dead"\} 1$/m);
  });
});
