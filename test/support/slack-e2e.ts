/**
 * Drives the running app as Slack would: signed slash commands, block actions and view submissions, with
 * `response_url` pointing at the Slack stand-in so answers can be read back.
 */
import { randomUUID } from 'node:crypto';
import { demoSlackId } from '../../src/app.js';
import type { RunningApp } from './app.js';
import { postSigned, postSlashCommand } from './slack-request.js';

/** The demo Slack user id of a simulator user, e.g. `alice@example.com` → `UALICE`. */
export const slackIdOf = demoSlackId;

export interface CommandResult {
  status: number;
  /** The immediate HTTP answer (the ack), parsed when it is JSON. */
  body: unknown;
  responseUrl: string;
  triggerId: string;
}

export async function command(running: RunningApp, asEmail: string, text: string): Promise<CommandResult> {
  const standIn = running.app.slackStandIn!;
  const responseUrl = `${standIn.responseUrlBase}${randomUUID()}`;
  const triggerId = `trigger-${randomUUID()}`;
  const res = await postSlashCommand(
    running.slackUrl,
    {
      text,
      user_id: slackIdOf(asEmail),
      user_name: asEmail.split('@')[0]!,
      response_url: responseUrl,
      trigger_id: triggerId,
    },
    { secret: running.config.slack.signingSecret },
  );
  const raw = await res.text();
  return { status: res.status, body: raw.startsWith('{') ? JSON.parse(raw) : raw, responseUrl, triggerId };
}

/** Posts an interactivity payload (block_actions, view_submission, …) form-encoded as `payload=`. */
export async function interact(running: RunningApp, payload: Record<string, unknown>): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(running.slackUrl, body, { secret: running.config.slack.signingSecret });
}

/** Waits for the `response_url` posts made for one command/action and returns their bodies. */
export async function responses(
  running: RunningApp,
  responseUrl: string,
  count = 1,
): Promise<Record<string, unknown>[]> {
  const standIn = running.app.slackStandIn!;
  const path = new URL(responseUrl).pathname;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = standIn.callsTo('response_url').filter((c) => c.args.path === path);
    if (found.length >= count) return found.map((c) => c.args);
    if (Date.now() > deadline) throw new Error(`expected ${count} response(s) on ${path}, saw ${found.length}`);
    await standIn
      .waitForCalls('response_url', standIn.callsTo('response_url').length + 1, deadline - Date.now())
      .catch(() => {});
  }
}
