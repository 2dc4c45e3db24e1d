/**
 * The shift handover modal for one team: who goes off shift (and to which status), who comes on (and to which
 * status), and notes for the channel post.
 *
 * Large teams: a static select holds at most 100 options, but up to 100 option groups of 100 options each. The
 * member pickers therefore use `option_groups`, one group per current status, split into chunks of 100
 * ("On Queue (101–200 of 240)"), which covers teams of up to 10,000 members in a single picker with Slack's
 * type-ahead filter, without an options endpoint (external select) to host. Groups are ordered for the task:
 * people working now first in "going off", people offline first in "coming on". The modal uses 8 blocks (10 when
 * the pickers overflow).
 */
import { z } from 'zod';
import {
  context,
  decodeMetadata,
  encodeMetadata,
  header,
  type InputBlock,
  type KnownBlock,
  type ModalView,
  option,
  optionGroups,
  plainText,
  SLACK_LIMITS,
  section,
} from './blocks.js';
import { type BoardMember, boardSummary, type TeamBoardInput } from './team-board.js';

export const HANDOVER_MODAL_CALLBACK_ID = 'agent_status_handover';

/** Where each input sits in `view.state.values[block][action]`. */
export const HANDOVER_MODAL_IDS = {
  outgoing: { block: 'handover_outgoing', action: 'outgoing_select' },
  outgoingStatus: { block: 'handover_outgoing_status', action: 'outgoing_status_select' },
  incoming: { block: 'handover_incoming', action: 'incoming_select' },
  incomingStatus: { block: 'handover_incoming_status', action: 'incoming_status_select' },
  /** The supervisor taking over, named in the channel post. */
  incomingSupervisor: { block: 'handover_incoming_supervisor', action: 'incoming_supervisor_select' },
  notes: { block: 'handover_notes', action: 'notes_input' },
} as const;

const metadataSchema = z.object({
  requestId: z.string().min(1).max(100),
  teamId: z.string().min(1).max(100),
});
export type HandoverModalMetadata = z.infer<typeof metadataSchema>;

export function parseHandoverModalMetadata(raw: string): HandoverModalMetadata {
  return decodeMetadata(metadataSchema, raw);
}

export interface HandoverModalInput {
  team: TeamBoardInput;
  /** Catalog statuses a handover may set, by name and label. */
  statuses: readonly { name: string; label: string }[];
  /** Preselected targets, by catalog name (e.g. `offline`, `on-queue`). */
  defaultOffStatus?: string;
  defaultOnStatus?: string;
  metadata: HandoverModalMetadata;
}

/** Longest handover note; the channel post shows it in full. */
export const HANDOVER_NOTES_MAX_LENGTH = 2000;

function memberGroups(members: readonly BoardMember[], offlineFirst: boolean) {
  const byStatus = new Map<string, BoardMember[]>();
  for (const member of [...members].sort((a, b) => a.name.localeCompare(b.name))) {
    const group = byStatus.get(member.statusLabel) ?? [];
    group.push(member);
    byStatus.set(member.statusLabel, group);
  }
  const isOffline = (group: BoardMember[]) => group[0]?.systemPresence === 'OFFLINE';
  return optionGroups(
    [...byStatus.entries()]
      .sort(
        ([la, a], [lb, b]) =>
          Number(isOffline(a) !== offlineFirst) - Number(isOffline(b) !== offlineFirst) ||
          b.length - a.length ||
          la.localeCompare(lb),
      )
      .map(([label, group]) => ({ label, options: group.map((m) => option(m.name, m.id)) })),
  );
}

function memberPicker(
  ids: { block: string; action: string },
  label: string,
  members: readonly BoardMember[],
  offlineFirst: boolean,
): KnownBlock[] {
  const { groups, omitted } = memberGroups(members, offlineFirst);
  const picker: InputBlock = {
    type: 'input',
    block_id: ids.block,
    optional: true,
    label: plainText(label, SLACK_LIMITS.inputLabel),
    element: {
      type: 'multi_static_select',
      action_id: ids.action,
      placeholder: plainText('Type a name', SLACK_LIMITS.placeholder),
      option_groups: groups,
    },
  };
  return omitted > 0
    ? [picker, context(`${omitted} members do not fit the picker; change them with the command.`)]
    : [picker];
}

function statusPicker(
  ids: { block: string; action: string },
  label: string,
  statuses: HandoverModalInput['statuses'],
  initial: string | undefined,
): InputBlock {
  const options = statuses.slice(0, SLACK_LIMITS.selectOptions).map((s) => option(s.label, s.name));
  const initialOption = options.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: ids.block,
    label: plainText(label, SLACK_LIMITS.inputLabel),
    element: {
      type: 'static_select',
      action_id: ids.action,
      placeholder: plainText('Pick a status', SLACK_LIMITS.placeholder),
      options,
      ...(initialOption ? { initial_option: initialOption } : {}),
    },
  };
}

export function handoverModal(input: HandoverModalInput): ModalView {
  const { team } = input;
  const view: ModalView = {
    type: 'modal',
    callback_id: HANDOVER_MODAL_CALLBACK_ID,
    title: plainText('Shift handover', SLACK_LIMITS.viewTitle),
    close: plainText('Cancel', SLACK_LIMITS.viewTitle),
    private_metadata: encodeMetadata(metadataSchema, input.metadata),
    blocks: [header(`Handover · ${team.teamName} (${team.members.length} members)`), section(boardSummary(team))],
  };
  if (team.members.length === 0 || input.statuses.length === 0) {
    view.blocks.push(section('_Nothing to hand over: the team has no members or no statuses to set._'));
    return view;
  }
  view.blocks.push(
    ...memberPicker(HANDOVER_MODAL_IDS.outgoing, 'Going off shift', team.members, false),
    statusPicker(HANDOVER_MODAL_IDS.outgoingStatus, 'Set them to', input.statuses, input.defaultOffStatus),
    ...memberPicker(HANDOVER_MODAL_IDS.incoming, 'Coming on shift', team.members, true),
    statusPicker(HANDOVER_MODAL_IDS.incomingStatus, 'Set them to', input.statuses, input.defaultOnStatus),
    {
      type: 'input',
      block_id: HANDOVER_MODAL_IDS.incomingSupervisor.block,
      optional: true,
      label: plainText('Supervisor taking over', SLACK_LIMITS.inputLabel),
      element: {
        type: 'users_select',
        action_id: HANDOVER_MODAL_IDS.incomingSupervisor.action,
        placeholder: plainText('Pick a person', SLACK_LIMITS.placeholder),
      },
    },
    {
      type: 'input',
      block_id: HANDOVER_MODAL_IDS.notes.block,
      optional: true,
      label: plainText('Notes for the next shift', SLACK_LIMITS.inputLabel),
      element: {
        type: 'plain_text_input',
        action_id: HANDOVER_MODAL_IDS.notes.action,
        multiline: true,
        max_length: HANDOVER_NOTES_MAX_LENGTH,
      },
    },
  );
  view.submit = plainText('Hand over', SLACK_LIMITS.viewTitle);
  return view;
}
