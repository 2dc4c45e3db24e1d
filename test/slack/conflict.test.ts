/**
 * Conflict buttons end to end. The race is real: the Home tab shows a version, the simulator changes the agent
 * "from the Genesys UI", then the quick button is clicked with the version the page showed.
 */
import { describe, expect, it } from 'vitest';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';

type Args = Record<string, unknown>;

const { simulator, openHome, clickOnHome, messagesTo, pressInMessage: press, until } = withDemoApp();

/** The conflict message's token: the value every one of its buttons carries. */
function tokenOf(message: Args): string {
  const actions = (message.blocks as Args[]).find((b) => b.type === 'actions') as { elements: { value: string }[] };
  const values = new Set(actions.elements.map((e) => e.value));
  expect(values.size).toBe(1);
  return [...values][0]!;
}

/**
 * Carol's Home tab shows Available; Genesys then moves her to Busy; she clicks "Break" on the stale page.
 * Returns the conflict message the app sent her.
 */
async function raceOnHome(email = 'carol@example.com', status = 'break'): Promise<Args> {
  const user = slackIdOf(email);
  const view = await openHome(user);
  simulator().setAgentPresence(email, 'Busy');
  const before = messagesTo(user).length;
  const res = await clickOnHome(user, view, `home_set_status:${status}`, status);
  expect(res.status).toBe(200);
  const posted = await until(() => messagesTo(user)[before], 'the conflict message');
  return posted.args;
}

const shown = (message: Args) => JSON.stringify(message.blocks ?? message.text);
const carol = slackIdOf('carol@example.com');

describe('conflict buttons', () => {
  it('shows what the user saw and what Genesys has now, with three buttons carrying one token', async () => {
    const conflict = await raceOnHome();
    expect(shown(conflict)).toContain('You saw *Available*, it is now *Busy* (changed <!date^');
    expect(shown(conflict)).toContain('You asked for *Break*');
    const actions = (conflict.blocks as Args[]).find((b) => b.type === 'actions') as { elements: Args[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      'conflict_apply_anyway',
      'conflict_keep_current',
      'conflict_refresh',
    ]);
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');
  });

  it('Apply anyway writes the requested status over the newer one, once', async () => {
    const token = tokenOf(await raceOnHome());
    const applied = await press(carol, 'conflict_apply_anyway', token);
    expect(applied.replace_original).toBe(true);
    expect(shown(applied)).toContain('Your status: *Busy* → *Break*');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Break');

    const again = await press(carol, 'conflict_apply_anyway', token);
    expect(again.replace_original).toBe(false);
    expect(shown(again)).toContain('This conflict was already handled (Apply anyway was chosen).');
    const other = await press(carol, 'conflict_keep_current', token);
    expect(shown(other)).toContain('already handled');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Break');
  });

  it('lets exactly one of two simultaneous clicks decide', async () => {
    const token = tokenOf(await raceOnHome());
    const answers = await Promise.all([
      press(carol, 'conflict_apply_anyway', token),
      press(carol, 'conflict_keep_current', token),
    ]);
    const decided = answers.filter((a) => a.replace_original === true);
    const refused = answers.filter((a) => shown(a).includes('This conflict was already handled'));
    expect(decided).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const label = simulator().getAgentState('carol@example.com').presenceLabel;
    expect(shown(decided[0]!)).toContain(label === 'Break' ? '*Busy* → *Break*' : 'Kept your status at *Busy*');
  });

  it('Keep current changes nothing and says so', async () => {
    const token = tokenOf(await raceOnHome());
    const kept = await press(carol, 'conflict_keep_current', token);
    expect(kept.replace_original).toBe(true);
    expect(shown(kept)).toContain('Kept your status at *Busy*; *Break* was not applied.');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');

    const again = await press(carol, 'conflict_apply_anyway', token);
    expect(shown(again)).toContain('This conflict was already handled (Keep current was chosen).');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');
  });

  it('Refresh offers the choice again against the newest state, with a new token', async () => {
    const token = tokenOf(await raceOnHome());
    simulator().setAgentPresence('carol@example.com', 'Available');
    const refreshed = await press(carol, 'conflict_refresh', token);
    expect(refreshed.replace_original).toBe(true);
    expect(shown(refreshed)).toContain('You saw *Busy*, it is now *Available*');
    const next = tokenOf(refreshed);
    expect(next).not.toBe(token);
    expect(shown(await press(carol, 'conflict_apply_anyway', token))).toContain('already handled (it was refreshed)');

    // The new token applies over the state Refresh showed.
    const applied = await press(carol, 'conflict_apply_anyway', next);
    expect(shown(applied)).toContain('Your status: *Available* → *Break*');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Break');
  });

  it('Refresh reports that nothing is left to do when the agent already has the requested status', async () => {
    const token = tokenOf(await raceOnHome());
    simulator().setAgentPresence('carol@example.com', 'Break');
    const refreshed = await press(carol, 'conflict_refresh', token);
    expect(shown(refreshed)).toContain('Your status is already *Break*; nothing changed.');
  });

  it('refuses a click by anyone but the person who asked, and leaves the token usable', async () => {
    const token = tokenOf(await raceOnHome());
    const intruder = await press(slackIdOf('sam.super@example.com'), 'conflict_apply_anyway', token);
    expect(intruder.replace_original).toBe(false);
    expect(shown(intruder)).toContain(`Only <@${carol}> can answer this conflict`);
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');

    const kept = await press(carol, 'conflict_keep_current', token);
    expect(shown(kept)).toContain('Kept your status at *Busy*');
  });

  it('answers a token it does not know (expired or forged) without doing anything', async () => {
    const answer = await press(carol, 'conflict_apply_anyway', 'not-a-real-token');
    expect(shown(answer)).toContain('This choice has expired');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Available');
  });
});
