/**
 * The local Slack console against the whole app running in-process (demo simulator, Slack stand-in): what a
 * newcomer types, and what the app's answers look like in the terminal.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackConsole, type SlackConsoleOptions } from '../../src/demo/console/session.js';
import { type RunningApp, startTestApp } from '../support/app.js';

let running: RunningApp;
let options: SlackConsoleOptions;

beforeAll(async () => {
  running = await startTestApp();
  options = {
    slackUrl: running.slackUrl,
    standInUrl: new URL(running.app.demo.slackStandIn!.apiUrl).origin,
    signingSecret: running.settings.slack.signingSecret,
    statePath: join(running.config.dataDir, 'slack-console.json'),
  };
});
afterAll(() => running.stop());

/** A fresh console process each time, as with consecutive `npm run slack` invocations sharing the state file. */
function slack(overrides: Partial<SlackConsoleOptions> = {}): SlackConsole {
  return new SlackConsole({ ...options, ...overrides });
}

const presenceOf = (email: string) => running.app.demo.simulator!.getAgentState(email).presenceLabel;

describe('the local Slack console', () => {
  it('sends a signed slash command and prints the answer', async () => {
    const out = await slack().run({ kind: 'slash', command: '/agent-status', text: 'help' }, 'alice');
    expect(out).toContain('┌─ answer (only you can see it)');
    expect(out).toContain('# agent-status help');
    expect(out).toContain('/agent-status <status> [reason…]');
  });

  it('remembers who is typing and shows the answer that comes later through response_url', async () => {
    await slack().run({ kind: 'as', who: 'alice@example.com' });
    const out = await slack().run({ kind: 'slash', command: '/agent-status', text: 'break coffee' });
    expect(out).toContain('┌─ reply (only you can see it)');
    expect(out).toMatch(/Break/);
    expect(presenceOf('alice@example.com')).toBe('Break');
    expect(running.app.demo.simulator!.getAgentState('alice@example.com').message).toBe('coffee');
  });

  it('fills in and submits the status modal, choosing from a menu that updates the modal first', async () => {
    const opened = await slack().run({ kind: 'slash', command: '/agent-status', text: '' }, 'Erin Evans');
    expect(opened).toContain('modal');
    expect(opened).toContain('Modal "Agent status"');
    expect(opened).toMatch(/New status: ⌄ Pick a status: .*Break/);

    const out = await slack().run({
      kind: 'submit',
      fields: [
        ['New status', 'Break'],
        ['reason', 'tea'],
      ],
    });
    expect(out).toContain('┌─ modal updated');
    expect(out).toContain('(•) Break');
    expect(out).toContain('(submitted "Agent status"; the modal closed)');
    expect(presenceOf('erin@example.com')).toBe('Break');
    expect(running.app.demo.simulator!.getAgentState('erin@example.com').message).toBe('tea');
  });

  it('refuses to submit a modal with a required field left empty, as Slack would', async () => {
    await slack().run({ kind: 'slash', command: '/agent-status', text: '' }, 'heidi');
    await expect(slack().run({ kind: 'submit', fields: [] })).rejects.toThrow(
      'Slack would not submit yet: "New status" required',
    );
  });

  it('shows a conflict and presses "Apply anyway"', async () => {
    await slack().run({ kind: 'slash', command: '/agent-status', text: '' }, 'frank');
    // Someone changes Frank's status in Genesys while his modal is open.
    running.app.demo.simulator!.setAgentPresence('frank@example.com', 'Busy');
    const conflict = await slack().run({ kind: 'submit', fields: [['status', 'meeting']] });
    expect(conflict).toContain('[Apply anyway] [Keep current] [Refresh]');
    expect(presenceOf('frank@example.com')).toBe('Busy');

    const applied = await slack().run({ kind: 'click', label: 'apply anyway' });
    expect(applied).toMatch(/Meeting/);
    expect(presenceOf('frank@example.com')).toBe('Meeting');
  });

  it('opens the App Home', async () => {
    const out = await slack().run({ kind: 'home' }, 'grace');
    expect(out).toContain('┌─ App Home');
  });

  it('says so when the signing secret is wrong, and when a button does not exist', async () => {
    const out = await slack({ signingSecret: 'not-the-secret' }).run(
      { kind: 'slash', command: '/agent-status', text: 'help' },
      'ivan',
    );
    expect(out).toContain('the app answered HTTP 401');
    await expect(slack().run({ kind: 'click', label: 'Launch rockets' })).rejects.toThrow(
      /no button "Launch rockets"|has no buttons/,
    );
    await expect(slack().run({ kind: 'as', who: 'nobody-here' })).rejects.toThrow('no demo user "nobody-here"');
  });
});
