import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/env.js';
import { loadPolicyFile } from '../../src/config/policy-file.js';
import {
  DEMO_PAYROLL_SECRET,
  DEMO_SLACK_SIGNING_SECRET,
  demoBanner,
  demoInfoPath,
  demoPorts,
  demoSlackId,
  demoSlackUsers,
  readDemoInfo,
  startDemo,
} from '../../src/demo/index.js';
import { createWebhook, signHeaders } from '../../src/payroll/webhook.js';
import { type RunningApp, startTestApp } from '../support/app.js';
import { ROOT, tempDir } from '../support/process.js';

const silent = pino({ level: 'silent' });

function policy() {
  const loaded = loadPolicyFile(`${ROOT}policy/default.yaml`);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.policy;
}

describe('demo users and ports', () => {
  it.each([
    ['alice@example.com', 'UALICE'],
    ['sam.super@example.com', 'USAMSUPER'],
    ['agent07@example.com', 'UAGENT07'],
    ['o-brien_2@example.com', 'UOBRIEN2'],
  ])('%s is %s in the demo workspace', (email, id) => {
    expect(demoSlackId(email)).toBe(id);
  });

  it('seeds one Slack user per person', () => {
    expect(demoSlackUsers([{ name: 'Ada Admin', email: 'ada.admin@example.com' }])).toEqual([
      { id: 'UADAADMIN', name: 'Ada Admin', email: 'ada.admin@example.com' },
    ]);
  });

  it('puts the local parts next to the Slack port, and anywhere when it is 0', () => {
    expect(demoPorts(3000)).toEqual({ slackStandIn: 3001, simulator: 3002, payrollReceiver: 3003 });
    expect(demoPorts(0)).toEqual({ slackStandIn: 0, simulator: 0, payrollReceiver: 0 });
    expect(demoPorts(65_534)).toEqual({ slackStandIn: 65_535, simulator: 0, payrollReceiver: 0 });
  });
});

describe('demoBanner', () => {
  it('lists the addresses, each team with its limits and people, and what to try', () => {
    const banner = demoBanner({
      info: {
        slackUrl: 'http://127.0.0.1:3000/slack/events',
        slackStandInUrl: 'http://127.0.0.1:3001',
        simulatorUrl: 'http://127.0.0.1:3002',
        payrollReceiverUrl: 'http://127.0.0.1:3003/payroll',
        payrollReceiverControlUrl: 'http://127.0.0.1:3003/__receiver',
        payrollLogFile: 'data/payroll-receiver.log',
        sidecarUrl: 'http://127.0.0.1:9464',
        pid: 1,
        startedAt: '2026-01-01T00:00:00Z',
      },
      policy: policy(),
      people: [
        { name: 'Alice Anderson', email: 'alice@example.com' },
        { name: 'Sam Super', email: 'sam.super@example.com' },
        { name: 'Agent 01', email: 'agent01@example.com' },
        { name: 'Agent 02', email: 'agent02@example.com' },
      ],
      demoSigningSecret: 'demo-signing-secret',
    });
    const lines = banner.split('\n');
    expect(lines).toContain(
      '  Slack endpoint     http://127.0.0.1:3000/slack/events   (signing secret "demo-signing-secret")',
    );
    expect(lines).toContain(
      "  Genesys simulator  http://127.0.0.1:3002   an agent's state: /__sim/agents/alice@example.com",
    );
    expect(lines).toContain('  Payroll receiver   http://127.0.0.1:3003/payroll   log: data/payroll-receiver.log');
    expect(lines).toContain(
      '  Receiver control   http://127.0.0.1:3003/__receiver   PUT …/behaviour {"failWith":410} or {} · GET …/deliveries',
    );
    expect(lines).toContain('  Metrics, health    http://127.0.0.1:9464/metrics   /healthz  /readyz');
    expect(lines).toContain(
      '  Billing    supervisor Sam Super (sam.super, USAMSUPER) · limits: break ≤ 2, lunch ≤ 2, on-queue ≥ 2',
    );
    expect(banner).toContain('Alice Anderson (alice, UALICE), bob (bob, UBOB)');
    expect(lines).toContain('  Admins     ada.admin (ada.admin, UADAADMIN)');
    expect(lines).toContain('  No team    2 agents: agent01, agent02');
    expect(lines).toContain('  npm run slack -- "/agent-status break coffee" --as alice');
    expect(lines).toContain('  npm run slack -- "/agent-status handover billing" --as sam.super');
    expect(banner).toContain('npm run payroll -- dead');
    expect(lines.every((line) => line.length <= 120)).toBe(true);
  });
});

const payrollEvent = (eventId: string) => ({
  type: 'agent.status.changed',
  data: {
    eventId,
    agentId: 'agent-1',
    email: 'alice@example.com',
    from: { presence: 'On Queue', routingStatus: 'IDLE' },
    to: { presence: 'Break', routingStatus: 'OFF_QUEUE' },
    reason: 'coffee',
    changedAt: '2026-01-01T10:00:00.000Z',
    changedBy: 'UALICE',
    source: 'slack',
    requestId: 'req-1',
  },
});

const readLog = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('startDemo', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(() => running.stop());

  /** The demo with its extras, its receiver acknowledging through the running app's sidecar. */
  async function startWithExtras(config: Config) {
    const demo = await startDemo(config, { logger: silent, extras: true });
    const announced = demo.announce({
      slackPort: running.app.slackPort,
      sidecarPort: running.app.sidecarPort,
      policy: policy(),
    });
    return { demo, announced, receiver: demo.payrollReceiver!, payrollUrl: demo.settings.payroll.url! };
  }

  it('stands in for everything the configuration leaves unset, with its public secrets', async () => {
    const config = { ...running.config, dataDir: tempDir() };
    const demo = await startDemo(config, { logger: silent });
    try {
      expect(demo.settings.genesys).toEqual({
        clientId: 'demo-client',
        clientSecret: 'demo-secret',
        apiUrl: demo.simulator!.url,
        requestsPerMinute: 300,
      });
      expect(demo.settings.slack).toMatchObject({
        botToken: 'xoxb-demo-token',
        signingSecret: DEMO_SLACK_SIGNING_SECRET,
        apiUrl: demo.slackStandIn!.apiUrl,
      });
      expect(demo.settings.payroll).toMatchObject({ secret: DEMO_PAYROLL_SECRET, url: undefined });
      // One Slack user per simulator user.
      const users = (await (await fetch(new URL('/__standin/users', demo.slackStandIn!.apiUrl))).json()) as {
        users: { id: string }[];
      };
      expect(users.users.map((u) => u.id)).toContain('UALICE');
      // Without extras: no receiver, nothing announced.
      expect(demo.payrollReceiver).toBeUndefined();
      expect(demo.announce({ slackPort: 1, sidecarPort: 2, policy: policy() })).toBeUndefined();
      expect(existsSync(demoInfoPath(config.dataDir))).toBe(false);
    } finally {
      await demo.stop();
    }
    await expect(fetch(demo.simulator!.url)).rejects.toThrow();
    await expect(fetch(demo.slackStandIn!.apiUrl)).rejects.toThrow();
  });

  it('starts nothing and changes nothing for a full configuration', async () => {
    const config: Config = {
      ...running.config,
      dataDir: tempDir(),
      demo: false,
      genesys: { clientId: 'id', clientSecret: 'secret', region: 'mypurecloud.ie', requestsPerMinute: 300 },
      slack: { botToken: 'xoxb-1', signingSecret: 'signing' },
      payroll: { url: 'https://payroll.example.com/hook', secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' },
    };
    const demo = await startDemo(config, { logger: silent, extras: true });
    expect(demo.settings).toEqual({ genesys: config.genesys, slack: config.slack, payroll: config.payroll });
    expect([demo.simulator, demo.slackStandIn, demo.payrollReceiver]).toEqual([undefined, undefined, undefined]);
    expect(demo.announce({ slackPort: 1, sidecarPort: 2, policy: policy() })).toBeUndefined();
    await demo.stop();
  });

  it('runs a payroll receiver that logs each delivery and acknowledges through the app’s ack route', async () => {
    const config = { ...running.config, dataDir: tempDir() };
    const { demo, receiver, payrollUrl } = await startWithExtras(config);
    try {
      expect(payrollUrl).toBe(receiver.url);
      expect(demo.payrollLogFile).toBe(join(config.dataDir, 'payroll-receiver.log'));

      const body = JSON.stringify(payrollEvent('evt-1'));
      const headers = signHeaders(createWebhook(running.settings.payroll.secret), 'msg_evt-1', body);
      const res = await fetch(payrollUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(res.status).toBe(200);

      const lines = readLog(demo.payrollLogFile);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        msg: 'payroll receiver: event received',
        webhookId: 'msg_evt-1',
        eventId: 'evt-1',
        email: 'alice@example.com',
        to: { presence: 'Break', routingStatus: 'OFF_QUEUE' },
        reason: 'coffee',
      });
      expect(typeof lines[0]!.time).toBe('string');

      // The app's ack route checked the signature (401 otherwise) and did not know this hand-made event.
      await expect.poll(() => receiver.acks.map((a) => a.result), { timeout: 5_000 }).toEqual([404]);

      const forged = await fetch(payrollUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers, 'webhook-signature': 'v1,AAAA' },
        body,
      });
      expect(forged.status).toBe(401);
    } finally {
      await demo.stop();
    }
  });

  it('lets people make the receiver refuse deliveries through its control API, and go back', async () => {
    const config = { ...running.config, dataDir: tempDir() };
    const { demo, receiver, payrollUrl } = await startWithExtras(config);
    try {
      const control = receiver.controlUrl;
      expect(control).toBe(`${new URL(payrollUrl).origin}/__receiver`);
      const put = async (body: string) => {
        const res = await fetch(`${control}/behaviour`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body,
        });
        return { status: res.status, json: (await res.json()) as { error?: string; behaviour?: unknown } };
      };
      const deliver = async (eventId: string) => {
        const body = JSON.stringify(payrollEvent(eventId));
        const headers = signHeaders(createWebhook(running.settings.payroll.secret), `msg_${eventId}`, body);
        const res = await fetch(payrollUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        return { status: res.status, retryAfter: res.headers.get('retry-after') };
      };

      expect(await (await fetch(`${control}/behaviour`)).json()).toMatchObject({ behaviour: {} });
      expect(await put('{"failWith": 410}')).toEqual({
        status: 200,
        json: expect.objectContaining({ behaviour: { failWith: 410 } }),
      });
      expect(await deliver('evt-gone')).toMatchObject({ status: 410, retryAfter: null });
      expect(readLog(demo.payrollLogFile).at(-1)).toMatchObject({
        msg: expect.stringContaining('payroll receiver: delivery refused'),
        webhookId: 'msg_evt-gone',
        eventId: 'evt-gone',
        status: 410,
      });

      // Mistakes are refused with what was wrong, and change nothing.
      for (const [body, error] of [
        ['{"failwith": 410}', /Unrecognized key.*failwith/],
        ['{"failWith": 200}', /^failWith: .*400/],
        ['{"failWith": "410"}', /^failWith: /],
        ['{"failTimes": 2}', /failTimes go with failWith/],
        ['failWith=410', /not JSON/],
      ] as const) {
        const answer = await put(body);
        expect(answer.status, body).toBe(400);
        expect(answer.json.error, body).toMatch(error);
      }
      expect((await fetch(`${control}/behaviour`, { method: 'DELETE' })).status).toBe(405);
      expect((await fetch(`${control}/nothing`)).status).toBe(404);
      expect(await deliver('evt-gone')).toMatchObject({ status: 410, retryAfter: null });

      expect(await put('{}')).toMatchObject({ status: 200, json: { behaviour: {} } });
      expect(await deliver('evt-gone')).toMatchObject({ status: 200 });
      const seen = (await (await fetch(`${control}/deliveries`)).json()) as {
        deliveries: { webhookId: string; event: { data: { eventId: string } } }[];
        requests: { webhookId: string; status: number }[];
      };
      expect(seen.requests.map((r) => [r.webhookId, r.status])).toEqual([
        ['msg_evt-gone', 410],
        ['msg_evt-gone', 410],
        ['msg_evt-gone', 200],
      ]);
      expect(seen.deliveries.map((d) => [d.webhookId, d.event.data.eventId])).toEqual([['msg_evt-gone', 'evt-gone']]);
      // Back to what it did at start, acknowledgement included.
      await expect.poll(() => receiver.acks.map((a) => a.eventId), { timeout: 5_000 }).toEqual(['evt-gone']);
      expect(readLog(demo.payrollLogFile).map((l) => l.msg)).toEqual([
        'payroll receiver: behaviour changed',
        expect.stringContaining('delivery refused'),
        expect.stringContaining('delivery refused'),
        'payroll receiver: behaviour changed',
        'payroll receiver: event received',
      ]);

      // Playing busy once, with a Retry-After, then fine again.
      expect(await put('{"failWith": 503, "failTimes": 1, "retryAfterSeconds": 7}')).toMatchObject({ status: 200 });
      expect(await deliver('evt-busy')).toEqual({ status: 503, retryAfter: '7' });
      expect(await deliver('evt-busy')).toMatchObject({ status: 200 });
      expect(await (await fetch(`${control}/behaviour`)).json()).toMatchObject({ behaviour: {} });
    } finally {
      await demo.stop();
    }
  });

  it('announces the demo: demo.json for the console and the banner, both gone at stop', async () => {
    const config = { ...running.config, dataDir: tempDir() };
    const { demo, announced, receiver, payrollUrl } = await startWithExtras(config);
    const { info, banner } = announced!;
    expect(readDemoInfo(config.dataDir)).toEqual(info);
    expect(info).toMatchObject({
      slackUrl: running.slackUrl,
      slackStandInUrl: new URL(demo.slackStandIn!.apiUrl).origin,
      simulatorUrl: demo.simulator!.url,
      payrollReceiverUrl: payrollUrl,
      payrollReceiverControlUrl: receiver.controlUrl,
      sidecarUrl: running.sidecarUrl,
      pid: process.pid,
    });
    expect(banner).toContain(`Genesys simulator  ${demo.simulator!.url}`);
    expect(banner).toContain('Alice Anderson (alice, UALICE)');
    await demo.stop();
    expect(existsSync(demoInfoPath(config.dataDir))).toBe(false);
    await expect(fetch(info.payrollReceiverUrl!)).rejects.toThrow();
  });

  it('runs no receiver when PAYROLL_WEBHOOK_URL is set', async () => {
    const config = {
      ...running.config,
      dataDir: tempDir(),
      payroll: { ...running.config.payroll, url: 'http://127.0.0.1:9/payroll' },
    };
    const { demo, receiver, payrollUrl } = await startWithExtras(config);
    expect(receiver).toBeUndefined();
    expect(payrollUrl).toBe('http://127.0.0.1:9/payroll');
    await demo.stop();
  });
});
