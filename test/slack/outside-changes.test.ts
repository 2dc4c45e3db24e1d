/**
 * Changes made in Genesys, end to end: the running app, the simulator's notification channel over a real websocket,
 * the Slack stand-in. A change made through the simulator's control API ("someone in the Genesys desktop") reaches
 * the Home tabs that show it, payroll and the audit trail, and a team taken out of its limits gets one alert in its
 * channel, edited once the team is back within them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';
import { waitFor } from '../support/wait.js';

type Args = Record<string, unknown>;

const { running, simulator, standIn, publishesFor, messagesTo, openHome } = withDemoApp();

const sue = slackIdOf('sue.lead@example.com');
const ivan = slackIdOf('ivan@example.com');
const SUPPORT_CHANNEL = 'C0SUPPORT01';

/** Waits until the notification channel carries `agents` agents live (the Home tabs opened put them there). */
async function channelLiveFor(agents: number): Promise<void> {
  await waitFor(
    async () => {
      const res = await fetch(`${running().sidecarUrl}/readyz`);
      const { presenceChannel } = (await res.json()) as { presenceChannel: { live: boolean; coveredAgents: number } };
      return presenceChannel.live && presenceChannel.coveredAgents >= agents;
    },
    { what: `a live channel covering ${agents} agents` },
  );
}

const shown = (call: { args: Args } | undefined) => JSON.stringify((call?.args.view as Args | undefined)?.blocks) ?? '';

/** Genesys API calls the app made since the simulator's log was cleared, the notification service's aside. */
const restCalls = () =>
  simulator()
    .requests({ path: '/api/**' })
    .filter((request) => !request.path.startsWith('/api/v2/notifications/'));

/** Sue's Home tab (the Support board) once it shows `text`, published after the first `after` publishes. */
const sueSees = (text: string, after: number) =>
  waitFor(
    () =>
      publishesFor(sue)
        .slice(after)
        .find((call) => shown(call).includes(text)),
    {
      what: `Sue's Home tab showing ${text}`,
    },
  );

function payrollEvents() {
  const store = openSqliteStore(running().config.storePath);
  return store.outbox
    .list()
    .then((entries) => entries.map((entry) => entry.event.data))
    .finally(() => store.close());
}

function auditLines(): Record<string, unknown>[] {
  return readFileSync(running().config.auditLogFile!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a change made in Genesys', () => {
  it('reaches the Home tabs that show it, payroll (source "genesys") and the audit trail', async () => {
    await openHome(sue);
    await openHome(ivan);
    await channelLiveFor(5);
    const sueBefore = publishesFor(sue).length;
    const ivanBefore = publishesFor(ivan).length;
    simulator().clearRequests();

    simulator().setAgentPresence('ivan@example.com', 'Meeting');

    await sueSees('Meeting', sueBefore);
    await waitFor(() => shown(publishesFor(ivan).slice(ivanBefore).at(-1)).includes('*Meeting*'), {
      what: "Ivan's Home tab showing Meeting",
    });
    // Both tabs were built from the mirror: not one Genesys call.
    expect(restCalls()).toEqual([]);
    const ivanId = simulator().getAgentState('ivan@example.com').userId;
    const events = await waitFor(
      async () => {
        const found = (await payrollEvents()).filter((event) => event.agentId === ivanId && event.source === 'genesys');
        return found.length > 0 && found;
      },
      { what: 'the payroll event of the change' },
    );
    expect(events).toEqual([
      expect.objectContaining({
        email: 'ivan@example.com',
        from: expect.objectContaining({ presence: 'Available' }),
        to: expect.objectContaining({ presence: 'Meeting' }),
        changedBy: null,
        source: 'genesys',
      }),
    ]);
    expect(
      auditLines().filter((line) => line.outcome === 'outside_change' && line.target === 'ivan@example.com'),
    ).toHaveLength(1);
  });

  it('that breaks a team cap posts one alert in the team channel, and one "resolved" edit', async () => {
    await openHome(sue);
    await channelLiveFor(5);
    const postedBefore = messagesTo(SUPPORT_CHANNEL).length;

    // Support allows 1 on Break: Ivan takes the slot, Heidi breaks the cap; Frank comes and goes; Heidi leaves.
    simulator().setAgentPresence('ivan@example.com', 'Break');
    simulator().setAgentPresence('heidi@example.com', 'Break');
    const [alert] = await waitFor(
      () => {
        const posted = messagesTo(SUPPORT_CHANNEL).slice(postedBefore);
        return posted.length > 0 && posted;
      },
      { what: 'the limit alert' },
    );
    expect(JSON.stringify(alert!.args.blocks)).toContain('heidi@example.com: Available → Break');
    expect(JSON.stringify(alert!.args.blocks)).toContain('2 on Break (cap 1)');

    simulator().setAgentPresence('frank@example.com', 'Break');
    simulator().setAgentPresence('frank@example.com', 'On Queue');
    simulator().setAgentPresence('heidi@example.com', 'Available');
    const [resolved] = await waitFor(
      () => {
        const edits = standIn()
          .callsTo('chat.update')
          .filter((call) => call.args.ts === alert!.result!.ts);
        return edits.length > 0 && edits;
      },
      { what: 'the resolved edit' },
    );
    expect(String(resolved!.args.text)).toContain('Resolved: Support is back within its limits');
    // Every change has been handled once the resolution is: none posted a second alert.
    expect(messagesTo(SUPPORT_CHANNEL).slice(postedBefore)).toHaveLength(1);
    expect(
      standIn()
        .callsTo('chat.update')
        .filter((call) => call.args.ts === alert!.result!.ts),
    ).toHaveLength(1);
  });
});
