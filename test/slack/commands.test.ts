import { readFileSync } from 'node:fs';
/**
 * `/agent-status` end to end: signed slash commands into the running app (demo Genesys simulator and Slack
 * stand-in), answers read back from the stand-in's `response_url` log.
 */
import { describe, expect, it } from 'vitest';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';

type Message = Record<string, unknown>;

const { running, simulator, standIn, command, responses, publishesFor, until } = withDemoApp();

/** Runs a command and returns its ack body and its (first) answer, flattened to searchable text. */
async function ask(email: string, text: string): Promise<{ ack: Message; answer: Message; shown: string }> {
  const result = await command(slackIdOf(email), text);
  const [answer] = await responses(result.responseUrl, 1, 20_000);
  return { ack: result.body as Message, answer: answer!, shown: JSON.stringify(answer!.blocks ?? answer!.text) };
}

async function ackOnly(email: string, text: string): Promise<{ text: string; shown: string }> {
  const body = (await command(slackIdOf(email), text)).body as Message;
  return { text: String(body.text), shown: JSON.stringify(body.blocks) };
}

describe('/agent-status grammar and errors', () => {
  it('answers help in the ack', async () => {
    const { text, shown } = await ackOnly('carol@example.com', 'HELP');
    expect(text).toContain('/agent-status &lt;status&gt; [reason');
    expect(shown).toContain('`brb`');
  });

  it.each([
    ['history bob', 'use `history` or `history @user`'],
    ['@bob break', "pick the person from Slack's @-menu"],
    ['undo now', 'undo takes no arguments'],
    ['handover', 'use `handover <team>`'],
    ['shwo', 'Did you mean `show`?'],
  ])('answers the malformed command "%s" in the ack, with the grammar hint', async (typed, expected) => {
    const { text, shown } = await ackOnly('carol@example.com', typed);
    expect(text).toContain(expected);
    expect(shown).toContain('show [@user|&lt;team&gt;]');
  });

  it('changes my own status with a reason: "⏳" ack first, then the outcome', async () => {
    const { ack, answer, shown } = await ask('carol@example.com', 'busy on a call');
    expect(ack).toMatchObject({ response_type: 'ephemeral', text: '⏳ Changing your status…' });
    expect(answer.response_type).toBe('ephemeral');
    expect(shown).toContain('Your status: *Available* → *Busy*');
    expect(simulator().getAgentState('carol@example.com')).toMatchObject({
      presenceLabel: 'Busy',
      message: 'on a call',
    });
  });

  it('takes a multi-word status and an alias', async () => {
    expect((await ask('carol@example.com', 'On Queue')).shown).toContain('*Available* → *On Queue*');
    expect((await ask('erin@example.com', 'brb coffee')).shown).toContain('*Available* → *Break*');
    expect(simulator().getAgentState('erin@example.com').message).toBe('coffee');
  });

  it('answers an unknown status with the pipeline\'s "did you mean"', async () => {
    const { shown } = await ask('carol@example.com', 'brek');
    expect(shown).toContain('Unknown status \\"brek\\". Did you mean break?');
    expect(shown).toContain('Try: `break`');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Available');
  });

  it('refuses a status that needs a reason when none is given', async () => {
    const { shown } = await ask('carol@example.com', 'away');
    expect(shown).toContain('Not changed: Away needs a reason. Choose doctor, personal or it-issue.');
  });

  it('refuses a change past a team cap, naming who holds the slots', async () => {
    simulator().setAgentPresence('alice@example.com', 'Break');
    simulator().setAgentPresence('bob@example.com', 'Break');
    const { shown } = await ask('carol@example.com', 'break');
    expect(shown).toContain('Billing already has 2 of 2 on Break: alice@example.com, bob@example.com');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Available');
  });

  it("refuses an agent changing someone else's status", async () => {
    const { ack, shown } = await ask('alice@example.com', `<@${slackIdOf('frank@example.com')}|frank> break`);
    expect(ack.text).toBe(`⏳ Changing <@${slackIdOf('frank@example.com')}>'s status…`);
    expect(shown).toContain('Not changed: You can only change your own status.');
    expect(shown).toContain('sue.lead@example.com');
    expect(simulator().getAgentState('frank@example.com').presenceLabel).toBe('On Queue');
  });

  it('lets a supervisor change a member of their team and refreshes both Home tabs', async () => {
    const sam = slackIdOf('sam.super@example.com');
    const alice = slackIdOf('alice@example.com');
    const before = { sam: publishesFor(sam).length, alice: publishesFor(alice).length };
    const { shown } = await ask('sam.super@example.com', `<@${alice}|alice> busy team meeting`);
    expect(shown).toContain(`<@${alice}>'s status: *On Queue* → *Busy*`);
    expect(simulator().getAgentState('alice@example.com')).toMatchObject({
      presenceLabel: 'Busy',
      message: 'team meeting',
    });
    await until(
      () => (publishesFor(sam).length > before.sam && publishesFor(alice).length > before.alice) || undefined,
      'both Home tabs',
    );
    expect(JSON.stringify(publishesFor(alice).at(-1)!.args.view)).toContain('*Busy* since');
  });

  it('lets a supervisor override the on-queue floor with "override <reason>", and audits it', async () => {
    // Billing's floor is 2 and alice, bob and dave start On Queue: the second to leave needs an override.
    const [alice, bob] = ['alice@example.com', 'bob@example.com'].map(slackIdOf);
    expect((await ask('sam.super@example.com', `<@${alice}|alice> meeting`)).shown).toContain('*Meeting*');
    const refused = await ask('sam.super@example.com', `<@${bob}|bob> meeting`);
    expect(refused.shown).toContain('add `override &lt;reason&gt;` after the status');
    const overridden = await ask('sam.super@example.com', `<@${bob}|bob> meeting override all-hands call`);
    expect(overridden.shown).toContain('*Meeting*');
    expect(simulator().getAgentState('bob@example.com').presenceLabel).toBe('Meeting');
    const audit = readFileSync(running().config.auditLogFile!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit.at(-1)).toMatchObject({ outcome: 'applied', override: 'staffing-floor', reason: 'all-hands call' });
    // An agent cannot override for themselves.
    const dave = await ask('dave@example.com', 'meeting override because');
    expect(dave.shown).toContain('needs at least 2 agents');
    expect(simulator().getAgentState('dave@example.com').presenceLabel).toBe('On Queue');
  });

  it('explains a Slack user without an e-mail and one whose e-mail Genesys does not know', async () => {
    standIn().addUser({ id: slackIdOf('nomail@example.com'), name: 'No Mail' });
    standIn().addUser({ id: slackIdOf('lost@example.com'), name: 'Lost', email: 'lost@example.com' });
    const noMail = await ask('nomail@example.com', 'break');
    expect(noMail.shown).toContain('Slack shows no e-mail for <@UNOMAIL>');
    expect(noMail.shown).toContain('users:read.email');
    const lost = await ask('lost@example.com', 'break');
    expect(lost.shown).toContain('No Genesys Cloud user has the e-mail lost@example.com');
  });

  it('explains a mentioned agent who cannot be matched', async () => {
    standIn().addUser({ id: slackIdOf('ghost@example.com'), name: 'Ghost', email: 'ghost@example.com' });
    const { shown } = await ask('sam.super@example.com', `<@${slackIdOf('ghost@example.com')}> break`);
    expect(shown).toContain('No Genesys Cloud user has the e-mail ghost@example.com');
  });
});

describe('/agent-status show, undo and history', () => {
  it('shows my status and what I can switch to', async () => {
    const { ack, shown } = await ask('carol@example.com', 'show');
    expect(ack.text).toBe('⏳ Looking it up…');
    expect(shown).toContain('You are *Available* since <!date^');
    expect(shown).toContain('`on-queue`');
  });

  it("shows another user's status (alias who)", async () => {
    const { shown } = await ask('carol@example.com', `who <@${slackIdOf('frank@example.com')}|frank>`);
    expect(shown).toContain(`<@${slackIdOf('frank@example.com')}> is *On Queue* since`);
    expect(shown).toContain('Routing: idle');
  });

  it("shows a team board with counts against the team's caps and floor", async () => {
    simulator().setAgentPresence('erin@example.com', 'Break');
    const { answer, shown } = await ask('carol@example.com', 'show Billing');
    expect(answer.text).toBe('Billing: 3 on queue of 5');
    expect(shown).toContain('Billing · 5 agents');
    expect(shown).toContain('On Queue: *3* (floor 2)');
    expect(shown).toContain('*Break*: 1 / cap 2');
    expect(shown).toContain('*Lunch*: 0 / cap 2');
    expect(shown).toContain('Alice Anderson, Bob Brown, Dave Davis');
  });

  it('lists the known teams for an unknown one', async () => {
    const { shown } = await ask('carol@example.com', 'show biling');
    expect(shown).toContain(
      'There is no team \\"biling\\". Did you mean `billing`? Teams: `billing` (Billing) and `support` (Support).',
    );
  });

  it('undoes my last change and lists it in my history', async () => {
    await ask('dave@example.com', 'busy');
    const undone = await ask('dave@example.com', 'undo');
    expect(undone.ack.text).toBe('⏳ Undoing your last change…');
    expect(undone.shown).toContain('Your status: *Busy* → *On Queue*');
    expect(simulator().getAgentState('dave@example.com').presenceLabel).toBe('On Queue');

    const { shown } = await ask('dave@example.com', 'history');
    const dave = slackIdOf('dave@example.com');
    expect(shown).toContain(`Busy → On Queue · by <@${dave}> · :white_check_mark: applied`);
    expect(shown).toContain(`On Queue → Busy · by <@${dave}> · :white_check_mark: applied`);
    // Newest first.
    expect(shown.indexOf('Busy → On Queue')).toBeLessThan(shown.indexOf('On Queue → Busy'));
  });

  it('records refusals in the history too', async () => {
    await ask('heidi@example.com', 'away');
    const { shown } = await ask('heidi@example.com', 'history');
    expect(shown).toContain('asked for Away');
    expect(shown).toContain(':no_entry: refused (reason missing)');
  });

  it("shows a team member's history to their supervisor, not to another agent", async () => {
    await ask('bob@example.com', 'busy');
    const bob = slackIdOf('bob@example.com');
    const supervisor = await ask('sam.super@example.com', `history <@${bob}>`);
    expect(supervisor.shown).toContain('On Queue → Busy');
    const stranger = await ask('frank@example.com', `history <@${bob}>`);
    expect(stranger.shown).toContain('You can see the history of your own status and of the agents you supervise');
  });

  it('offers the conflict choice when the agent moved on before the undo', async () => {
    await ask('grace@example.com', 'busy');
    simulator().setAgentPresence('grace@example.com', 'Meal');
    const { answer, shown } = await ask('grace@example.com', 'undo');
    expect(shown).toContain('You saw *Busy*, it is now *Meal*');
    expect(shown).toContain('You asked for *On Queue*');
    const buttons = (answer.blocks as { type: string; elements?: { action_id: string }[] }[]).find(
      (b) => b.type === 'actions',
    );
    expect(buttons?.elements?.map((e) => e.action_id)).toContain('conflict_apply_anyway');
    expect(simulator().getAgentState('grace@example.com').presenceLabel).toBe('Meal');
  });

  it('says when there is nothing to undo', async () => {
    const { shown } = await ask('ivan@example.com', 'undo');
    expect(shown).toContain('You have no recent change to undo.');
  });
});

describe('/agent-status when something fails after the ack', () => {
  it('tells the user instead of leaving them with the "⏳"', async () => {
    // Someone the app has never read, so no notification channel carries them: their state is read, and fails.
    simulator().injectFault({ path: '/api/v2/users/*', method: 'GET', kind: 404 });
    const { shown } = await ask('agent29@example.com', 'show');
    expect(shown).toContain('Something went wrong on our side while answering');
    expect(
      running()
        .logLines()
        .some((l) => l.msg === 'Slack request failed after the ack'),
    ).toBe(true);
  });
});

describe('/agent-status with a slow Genesys', () => {
  it('answers the slash command before the Genesys write finishes', async () => {
    // Warm the identity and catalog caches so that only the change itself runs against the slow simulator.
    await ask('carol@example.com', 'show');
    simulator().clearRequests();
    simulator().setLatency(2000);

    const result = await command(slackIdOf('carol@example.com'), 'meeting');
    expect(result.body).toMatchObject({ text: '⏳ Changing your status…' });
    // At the ack no presence write has completed (the simulator logs a request when it has answered).
    expect(simulator().requests({ method: 'PATCH' })).toEqual([]);

    const [answer] = await responses(result.responseUrl, 1, 20_000);
    expect(JSON.stringify(answer!.blocks)).toContain('*Available* → *Meeting*');
    expect(simulator().requests({ method: 'PATCH' })).toHaveLength(1);
  });
});
