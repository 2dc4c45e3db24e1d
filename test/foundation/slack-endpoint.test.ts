import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLACK_SIGNING_SECRET } from '../../src/demo/index.js';
import { type RunningApp, startTestApp } from '../support/app.js';
import { postSigned, postSlashCommand } from '../support/slack-request.js';

const secret = DEMO_SLACK_SIGNING_SECRET;

describe('POST /slack/events', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });

  const commandsHandled = () => running.logLines().filter((l) => l.msg === 'slash command').length;

  it('answers a signed help command with the ephemeral help text', async () => {
    const res = await postSlashCommand(running.slackUrl, { text: 'help', user_id: 'U0ALICE' }, { secret });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/agent-status &lt;status&gt; [reason');
    expect(body.text).toContain('handover &lt;team&gt;');
    expect(body.blocks.length).toBeGreaterThan(0);
  });

  it('rejects a wrong signature with 401 and handles no command', async () => {
    const before = commandsHandled();
    const res = await postSlashCommand(
      running.slackUrl,
      { text: 'help', user_id: 'U0ALICE' },
      { secret, signature: `v0=${'0'.repeat(64)}` },
    );
    expect(res.status).toBe(401);
    expect(commandsHandled()).toBe(before);
  });

  it('rejects a body signed with another secret', async () => {
    const res = await postSlashCommand(running.slackUrl, { text: 'help' }, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
  });

  it('rejects a timestamp older than 5 minutes even when correctly signed', async () => {
    const before = commandsHandled();
    const timestamp = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await postSlashCommand(running.slackUrl, { text: 'help' }, { secret, timestamp });
    expect(res.status).toBe(401);
    expect(commandsHandled()).toBe(before);
  });

  it('rejects a content type Slack never sends with a 4xx', async () => {
    const res = await postSigned(running.slackUrl, '<xml>help</xml>', { secret, contentType: 'application/xml' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('answers url_verification challenges (Events API set-up)', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    const res = await postSigned(running.slackUrl, body, { secret, contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('c-123');
  });
});
