import { RespondError } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { RESPOND_RETRY_DELAYS_MS, respondWithRetries } from '../../src/slack/respond-retry.js';

/** A `response_url` post that fails with each of `failures` in turn, then succeeds; waits are counted, not taken. */
function flaky(failures: unknown[]) {
  const waits: number[] = [];
  let calls = 0;
  const post = async () => {
    calls += 1;
    const failure = failures[calls - 1];
    if (failure !== undefined) throw failure;
    return 'posted';
  };
  const run = () => respondWithRetries(post, { sleep: async (ms) => void waits.push(ms) });
  return { run, calls: () => calls, waits };
}

const status = (code: number) => new RespondError(`Failed to respond to the response_url: ${code}`, code);

describe('response_url posts', () => {
  it.each([
    ['a network error', new TypeError('fetch failed')],
    ['a 500', status(500)],
    ['a 503', status(503)],
    ['a 429', status(429)],
  ])('are tried again after %s', async (_what, failure) => {
    const post = flaky([failure, failure]);
    expect(await post.run()).toBe('posted');
    expect(post.calls()).toBe(3);
    expect(post.waits).toEqual([...RESPOND_RETRY_DELAYS_MS]);
  });

  it('give up after three tries with the last failure', async () => {
    const post = flaky([status(500), status(502), status(504), status(500)]);
    await expect(post.run()).rejects.toMatchObject({ statusCode: 504 });
    expect(post.calls()).toBe(3);
  });

  it.each([404, 410, 400])('are not tried again after a %i (the URL expired or was used up)', async (code) => {
    const post = flaky([status(code)]);
    await expect(post.run()).rejects.toMatchObject({ statusCode: code });
    expect(post.calls()).toBe(1);
    expect(post.waits).toEqual([]);
  });
});
