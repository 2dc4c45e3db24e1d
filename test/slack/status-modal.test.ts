/**
 * The status modal end to end: signed slash commands, block actions and view submissions into the running app,
 * the Slack stand-in recording views.open / views.update / chat.postMessage, the Genesys simulator holding states.
 */
import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { STATUS_MODAL_CALLBACK_ID, STATUS_MODAL_IDS } from '../../src/slack/views/status-modal.js';
import { notificationServiceDown } from '../support/live-presence.js';
import { inputBlock, interactionFrom, slackIdOf, slackView, withDemoApp } from '../support/slack-e2e.js';
import { assertWithinSlackLimits } from './views/limits.js';

type Args = Record<string, unknown>;

const {
  running,
  simulator,
  standIn,
  command,
  responses,
  callsTo,
  messagesTo: dmsTo,
  interact,
  openModal: openWith,
  submitView,
  until,
} = withDemoApp();

const idOf = (email: string) => simulator().getAgentState(email).userId;

/** Views sent to one modal, in order. */
const updatesOf = (viewId: string) =>
  callsTo('views.update', 'view_id', viewId).map((c) => c.args.view as types.ModalView);

/** Runs the bare command and waits for the real modal; returns its id and the view as last drawn. */
const openModal = (email: string) => openWith(slackIdOf(email), '');

function optionValues(view: types.ModalView, blockId: string): string[] {
  const element = inputBlock(view, blockId)?.element;
  if (element?.type === 'static_select') return (element.options ?? []).map((o) => o.value ?? '');
  if (element?.type === 'multi_static_select') {
    return (element.option_groups ?? []).flatMap((g) => g.options.map((o) => o.value ?? ''));
  }
  return [];
}

function pickStatus(user: string, viewId: string, view: types.ModalView, status: string) {
  return interact({
    ...interactionFrom('block_actions', user),
    container: { type: 'view', view_id: viewId },
    view: slackView(viewId, view),
    actions: [
      {
        type: 'static_select',
        block_id: STATUS_MODAL_IDS.status.block,
        action_id: STATUS_MODAL_IDS.status.action,
        selected_option: { text: { type: 'plain_text', text: status }, value: status },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
}

interface FormInput {
  status?: string;
  reasonText?: string;
  reasonChoice?: string;
  agents?: { value: string; label: string }[];
}

function formValues(input: FormInput): Args {
  const ids = STATUS_MODAL_IDS;
  const option = (value: string, label = value) => ({ text: { type: 'plain_text', text: label }, value });
  return {
    [ids.status.block]: {
      [ids.status.action]: { type: 'static_select', selected_option: input.status ? option(input.status) : null },
    },
    [ids.reasonText.block]: { [ids.reasonText.action]: { type: 'plain_text_input', value: input.reasonText ?? null } },
    [ids.reasonChoice.block]: {
      [ids.reasonChoice.action]: {
        type: 'static_select',
        selected_option: input.reasonChoice ? option(input.reasonChoice) : null,
      },
    },
    [ids.agents.block]: {
      [ids.agents.action]: {
        type: 'multi_static_select',
        selected_options: (input.agents ?? []).map((a) => option(a.value, a.label)),
      },
    },
  };
}

const submit = (user: string, viewId: string, view: types.ModalView, input: FormInput) =>
  submitView(user, viewId, view, formValues(input));

const presenceWrites = () =>
  simulator()
    .requests()
    .filter((r) => r.path.includes('/presences') && (r.method === 'PATCH' || r.method === 'PUT'));

describe('status modal', () => {
  it('opens at once with a loading view, then shows the statuses the matrix allows from the current one', async () => {
    simulator().setAgentPresence('alice@example.com', 'Break');
    const { viewId, view, triggerId } = await openModal('alice@example.com');

    const [open] = callsTo('views.open', 'trigger_id', triggerId);
    expect(JSON.stringify(open?.args.view)).toContain('Loading');
    expect(open!.at).toBeLessThanOrEqual(callsTo('views.update', 'view_id', viewId)[0]!.at);

    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(STATUS_MODAL_CALLBACK_ID);
    // Break → available, on-queue, offline (policy/default.yaml), in catalog order.
    expect(optionValues(view, STATUS_MODAL_IDS.status.block)).toEqual(['available', 'on-queue', 'offline']);
    expect(JSON.stringify(view.blocks[0])).toContain('Now: *Break*');
    // An agent supervises nobody: no picker.
    expect(inputBlock(view, STATUS_MODAL_IDS.agents.block)).toBeUndefined();
    const metadata = JSON.parse(view.private_metadata ?? '') as Args;
    expect(Object.keys(metadata).sort()).toEqual(['requestId', 'seenVersion']);
  });

  it('opens before a slow Genesys answers, and fills the modal once it has', async () => {
    // Dave's state must come from Genesys, not from the presence mirror a live channel keeps.
    await notificationServiceDown(running(), simulator());
    simulator().clearRequests();
    simulator().setLatency(1500);
    const { viewId, view, triggerId } = await openModal('dave@example.com');
    const open = callsTo('views.open', 'trigger_id', triggerId)[0]!;
    const update = callsTo('views.update', 'view_id', viewId)[0]!;
    // In order, whatever the machine's speed: the loading modal opens before Dave's status is read (the reads
    // start after it), and the real modal replaces it only once Genesys has answered a read (1 ms for rounding).
    const reads = simulator()
      .requests({ method: 'GET', path: `/api/v2/users/${idOf('dave@example.com')}` })
      .filter((r) => Date.parse(r.time) >= open.at);
    expect(reads.some((r) => Date.parse(r.time) + r.durationMs <= update.at + 1)).toBe(true);
    expect(optionValues(view, STATUS_MODAL_IDS.status.block)).toContain('break');
  });

  it('answers the command when Slack does not open the modal', async () => {
    const updates = standIn().callsTo('views.update').length;
    standIn().failNext('views.open', 'expired_trigger_id');
    const { responseUrl } = await command(slackIdOf('carol@example.com'), '');
    const [answer] = await responses(responseUrl);
    expect(answer?.text).toBe(
      ':warning: Slack did not open the status picker (expired_trigger_id). Run `/agent-status` again.',
    );
    expect(standIn().callsTo('views.update')).toHaveLength(updates);
  });

  it('says what to fix when the Slack user cannot be matched', async () => {
    const { view } = await openModal('nobody@example.com');
    expect(view.submit).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain('Slack does not know the user <@UNOBODY>.');
  });

  it('swaps the reason input when a status is picked', async () => {
    const carol = slackIdOf('carol@example.com');
    const { viewId, view } = await openModal('carol@example.com');
    expect(inputBlock(view, STATUS_MODAL_IDS.reasonText.block)).toBeDefined();

    expect((await pickStatus(carol, viewId, view, 'away')).status).toBe(200);
    const away = await until(() => updatesOf(viewId)[1], 'the redraw for away');
    expect(inputBlock(away, STATUS_MODAL_IDS.reasonText.block)).toBeUndefined();
    const reason = inputBlock(away, STATUS_MODAL_IDS.reasonChoice.block);
    expect(reason?.optional).toBe(false);
    expect(optionValues(away, STATUS_MODAL_IDS.reasonChoice.block)).toEqual(['doctor', 'personal', 'it-issue']);
    expect(inputBlock(away, STATUS_MODAL_IDS.status.block)?.element).toMatchObject({
      initial_option: { value: 'away' },
    });
    expect(away.private_metadata).toBe(view.private_metadata);

    await pickStatus(carol, viewId, away, 'meal');
    const meal = await until(() => updatesOf(viewId)[2], 'the redraw for meal');
    expect(meal.blocks.some((b) => b.block_id?.startsWith('reason'))).toBe(false);
  });

  it('answers field errors and changes nothing', async () => {
    const carol = slackIdOf('carol@example.com');
    const { viewId, view } = await openModal('carol@example.com');
    await pickStatus(carol, viewId, view, 'away');
    const away = await until(() => updatesOf(viewId)[1], 'the redraw for away');
    const writes = presenceWrites().length;

    const missing = await submit(carol, viewId, away, { status: 'away' });
    expect(missing).toEqual({
      status: 200,
      body: {
        response_action: 'errors',
        errors: { [STATUS_MODAL_IDS.reasonChoice.block]: 'Away needs a reason. Choose doctor, personal or it-issue.' },
      },
    });
    const nothing = await submit(carol, viewId, view, {});
    expect(nothing.body).toEqual({ response_action: 'errors', errors: { status: 'Pick a status.' } });
    const invalid = await submit(carol, viewId, view, { status: 'away', reasonText: 'coffee' });
    expect(invalid.body?.errors).toEqual({
      [STATUS_MODAL_IDS.reasonText.block]: '"coffee" isn\'t a reason for Away. Choose doctor, personal or it-issue.',
    });

    expect(presenceWrites().length).toBe(writes);
    expect(simulator().getAgentState('carol@example.com').presenceLabel).toBe('Available');
    expect(dmsTo(carol)).toHaveLength(0);
  });

  it('changes the status after a valid submission and tells the outcome by direct message', async () => {
    const carol = slackIdOf('carol@example.com');
    const { viewId, view } = await openModal('carol@example.com');
    const dms = dmsTo(carol).length;
    const answer = await submit(carol, viewId, view, { status: 'break', reasonText: 'coffee' });
    expect(answer).toEqual({ status: 200, body: undefined });

    const dm = await until(() => dmsTo(carol)[dms], 'the outcome DM');
    expect(dm.args.text).toBe('Your status: Available → Break');
    const state = simulator().getAgentState('carol@example.com');
    expect(state.presenceLabel).toBe('Break');
    expect(state.message).toBe('coffee');

    // The same submission delivered again is the same request: no second write.
    const writes = presenceWrites().length;
    await submit(carol, viewId, view, { status: 'break', reasonText: 'coffee' });
    await until(() => dmsTo(carol)[dms + 1], 'the repeated answer');
    expect(presenceWrites().length).toBe(writes);
  });

  it('offers a conflict when the status changed while the modal was open', async () => {
    const alice = slackIdOf('alice@example.com');
    const { viewId, view } = await openModal('alice@example.com');
    simulator().setAgentPresence('alice@example.com', 'Available');
    const dms = dmsTo(alice).length;
    await submit(alice, viewId, view, { status: 'break' });
    const dm = await until(() => dmsTo(alice)[dms], 'the conflict DM');
    expect(String(dm.args.text)).toContain('You saw On Queue, it is now Available. Apply Break anyway?');
    expect(JSON.stringify(dm.args.blocks)).toContain('conflict_apply_anyway');
    expect(simulator().getAgentState('alice@example.com').presenceLabel).toBe('Available');
  });
});

describe('status modal for supervisors', () => {
  it("lists only the supervisor's team members, and changes the picked ones", async () => {
    const sam = slackIdOf('sam.super@example.com');
    const { viewId, view } = await openModal('sam.super@example.com');
    assertWithinSlackLimits(view);
    const billing = ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => idOf(`${n}@example.com`));
    expect(optionValues(view, STATUS_MODAL_IDS.agents.block).sort()).toEqual([...billing].sort());
    const groups = JSON.stringify(inputBlock(view, STATUS_MODAL_IDS.agents.block));
    expect(groups).toContain('Billing (5)');
    expect(groups).not.toContain('Frank');

    // Someone outside the team (a forged option) is a field error; nothing is changed.
    const frank = { value: idOf('frank@example.com'), label: 'Frank' };
    const forged = await submit(sam, viewId, view, { status: 'break', agents: [frank] });
    expect(forged.body).toEqual({
      response_action: 'errors',
      errors: { agents: 'Not in the teams you supervise: Frank.' },
    });

    const dms = dmsTo(sam).length;
    const picked = [
      { value: idOf('bob@example.com'), label: 'Bob' },
      { value: idOf('erin@example.com'), label: 'Erin' },
    ];
    expect((await submit(sam, viewId, view, { status: 'break', agents: picked })).body).toBeUndefined();
    const dm = await until(() => dmsTo(sam)[dms], 'the batch answer');
    expect(dm.args.text).toBe('Break for 2 agents: 2 changed');
    expect(simulator().getAgentState('bob@example.com').presenceLabel).toBe('Break');
    expect(simulator().getAgentState('erin@example.com').presenceLabel).toBe('Break');
    expect(simulator().getAgentState('sam.super@example.com').presenceLabel).toBe('Available');
  });
});
