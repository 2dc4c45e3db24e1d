import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSidecar, listen } from '../../src/http/sidecar.js';
import { createPipelineMetrics, createRegistry } from '../../src/obs/metrics.js';
import { type RunningApp, startTestApp } from '../support/app.js';

describe('sidecar of the running app', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });

  it('serves Prometheus text with the tutorial metrics and process metrics', async () => {
    const res = await fetch(`${running.sidecarUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE genesys_state_update_latency_seconds histogram');
    expect(text).toContain('# TYPE genesys_validation_errors_total counter');
    expect(text).toContain('# TYPE agent_status_transitions_total counter');
    expect(text).toContain('process_cpu_seconds_total');
    for (const name of ['channel_live', 'events_total', 'mirror_lag_seconds', 'resyncs_total']) {
      expect(text).toContain(`agent_status_presence_${name}`);
    }
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${running.sidecarUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('lists each dependency on /readyz', async () => {
    const res = await fetch(`${running.sidecarUrl}/readyz`);
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(res.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(Object.keys(body.checks).sort()).toEqual(['genesys', 'store']);
    for (const check of Object.values(body.checks)) expect(check.status).toBe('up');
  });

  it('says on /readyz whether the notification channel is live, without making readiness depend on it', async () => {
    const res = await fetch(`${running.sidecarUrl}/readyz`);
    const body = (await res.json()) as { status: string; presenceChannel: Record<string, unknown> };
    expect(res.status).toBe(200);
    expect(body.presenceChannel).toEqual({
      live: expect.any(Boolean),
      channels: expect.any(Number),
      liveChannels: expect.any(Number),
      agents: expect.any(Number),
      coveredAgents: expect.any(Number),
    });
  });
});

describe('/readyz when a dependency is down', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const registry = createRegistry();
    createPipelineMetrics(registry);
    const app = createSidecar({
      registry,
      logger: pino({ level: 'silent' }),
      checkTimeoutMs: 200,
      checks: [
        { name: 'store', check: async () => {} },
        {
          name: 'genesys',
          check: async () => {
            throw new Error('Genesys rejected the OAuth client credentials for mypurecloud.ie');
          },
        },
        { name: 'slow', check: () => new Promise(() => {}) },
      ],
    });
    server = await listen(app, 0, '127.0.0.1');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 503 naming the dependency and why, and times out a hanging check', async () => {
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not ready',
      checks: {
        store: { status: 'up' },
        genesys: { status: 'down', error: 'Genesys rejected the OAuth client credentials for mypurecloud.ie' },
        slow: { status: 'down', error: 'no answer within 200 ms' },
      },
    });
  });

  it('answers 404 as JSON for unknown paths', async () => {
    const res = await fetch(`${url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});
