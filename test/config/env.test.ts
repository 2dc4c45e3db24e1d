import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { genesysRegionProblem } from '../../src/genesys/region.js';

const SECRET = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0';

function errorsOf(env: Record<string, string>): string[] {
  const result = loadConfig(env, { genesysRegionProblem });
  return result.ok ? [] : result.errors;
}

describe('loadConfig', () => {
  it('runs the embedded demo with no settings at all', () => {
    const result = loadConfig({});
    expect(result.ok && result.config).toMatchObject({
      port: 3000,
      sidecarPort: 9464,
      demo: true,
      storePath: './data/agent-status.db',
      // Left to the embedded demo, which has public secrets of its own (test/demo/start.test.ts).
      slack: { signingSecret: undefined, botToken: undefined },
      payroll: { secret: undefined, url: undefined },
      logFormat: 'json',
    });
  });

  it('reads the payroll schedule and acknowledgement window as durations', () => {
    const result = loadConfig({ PAYROLL_RETRY_SCHEDULE: '500ms, 5s,30m,2h', PAYROLL_ACK_WINDOW: '15m' });
    expect(result.ok && result.config.payroll).toMatchObject({
      retrySchedule: [500, 5_000, 1_800_000, 7_200_000],
      ackWindowMs: 900_000,
    });
  });

  it('takes WEBHOOK_ENDPOINT as an alias of PAYROLL_WEBHOOK_URL', () => {
    const result = loadConfig({ WEBHOOK_ENDPOINT: 'https://payroll.example.com/hook' });
    expect(result.ok && result.config.payroll.url).toBe('https://payroll.example.com/hook');
  });

  it('accepts a real Genesys and Slack set-up', () => {
    const result = loadConfig({
      GENESYS_CLIENT_ID: 'id',
      GENESYS_CLIENT_SECRET: 'secret',
      GENESYS_REGION: 'eu-west-1',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'signing',
      PAYROLL_WEBHOOK_URL: 'https://payroll.example.com/hook',
      PAYROLL_WEBHOOK_SECRET: SECRET,
    });
    expect(result.ok && result.config).toMatchObject({ demo: false, genesys: { region: 'eu-west-1' } });
  });

  it.each([
    [{ PAYROLL_RETRY_SCHEDULE: '5s,soon' }, 'PAYROLL_RETRY_SCHEDULE.1: expected a duration such as 5s, 30m or 2h'],
    [{ PAYROLL_ACK_WINDOW: '10' }, 'PAYROLL_ACK_WINDOW: expected a duration such as 5s, 30m or 2h'],
    [{ SIDECAR_PORT: '70000' }, 'SIDECAR_PORT: expected a port between 0 and 65535'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL:'],
    [{ STORE_URL: 'redis://localhost' }, 'STORE_URL: expected sqlite:<path>'],
    [{ PAYROLL_WEBHOOK_SECRET: 'plain' }, 'PAYROLL_WEBHOOK_SECRET: expected a Standard Webhooks secret'],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN'],
    [{ GENESYS_CLIENT_SECRET: 's' }, 'GENESYS_CLIENT_ID: required when GENESYS_CLIENT_SECRET is set'],
    [
      { GENESYS_CLIENT_ID: 'i', GENESYS_CLIENT_SECRET: 's', GENESYS_REGION: 'eu-west-9' },
      'GENESYS_REGION: unknown Genesys Cloud region; use a domain or region name: us-east-1 (mypurecloud.com), ',
    ],
    [
      { PAYROLL_WEBHOOK_URL: 'https://a.example.com', WEBHOOK_ENDPOINT: 'https://b.example.com' },
      'WEBHOOK_ENDPOINT: contradicts PAYROLL_WEBHOOK_URL',
    ],
    [
      {
        GENESYS_CLIENT_ID: 'i',
        GENESYS_CLIENT_SECRET: 's',
        GENESYS_REGION: 'eu-west-1',
        PAYROLL_WEBHOOK_URL: 'https://a.example.com',
      },
      'PAYROLL_WEBHOOK_SECRET: required with PAYROLL_WEBHOOK_URL',
    ],
    [
      { PAYROLL_WEBHOK_URL: 'https://a.example.com' },
      'PAYROLL_WEBHOK_URL: unknown variable (did you mean PAYROLL_WEBHOOK_URL?)',
    ],
  ])('refuses %j', (env, expected) => {
    const errors = errorsOf(env);
    expect(
      errors.some((line) => line.startsWith(expected)),
      errors.join('\n'),
    ).toBe(true);
  });

  it('treats an empty assignment as unset and ignores variables of other programs', () => {
    expect(errorsOf({ PORT: '', HOME: '/root', NODE_OPTIONS: '--x' })).toEqual([]);
  });
});
