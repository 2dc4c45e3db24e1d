/**
 * Input bounds and Slack escaping through the running app: signed slash commands in, what Genesys (the
 * simulator) and the payroll outbox then hold.
 */
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';

const { running, simulator, command, responses } = withDemoApp();

/** Runs a command and returns its ack text and its answer as searchable text. */
async function ask(email: string, text: string): Promise<{ ack: string; answer: string }> {
  const result = await command(slackIdOf(email), text);
  const ack = JSON.stringify(result.body);
  if (!ack.includes('⏳')) return { ack, answer: '' };
  const [answer] = await responses(result.responseUrl);
  return { ack, answer: JSON.stringify(answer) };
}

const writesFor = (email: string) => {
  const id = simulator().getAgentState(email).userId;
  return simulator()
    .requests({ method: 'PATCH' })
    .filter((r) => r.path.includes(id)).length;
};

describe('input bounds through the running app', () => {
  it('undoes Slack’s HTML escapes once: "R&D" reaches Genesys and payroll as typed', async () => {
    // Slack escapes what the person typed: "busy R&D <sync>" arrives as below.
    const { answer } = await ask('grace@example.com', 'busy R&amp;D &lt;sync&gt;');
    expect(answer).toContain('Your status: On Queue → Busy');
    expect(simulator().getAgentState('grace@example.com')).toMatchObject({
      presenceLabel: 'Busy',
      message: 'R&D <sync>',
    });
    const store = openSqliteStore(running().config.storePath);
    try {
      const event = (await store.outbox.list()).find((e) => e.event.data.email === 'grace@example.com');
      expect(event?.event.data.reason).toBe('R&D <sync>');
    } finally {
      await store.close();
    }
  });

  it('refuses a 40 KB status word at once, naming the limit, without touching Genesys', async () => {
    const before = writesFor('heidi@example.com');
    const { ack } = await ask('heidi@example.com', 'b'.repeat(40_000));
    expect(ack).toContain('a command can be at most 1000 characters; this one has 40000');
    expect(writesFor('heidi@example.com')).toBe(before);
  });

  it('refuses a reason longer than Genesys’s presence message takes, naming the limit', async () => {
    const before = simulator().getAgentState('ivan@example.com');
    const { answer } = await ask('ivan@example.com', `busy ${'r'.repeat(201)}`);
    expect(answer).toContain('A reason can be at most 200 characters');
    expect(simulator().getAgentState('ivan@example.com')).toEqual(before);
  });

  it('refuses a reason given to a status that takes none instead of dropping it silently', async () => {
    const before = simulator().getAgentState('frank@example.com');
    const { answer } = await ask('frank@example.com', 'meeting with the team');
    expect(answer).toContain('Meeting takes no reason: send it again without \\"with the team\\"');
    expect(simulator().getAgentState('frank@example.com')).toEqual(before);
  });
});
