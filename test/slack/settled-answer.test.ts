/**
 * A change left unsettled (its process died after writing, before recording) is settled by the running app's
 * recovery loop, and the final answer goes to the `response_url` kept with the request.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TransitionRequest } from '../../src/domain/transition.js';
import { payrollEventIdFor } from '../../src/pipeline/steps.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { intentOf } from '../support/intents.js';
import { slackIdOf, withDemoApp } from '../support/slack-e2e.js';

const { running, simulator, standIn, responses } = withDemoApp();
const ALICE = 'alice@example.com';

describe('answers of changes settled after their request', () => {
  it('posts the final outcome to the request’s response_url once recovery records the landed write', async () => {
    const sim = simulator();
    const store = openSqliteStore(running().config.storePath);
    const before = sim.getAgentState(ALICE);
    const responseUrl = `${standIn().responseUrlBase}${randomUUID()}`;
    const request: TransitionRequest = {
      requestId: `command:settled-${randomUUID()}`,
      actor: { slackUserId: slackIdOf(ALICE), email: ALICE, genesysUserId: before.userId },
      target: { genesysUserId: before.userId, email: ALICE, slackUserId: slackIdOf(ALICE) },
      to: 'meeting',
      followUpUrl: responseUrl,
      source: 'command',
    };
    // What a process killed right after its write leaves behind: the intent, and Genesys showing the write.
    await store.transitions.recordIntent(intentOf(sim, request, 'Meeting'));
    sim.setAgentPresence(ALICE, 'Meeting');

    const [answer] = await responses(responseUrl, 1, 20_000);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(answer!.blocks)).toContain('Your status: *On Queue* → *Meeting*');
    const events = (await store.outbox.list()).filter((e) => e.event.data.requestId === request.requestId);
    expect(events.map((e) => e.eventId)).toEqual([payrollEventIdFor(request.requestId)]);
    expect(await store.transitions.pendingIntents()).toEqual([]);
    await store.close();
  });
});
