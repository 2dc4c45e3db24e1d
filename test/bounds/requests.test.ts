/**
 * Malformed, oversized and badly dated requests against the running app (signed HTTP into the Slack endpoint
 * and the sidecar): each gets a short 4xx, changes nothing and leaves no stack in the log.
 */
import { describe, expect, it } from 'vitest';
import { createWebhook, signHeaders } from '../../src/payroll/webhook.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { webhookIdFor } from '../../src/store/sqlite-outbox.js';
import { interactionFrom, slackIdOf, withDemoApp } from '../support/slack-e2e.js';
import { postSigned, postSlashCommand } from '../support/slack-request.js';

const { running, standIn, command, interact, responses } = withDemoApp();

const secret = () => running().settings.slack.signingSecret;
const stacksLogged = () =>
  running()
    .logLines()
    .filter((l) => JSON.stringify(l).includes('"stack"')).length;
const commandsHandled = () =>
  running()
    .logLines()
    .filter((l) => l.msg === 'slash command').length;

describe('the Slack endpoint refuses what Slack never sends', () => {
  it('refuses a correctly signed request dated more than 5 minutes ahead, like a stale one', async () => {
    const before = commandsHandled();
    for (const offset of [6 * 60, -6 * 60]) {
      const timestamp = Math.floor(Date.now() / 1000) + offset;
      const res = await postSlashCommand(running().slackUrl, { text: 'help' }, { secret: secret(), timestamp });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('timestamp more than 5 minutes from now');
    }
    expect(commandsHandled()).toBe(before);
  });

  it('accepts a request dated a little ahead (clock skew within the window)', async () => {
    const timestamp = Math.floor(Date.now() / 1000) + 60;
    const fields = { text: 'help', user_id: slackIdOf('alice@example.com') };
    const res = await postSlashCommand(running().slackUrl, fields, { secret: secret(), timestamp });
    expect(res.status).toBe(200);
  });

  it('refuses a body over the size limit with 413 before reading it all', async () => {
    const res = await postSlashCommand(running().slackUrl, { text: 'x'.repeat(600 * 1024) }, { secret: secret() });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('request body larger than 512 KB\n');
  });

  it.each([
    ['a user id that is a number', { user: { id: 42 } }],
    ['a button value that is an object', { actions: [{ type: 'button', action_id: 'x', value: { a: 1 } }] }],
    ['no actions', { actions: [] }],
    ['a view without blocks', { view: { id: 'V1', type: 'home' } }],
    [
      'a button value over 2 000 characters',
      { actions: [{ type: 'button', action_id: 'x', value: 'v'.repeat(2001) }] },
    ],
  ])('answers a block action with %s with a 400 naming the field, and no stack', async (_what, fields) => {
    const stacks = stacksLogged();
    const responseUrl = `${standIn().responseUrlBase}refused`;
    const res = await interact({
      ...interactionFrom('block_actions', slackIdOf('alice@example.com')),
      response_url: responseUrl,
      actions: [{ type: 'button', action_id: 'home_set_status', value: 'break', action_ts: '1.1' }],
      ...fields,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^malformed interaction payload: \S+/);
    expect(standIn().callsTo('response_url')).not.toContainEqual(
      expect.objectContaining({ args: expect.objectContaining({ path: '/response/refused' }) }),
    );
    expect(stacksLogged()).toBe(stacks);
  });

  it.each([
    ['without its view', {}],
    [
      'whose view has no blocks',
      { view: { id: 'V1', type: 'modal', callback_id: 'status_modal', state: { values: {} } } },
    ],
    [
      'with a text field that is a number',
      {
        view: {
          id: 'V1',
          type: 'modal',
          callback_id: 'status_modal',
          blocks: [],
          state: { values: { reason: { reason: { type: 'plain_text_input', value: 7 } } } },
        },
      },
    ],
  ])('answers a view submission %s with a 400 and no stack', async (_what, fields) => {
    const stacks = stacksLogged();
    const res = await interact({ ...interactionFrom('view_submission', slackIdOf('alice@example.com')), ...fields });
    expect(res.status).toBe(400);
    expect((await res.text()).length).toBeLessThan(200);
    expect(stacksLogged()).toBe(stacks);
  });

  it('answers 404 and 405 to other paths and methods, in plain text', async () => {
    const other = await fetch(running().slackUrl.replace('/slack/events', '/other'), { method: 'POST' });
    expect([other.status, await other.text()]).toEqual([404, 'not found\n']);
    const get = await fetch(running().slackUrl);
    expect([get.status, await get.text()]).toEqual([405, 'only POST is accepted\n']);
  });

  it('still answers ssl_check probes, which Slack sends unsigned', async () => {
    const res = await fetch(running().slackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ssl_check=1&token=x',
    });
    expect(res.status).toBe(200);
  });

  it('refuses an unsigned request with 401 in plain text', async () => {
    const res = await postSigned(running().slackUrl, 'text=help', { secret: secret(), signature: 'nope' });
    expect([res.status, await res.text()]).toEqual([401, 'signature check failed: missing or malformed signature\n']);
  });
});

describe('the sidecar answers every error as small JSON', () => {
  const ackUrl = () => `${running().sidecarUrl}/webhooks/payroll/ack`;
  const webhook = () => createWebhook(running().settings.payroll.secret);
  let acks = 0;
  const signedAck = (body: string) => signHeaders(webhook(), `msg_bounds_${++acks}`, body);
  const postAck = (body: string, headers: Record<string, string>) =>
    fetch(ackUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  async function expectSmallJson(res: Response, status: number, error: RegExp) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    expect(text.length).toBeLessThan(300);
    expect(text).not.toMatch(/\bat \S+ \(|node_modules|\/work\//);
    expect(String((JSON.parse(text) as { error: unknown }).error)).toMatch(error);
  }

  it('answers a body over 16 KB with 413 JSON, not an HTML page with a stack', async () => {
    const body = JSON.stringify({ eventId: 'e', status: 'processed', message: 'x'.repeat(100 * 1024) });
    await expectSmallJson(await postAck(body, signedAck(body)), 413, /larger than 16384 bytes/);
  });

  it('answers a content type other than JSON with 415', async () => {
    const body = 'eventId=e';
    const res = await fetch(ackUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedAck(body) },
      body,
    });
    await expectSmallJson(res, 415, /application\/json/);
  });

  it('answers malformed JSON with 400 and unknown routes with 404', async () => {
    await expectSmallJson(await postAck('{"eventId":', signedAck('{"eventId":')), 400, /not JSON/);
    await expectSmallJson(await fetch(`${running().sidecarUrl}/nope`), 404, /not found/);
    await expectSmallJson(await fetch(ackUrl()), 404, /not found/);
  });

  it("keeps an event's first final answer: a later signed rejection gets 409 and changes nothing", async () => {
    const res = await command(slackIdOf('frank@example.com'), 'break');
    await responses(res.responseUrl);
    const store = openSqliteStore(running().config.storePath);
    try {
      const event = (await store.outbox.list()).find((e) => e.event.data.email === 'frank@example.com');
      expect(event?.webhookId).toBe(webhookIdFor(event!.eventId));
      const processed = JSON.stringify({ eventId: event!.eventId, status: 'processed' });
      expect((await postAck(processed, signedAck(processed))).status).toBe(200);
      const rejected = JSON.stringify({ eventId: event!.eventId, status: 'rejected', message: 'changed my mind' });
      await expectSmallJson(await postAck(rejected, signedAck(rejected)), 409, /already has the other final answer/);
      const after = (await store.outbox.list()).find((e) => e.eventId === event!.eventId);
      expect(after).toMatchObject({ state: 'acknowledged' });
      expect(after?.lastError).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
