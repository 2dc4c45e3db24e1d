/** App Home end to end: published on `app_home_opened` (signed Events API body) and after changes; its buttons. */
import { describe, expect, it } from 'vitest';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';

type Args = Record<string, unknown>;
interface Button {
  type: string;
  action_id: string;
  value?: string;
  text: { text: string };
}

const {
  running,
  simulator,
  standIn,
  command,
  publishesFor,
  messagesTo,
  publishNumber,
  appHomeOpened,
  openHome,
  clickOnHome,
  until,
} = withDemoApp();

const buttonsOf = (view: Args) =>
  (view.blocks as Args[])
    .flatMap((b) => [...((b.elements as Button[] | undefined) ?? []), ...(b.accessory ? [b.accessory as Button] : [])])
    .filter((e) => e.type === 'button');
const quickStatuses = (view: Args) =>
  buttonsOf(view)
    .filter((b) => b.action_id.startsWith('home_set_status:'))
    .map((b) => b.value);
const shown = (view: Args) => JSON.stringify(view.blocks);

const carol = slackIdOf('carol@example.com');

describe('App Home', () => {
  it('publishes my status with quick buttons for the transitions allowed now', async () => {
    const view = await openHome(carol);
    expect(view.type).toBe('home');
    expect(shown(view)).toContain('*Available* since <!date^');
    // Available → "*" in the default policy: every other catalog status.
    expect(quickStatuses(view)).toEqual([
      'on-queue',
      'away',
      'busy',
      'break',
      'meal',
      'lunch',
      'training',
      'coaching',
      'meeting',
      'idle',
      'offline',
    ]);
    expect(shown(view)).not.toContain('Start handover');
  });

  it('offers only what the matrix allows from the current status', async () => {
    simulator().setAgentPresence('carol@example.com', 'Break');
    const view = await openHome(carol);
    expect(quickStatuses(view)).toEqual(['available', 'on-queue', 'offline']);
  });

  it("shows a supervisor their team's board and an admin every team's", async () => {
    const sam = await openHome(slackIdOf('sam.super@example.com'));
    expect(shown(sam)).toContain('Billing · 5 agents');
    expect(shown(sam)).toContain('On Queue: *3* (floor 2)');
    expect(shown(sam)).not.toContain('Support · 4 agents');
    expect(
      buttonsOf(sam)
        .filter((b) => b.action_id === 'home_handover')
        .map((b) => b.value),
    ).toEqual(['billing']);

    const ada = await openHome(slackIdOf('ada.admin@example.com'));
    expect(shown(ada)).toContain('Billing · 5 agents');
    expect(shown(ada)).toContain('Support · 4 agents');
  });

  it('tells a user who cannot be matched to Genesys why', async () => {
    standIn().addUser({ id: slackIdOf('stranger@example.com'), name: 'Stranger', email: 'stranger@example.com' });
    const view = await openHome(slackIdOf('stranger@example.com'));
    expect(shown(view)).toContain('not linked to a Genesys Cloud user');
    expect(quickStatuses(view)).toEqual([]);
  });

  it('is republished after a change made with the slash command', async () => {
    const index = publishesFor(carol).length;
    await command(carol, 'training');
    const view = await publishNumber(carol, index);
    expect(shown(view)).toContain('*Training* since');
    expect(quickStatuses(view)).toEqual(['available', 'on-queue', 'coaching', 'offline']);
  });

  it('applies a quick button and republishes, without a message', async () => {
    const view = await openHome(carol);
    const messages = messagesTo(carol).length;
    const index = publishesFor(carol).length;
    expect((await clickOnHome(carol, view, 'home_set_status:busy', 'busy')).status).toBe(200);
    const after = await publishNumber(carol, index);
    expect(shown(after)).toContain('*Busy* since');
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Busy');
    expect(messagesTo(carol).length).toBe(messages);
  });

  it('answers a refused quick button by direct message, re-validating the status the button named', async () => {
    const view = await openHome(carol);
    const messages = messagesTo(carol).length;
    const publishes = publishesFor(carol).length;
    await clickOnHome(carol, view, 'home_set_status:away', 'away');
    const refusal = await until(() => messagesTo(carol)[messages], 'the refusal');
    expect(JSON.stringify(refusal.args.blocks)).toContain('Away needs a reason');
    // The refusal also republishes the tab: wait for it, so it cannot stand in for the next open's publish.
    await publishNumber(carol, publishes);

    // A forged button naming a status outside the matrix is refused by the pipeline like a typed one.
    simulator().setAgentPresence('carol@example.com', 'Meeting');
    const stale = await openHome(carol);
    await clickOnHome(carol, stale, 'home_set_status:lunch', 'lunch');
    const forged = await until(() => messagesTo(carol)[messages + 1], 'the second refusal');
    expect(JSON.stringify(forged.args.blocks)).toContain("You can't go from Meeting to Lunch");
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Meeting');
  });

  it('republishes on Refresh with the state Genesys has now', async () => {
    const view = await openHome(carol);
    simulator().setAgentPresence('carol@example.com', 'Meal');
    const index = publishesFor(carol).length;
    await clickOnHome(carol, view, 'home_refresh');
    expect(shown(await publishNumber(carol, index))).toContain('*Meal* since');
  });

  it('publishes after Slack answers ratelimited (the client waits for Retry-After)', async () => {
    const before = publishesFor(carol).length;
    standIn().rateLimit('views.publish', 1, 1);
    await appHomeOpened(carol);
    // The first attempt got 429; the same view goes again and succeeds.
    const retried = await publishNumber(carol, before + 1);
    expect(shown(retried)).toContain('*Available* since');
  });

  it('logs a failed views.publish and keeps working', async () => {
    standIn().failNext('views.publish', 'invalid_auth');
    await appHomeOpened(carol);
    await until(
      () =>
        running()
          .logLines()
          .find((l) => l.msg === 'could not publish the App Home tab' && l.user === carol),
      'the warning',
    );
    expect(shown(await openHome(carol))).toContain('*Available* since');
  });

  it("opens the status modal from the Change… button with the click's trigger id", async () => {
    const view = await openHome(carol);
    const before = standIn().callsTo('views.open').length;
    const { triggerId } = await clickOnHome(carol, view, 'home_open_modal');
    const opened = await until(() => standIn().callsTo('views.open')[before], 'views.open');
    expect(opened.args.trigger_id).toBe(triggerId);
  });
});
