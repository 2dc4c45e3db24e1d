import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/demo/slack-web-api.js';

let standIn: SlackStandIn;
let base: string;

beforeEach(async () => {
  standIn = await startSlackStandIn({ users: [{ id: 'UALICE', name: 'Alice Anderson', email: 'alice@example.com' }] });
  base = new URL(standIn.apiUrl).origin;
});
afterEach(() => standIn.close());

function post(method: string, body: Record<string, unknown>) {
  return fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-test' },
    body: JSON.stringify(body),
  });
}

async function list(query: string) {
  const res = await fetch(`${base}/__standin/calls${query}`);
  return { status: res.status, body: (await res.json()) as { calls: Record<string, unknown>[]; next: number } };
}

describe('the Slack stand-in control API', () => {
  it('lists recorded calls after an index, with the answer each got, and does not record itself', async () => {
    await post('chat.postMessage', { channel: 'C1', text: 'hello' });
    await post('views.open', { trigger_id: 't1', view: { type: 'modal', blocks: [] } });
    await fetch(`${base}/response/abc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"hi"}',
    });

    const all = await list('?since=0');
    expect(all.status).toBe(200);
    expect(all.body.next).toBe(3);
    expect(all.body.calls.map((c) => [c.index, c.method])).toEqual([
      [0, 'chat.postMessage'],
      [1, 'views.open'],
      [2, 'response_url'],
    ]);
    expect(all.body.calls[0]).toMatchObject({
      args: { channel: 'C1', text: 'hello' },
      result: { ok: true, channel: 'C1' },
    });
    // The id views.open answered with is what later views.update calls and payloads refer to.
    const viewId = (all.body.calls[1]!.result as { view: { id: string } }).view.id;
    expect(viewId).toMatch(/^V[0-9A-F]{8}$/);
    expect(all.body.calls[2]).toMatchObject({ args: { text: 'hi', path: '/response/abc' } });
    expect(all.body.calls[2]).not.toHaveProperty('result');

    expect((await list('?since=2')).body.calls.map((c) => c.index)).toEqual([2]);
    expect(await list(`?since=${Number.MAX_SAFE_INTEGER}`)).toEqual({ status: 200, body: { calls: [], next: 3 } });
    expect(standIn.calls).toHaveLength(3);
  });

  it('records a failure answer too', async () => {
    standIn.failNext('chat.postEphemeral', 'channel_not_found');
    await post('chat.postEphemeral', { channel: 'C1', user: 'UALICE', text: 'x' });
    expect((await list('?since=0')).body.calls[0]).toMatchObject({ result: { ok: false, error: 'channel_not_found' } });
  });

  it('long-polls: a listing with wait answers as soon as a new call arrives', async () => {
    const pending = list('?since=0&wait=20000');
    await post('chat.postMessage', { channel: 'C1', text: 'late' });
    const { body } = await pending;
    expect(body.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
  });

  it('answers an empty listing when nothing arrives within the wait', async () => {
    expect(await list('?since=0&wait=50')).toEqual({ status: 200, body: { calls: [], next: 0 } });
  });

  it('lists users and refuses bad parameters or paths', async () => {
    const users = await fetch(`${base}/__standin/users`);
    expect(await users.json()).toEqual({
      users: [{ id: 'UALICE', name: 'Alice Anderson', email: 'alice@example.com' }],
    });
    expect((await list('?since=-1')).status).toBe(400);
    expect((await list('?since=abc')).status).toBe(400);
    expect((await fetch(`${base}/__standin/nothing`)).status).toBe(404);
  });
});
