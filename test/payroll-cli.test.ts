import { describe, expect, it } from 'vitest';
import { startPayrollReceiver } from '../src/demo/payroll-receiver.js';
import { type PayrollCommand, parsePayrollCommand } from '../src/payroll-cli-args.js';
import { harness, recordChange, SECRET } from './payroll/support.js';
import { tempStorePath } from './store/fixtures/records.js';
import { storeOpener } from './store/fixtures/stores.js';
import { spawnScript } from './support/process.js';
import { waitFor } from './support/wait.js';

async function cli(args: string[], storeUrl?: string) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(storeUrl && { STORE_URL: storeUrl }) };
  const run = spawnScript('src/payroll-cli.ts', args, { env });
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The first column of a table `npm run payroll` printed, without its header. */
const firstColumn = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0]);

const open = storeOpener();

/** A store file with e1 pending, e2 dead and e3 delivered. */
async function seeded() {
  const path = tempStorePath();
  const store = open(path);
  await recordChange(store, 'a1', 'e1');
  await recordChange(store, 'a2', 'e2');
  await recordChange(store, 'a3', 'e3');
  await store.outbox.markDead('e2', 'HTTP 410: gone');
  await store.outbox.markDelivered('e3', new Date());
  return { store, url: `sqlite:${path}` };
}

describe('npm run payroll', () => {
  it('lists the outbox as a table, or only the dead letters', async () => {
    const { url } = await seeded();
    const [list, dead, byState] = await Promise.all([
      cli(['list'], url),
      cli(['dead'], url),
      cli(['list', '--state', 'delivered'], url),
    ]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^EVENT\s+STATE\s+ATTEMPTS\s+AGENT\s+CHANGE\s+CREATED\s+NEXT \/ DELIVERED\s+LAST ERROR$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['e1', 'pending', '0'],
      ['e2', 'dead', '1'],
      ['e3', 'delivered', '1'],
    ]);
    expect(lines[2]).toContain('a2@example.com');
    expect(lines[2]).toContain('Available → Break');
    expect(lines[2]).toMatch(/HTTP 410: gone$/);

    expect(dead.code).toBe(0);
    expect(firstColumn(dead.stdout)).toEqual(['e2']);
    expect(firstColumn(byState.stdout)).toEqual(['e3']);
  });

  it('says so when there is nothing to list', async () => {
    const path = tempStorePath();
    open(path);
    expect(await cli(['dead'], `sqlite:${path}`)).toMatchObject({ code: 0, stdout: 'no payroll events\n' });
  });

  it('replays one event, keeping its webhook-id, and explains what it cannot replay', async () => {
    const { store, url } = await seeded();
    const before = (await store.outbox.list()).find((e) => e.eventId === 'e2');
    const [replayed, pending, unknown] = await Promise.all([
      cli(['replay', 'e2'], url),
      cli(['replay', 'e1'], url),
      cli(['replay', 'nope'], url),
    ]);
    expect(replayed).toMatchObject({ code: 0, stdout: 'event e2 queued again (same webhook-id)\n' });
    expect((await store.outbox.list()).find((e) => e.eventId === 'e2')).toMatchObject({
      state: 'pending',
      attempts: 0,
      webhookId: before?.webhookId,
    });
    expect(pending).toMatchObject({ code: 1, stderr: expect.stringContaining('e1 is pending: only dead') });
    expect(unknown).toMatchObject({ code: 1, stderr: 'no payroll event nope\n' });
  });

  it('replays every dead letter', async () => {
    const { store, url } = await seeded();
    await recordChange(store, 'a4', 'e4');
    await store.outbox.markDead('e4', 'HTTP 400');
    expect(await cli(['replay', '--all-dead'], url)).toMatchObject({
      code: 0,
      stdout: '2 dead letters queued again\n',
    });
    expect((await store.outbox.counts()).dead).toBe(0);
  });

  it('answers bad arguments with the usage and exit code 2', async () => {
    const url = `sqlite:${tempStorePath()}`;
    const [bad, redis] = await Promise.all([cli(['replay'], url), cli(['list'], 'redis://127.0.0.1:6379')]);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run payroll -- <command>') });
    expect(redis).toMatchObject({ code: 2, stderr: expect.stringContaining('STORE_URL: expected sqlite:<path>') });
  });

  it('refuses to invent a store that does not exist', async () => {
    const path = tempStorePath();
    const result = await cli(['list'], `sqlite:${path}`);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining(`no store at ${path}`) });
  });

  it('hands a replay to the running app, which delivers it with the same webhook-id', async () => {
    const h = harness();
    const payroll = await startPayrollReceiver({ secret: SECRET, behaviour: { failWith: 410 } });
    try {
      await recordChange(h.store, 'a1', 'e1');
      h.worker({ url: payroll.url, pollIntervalMs: 50 }).start();
      await waitFor(async () => (await h.store.outbox.counts()).dead === 1, { what: 'the dead letter' });
      payroll.setBehaviour({});
      expect((await cli(['replay', 'e1'], `sqlite:${h.path}`)).code).toBe(0);
      await waitFor(async () => (await h.store.outbox.counts()).delivered === 1, { what: 'the replayed delivery' });
      expect(payroll.requests.map((r) => [r.webhookId, r.status])).toEqual([
        ['msg_e1', 410],
        ['msg_e1', 200],
      ]);
    } finally {
      await h.close();
      await payroll.close();
    }
  });
});

describe('parsePayrollCommand', () => {
  it.each<[string[], PayrollCommand]>([
    [['list'], { name: 'list' }],
    [['list', '--state', 'pending'], { name: 'list', state: 'pending' }],
    [['list', '--state=acknowledged'], { name: 'list', state: 'acknowledged' }],
    [['dead'], { name: 'list', state: 'dead' }],
    [['replay', 'e1'], { name: 'replay', eventId: 'e1' }],
    [['replay', '--all-dead'], { name: 'replay-all-dead' }],
  ])('%j → %j', (args, command) => {
    expect(parsePayrollCommand(args)).toEqual(command);
  });

  it.each<[string[], RegExp]>([
    [[], /no command given/],
    [['frobnicate'], /cannot understand "frobnicate"/],
    [['replay'], /cannot understand "replay"/],
    [['replay', 'a', 'b'], /cannot understand/],
    [['replay', '--all-dead', 'x'], /cannot understand/],
    [['replay', 'e1', '--state', 'dead'], /cannot understand/],
    [['list', '--state', 'bogus'], /unknown state "bogus"/],
    [['list', 'extra'], /cannot understand/],
    [['list', '--all-dead'], /cannot understand/],
    [['list', '--nope'], /Unknown option '--nope'/],
    [['dead', 'x'], /cannot understand/],
    [['dead', '--state', 'pending'], /cannot understand/],
  ])('%j is refused', (args, message) => {
    expect(() => parsePayrollCommand(args)).toThrow(message);
  });
});
