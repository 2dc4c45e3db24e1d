import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLACK_SIGNING_SECRET } from '../../src/demo/index.js';
import { type SpawnedApp, spawnApp, tempDir } from '../support/process.js';
import { postSigned, postSlashCommand } from '../support/slack-request.js';
import { waitFor } from '../support/wait.js';

const secret = DEMO_SLACK_SIGNING_SECRET;

/** Requests that once threw inside Bolt's receiver and ended the process. */
const MALFORMED: [string, string, string][] = [
  [
    'an interaction whose payload is null',
    `payload=${encodeURIComponent('null')}`,
    'application/x-www-form-urlencoded',
  ],
  ['an interaction whose payload is a number', 'payload=42', 'application/x-www-form-urlencoded'],
  ['an interaction whose payload is not JSON', 'payload=%7Bnope', 'application/x-www-form-urlencoded'],
  ['a JSON body that is null', 'null', 'application/json'],
  ['a JSON body that is a string', '"hello"', 'application/json'],
  ['an event without its event', JSON.stringify({ type: 'event_callback' }), 'application/json'],
];

// The last test reads the log the ones before it produced, so they never run shuffled.
describe('a real app process and malformed signed requests', { shuffle: false }, () => {
  let proc: SpawnedApp;
  let url: string;
  beforeAll(async () => {
    const dir = tempDir();
    proc = spawnApp({ PORT: '0', SIDECAR_PORT: '0', STORE_URL: `sqlite:${dir}/db.sqlite`, DATA_DIR: dir });
    const started = await proc.waitForLog('agent-status started');
    url = `http://127.0.0.1:${started.slackPort as number}/slack/events`;
  });
  afterAll(async () => {
    proc.child.kill('SIGTERM');
    await proc.exited;
  });

  it.each(MALFORMED)('answers %s with a short 4xx and keeps serving', async (_what, body, contentType) => {
    const res = await postSigned(url, body, { secret, contentType });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(200);
    expect(text).not.toMatch(/\n\s+at /);
    const help = await postSlashCommand(url, { text: 'help', user_id: 'UALICE' }, { secret });
    expect(help.status).toBe(200);
    expect(proc.child.exitCode).toBeNull();
  });

  it('logs each refusal once, without a stack', async () => {
    const refusals = () =>
      proc
        .stdout()
        .split('\n')
        .filter((line) => line.includes('refused a Slack request'));
    // The app answered every request, but its log lines reach this process through a pipe, later.
    await waitFor(() => refusals().length >= MALFORMED.length, { what: 'a log line for each refusal' });
    expect(refusals()).toHaveLength(MALFORMED.length);
    for (const line of refusals()) expect(line).not.toContain('"stack"');
  });
});
