/**
 * `/agent-status payroll` end to end. Dead events are made by marking real outbox entries dead through a second
 * handle on the app's SQLite file (the demo has no payroll endpoint, so entries otherwise stay pending).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';

type Args = Record<string, unknown>;

const { running, command, responses, pressInMessage } = withDemoApp();

let store: SqliteStore;
beforeAll(() => {
  store = openSqliteStore(running().config.storePath);
});
afterAll(async () => {
  await store.close();
});

async function ask(email: string, text: string): Promise<Args> {
  const [answer] = await responses((await command(slackIdOf(email), text)).responseUrl);
  return answer!;
}

const press = (email: string, actionId: string, value?: string) =>
  pressInMessage(slackIdOf(email), actionId, value, { id: 'C0DEMO', name: 'general' });

/** An applied change through the app, whose payroll event is then marked dead; returns the event id. */
async function deadEventFor(email: string, status: string): Promise<string> {
  const known = new Set((await store.outbox.list()).map((e) => e.eventId));
  const answer = await ask(email, status);
  expect(JSON.stringify(answer.blocks)).toContain(':white_check_mark:');
  const entry = (await store.outbox.list()).find((e) => !known.has(e.eventId));
  expect(entry).toBeDefined();
  await store.outbox.markDead(entry!.eventId, 'HTTP 500 from the payroll endpoint');
  return entry!.eventId;
}

const shown = (message: Args) => JSON.stringify(message.blocks ?? message.text);
const ada = 'ada.admin@example.com';

describe('/agent-status payroll', () => {
  it('refuses a non-admin, naming the admins', async () => {
    const answer = await ask('alice@example.com', 'payroll');
    expect(shown(answer)).toContain('Only admins can see and replay payroll deliveries. Ask ada.admin@example.com.');
  });

  it('shows an admin the counts and the dead events; Replay queues one again', async () => {
    const eventId = await deadEventFor('carol@example.com', 'busy');
    const view = await ask(ada, 'payroll');
    expect(shown(view)).toContain('Payroll webhooks');
    expect(shown(view)).toMatch(/\*Dead\*\\n[1-9]/);
    expect(shown(view)).toContain(eventId);
    expect(shown(view)).toContain('carol@example.com');
    expect(shown(view)).toContain('Available → Busy');
    expect(shown(view)).toContain('HTTP 500 from the payroll endpoint');

    const replayed = await press(ada, 'payroll_replay', eventId);
    expect(replayed.replace_original).toBe(true);
    expect(shown(replayed)).toContain(`Event \`${eventId}\` is queued for delivery again.`);
    expect(shown(replayed)).not.toContain(`\`${eventId}\` · carol`);
    expect((await store.outbox.list()).find((e) => e.eventId === eventId)?.state).toBe('pending');

    const twice = await press(ada, 'payroll_replay', eventId);
    expect(shown(twice)).toContain('is no longer dead; nothing to replay');
  });

  it('re-checks admin rights on every click', async () => {
    const eventId = await deadEventFor('erin@example.com', 'busy');
    const refused = await press('erin@example.com', 'payroll_replay', eventId);
    expect(refused.replace_original).toBe(false);
    expect(shown(refused)).toContain('Only admins can see and replay payroll deliveries');
    expect((await store.outbox.list()).find((e) => e.eventId === eventId)?.state).toBe('dead');
    await press(ada, 'payroll_replay_all_dead');
  });

  it('Replay all dead queues every dead event again', async () => {
    const first = await deadEventFor('heidi@example.com', 'busy');
    const second = await deadEventFor('ivan@example.com', 'busy');
    const replayed = await press(ada, 'payroll_replay_all_dead');
    expect(shown(replayed)).toContain('2 dead events are queued for delivery again.');
    expect(shown(replayed)).toMatch(/\*Dead\*\\n0/);
    const states = (await store.outbox.list()).filter((e) => e.eventId === first || e.eventId === second);
    expect(states.map((e) => e.state)).toEqual(['pending', 'pending']);
  });
});
