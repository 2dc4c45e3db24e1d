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
let demo: DemoInfo;

/** `npm run slack -- …` without npm: the same script, in its own process, finding the app through demo.json. */
async function slack(...args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/slack-console.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir },
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
  if (code !== 0) throw new Error(`slack console ${args.join(' ')} exited ${code}:\n${err}${out}`);
  return out;
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
  payrollLog().filter((line) => line.email === email && (line.to as { presence: string }).presence === presence);

describe('the embedded demo, driven by the Slack console', () => {
  beforeAll(async () => {
    dataDir = tempDir('agent-status-demo-');
    app = spawnApp({
      PORT: '0',
      SIDECAR_PORT: '0',
      DATA_DIR: dataDir,
      STORE_URL: `sqlite:${dataDir}/agent-status.db`,
      LOG_LEVEL: 'info',
    });
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

    const out = await slack('/agent-status break coffee');
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

  it('counts all of it on /metrics', async () => {
    const metrics = await (await fetch(`${demo.sidecarUrl}/metrics`)).text();
    expect(metrics).toMatch(/^agent_status_conflicts_total(\{[^}]*\})? [1-9]/m);
    expect(metrics).toMatch(/^agent_status_payroll_deliveries_total\{[^}]*\} [1-9]/m);
  });
});
