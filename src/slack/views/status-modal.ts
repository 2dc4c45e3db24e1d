/**
 * The `/agent-status` modal: pick one of the statuses allowed now, give a reason when the status takes one, and,
 * for supervisors, pick team members to change instead of oneself.
 *
 * The status select dispatches a block action on change; the handler answers with `views.update` and this
 * builder called with `selected`, so the reason input matches the chosen status (free text, a fixed list, or
 * none). The server re-validates every submission; nothing in the view is trusted.
 */

import { z } from 'zod';
import { INPUT_LIMITS } from '../../domain/input-limits.js';
import {
  context,
  decodeMetadata,
  encodeMetadata,
  type InputBlock,
  type KnownBlock,
  type ModalView,
  option,
  optionGroups,
  type PlainTextOption,
  plainText,
  SLACK_LIMITS,
  type StatusCatalogEntry,
  section,
  slackTime,
  truncate,
  userText,
} from './blocks.js';

export const STATUS_MODAL_CALLBACK_ID = 'agent_status_modal';

/** Where each input sits in `view.state.values[block][action]`. */
export const STATUS_MODAL_IDS = {
  status: { block: 'status', action: 'status_select' },
  /** Free-text reason. */
  reasonText: { block: 'reason_text', action: 'reason_text_input' },
  /** Reason from the status's fixed list. */
  reasonChoice: { block: 'reason_choice', action: 'reason_select' },
  /** Supervisors: the agents to change; empty means oneself. */
  agents: { block: 'agents', action: 'agents_select' },
} as const;

const metadataSchema = z.object({
  requestId: z.string().min(1).max(100),
  /** The version token of the state the user was looking at (see domain `presenceVersion`). */
  seenVersion: z.string().max(500).optional(),
});
export type StatusModalMetadata = z.infer<typeof metadataSchema>;

export function parseStatusModalMetadata(raw: string): StatusModalMetadata {
  return decodeMetadata(metadataSchema, raw);
}

export type StatusChoice = Pick<StatusCatalogEntry, 'name' | 'label' | 'reason' | 'reasons'>;

export interface AgentChoice {
  /** Genesys user id: the option value. */
  id: string;
  name: string;
  statusLabel?: string;
  teamName: string;
}

export interface StatusModalInput {
  /** Catalog entries the user may switch to now. */
  statuses: readonly StatusChoice[];
  current?: { label: string; since?: string };
  /** The status picked so far (after the status select dispatched). */
  selected?: string;
  /** Supervisors: members of the teams they supervise. Absent for agents. */
  agents?: readonly AgentChoice[];
  metadata: StatusModalMetadata;
}

/** Longest free-text reason accepted; it ends up in the Genesys presence message and the audit log. */
export const REASON_MAX_LENGTH = INPUT_LIMITS.reasonChars;

function statusOption(status: StatusChoice): PlainTextOption {
  return option(status.label, status.name);
}

function reasonBlock(status: StatusChoice | undefined, statuses: readonly StatusChoice[]): InputBlock | undefined {
  if (status?.reason === 'none') return undefined;
  const optional = status?.reason !== 'required';
  if (status?.reasons) {
    return {
      type: 'input',
      block_id: STATUS_MODAL_IDS.reasonChoice.block,
      optional,
      label: plainText(`Reason for ${status.label}`, SLACK_LIMITS.inputLabel),
      element: {
        type: 'static_select',
        action_id: STATUS_MODAL_IDS.reasonChoice.action,
        placeholder: plainText('Pick a reason', SLACK_LIMITS.placeholder),
        options: status.reasons.slice(0, SLACK_LIMITS.selectOptions).map((reason) => option(reason, reason)),
      },
    };
  }
  const needing = statuses.filter((s) => s.reason === 'required').map((s) => s.label);
  const hint = status
    ? `${status.label}: reason ${optional ? 'optional' : 'required'}`
    : needing.length
      ? `Required for: ${needing.join(', ')}`
      : 'Optional';
  return {
    type: 'input',
    block_id: STATUS_MODAL_IDS.reasonText.block,
    optional,
    label: plainText('Reason', SLACK_LIMITS.inputLabel),
    hint: plainText(hint, SLACK_LIMITS.inputHint),
    element: {
      type: 'plain_text_input',
      action_id: STATUS_MODAL_IDS.reasonText.action,
      max_length: REASON_MAX_LENGTH,
      placeholder: plainText('e.g. coffee, IT issue', SLACK_LIMITS.placeholder),
    },
  };
}

/** "Name · Status" in an option's 75 characters: the name gives way so the status stays readable. */
function agentLabel(agent: AgentChoice): string {
  if (!agent.statusLabel) return agent.name;
  const status = truncate(agent.statusLabel, 25);
  return `${truncate(agent.name, SLACK_LIMITS.optionText - status.length - 3)} · ${status}`;
}

function agentsBlock(agents: readonly AgentChoice[]): KnownBlock[] {
  const byTeam = new Map<string, AgentChoice[]>();
  for (const agent of agents) {
    const team = byTeam.get(agent.teamName) ?? [];
    team.push(agent);
    byTeam.set(agent.teamName, team);
  }
  const { groups, omitted } = optionGroups(
    [...byTeam.entries()].map(([team, members]) => ({
      label: team,
      options: members.sort((a, b) => a.name.localeCompare(b.name)).map((m) => option(agentLabel(m), m.id)),
    })),
  );
  const block: InputBlock = {
    type: 'input',
    block_id: STATUS_MODAL_IDS.agents.block,
    optional: true,
    label: plainText('Change these agents', SLACK_LIMITS.inputLabel),
    hint: plainText('Leave empty to change your own status.', SLACK_LIMITS.inputHint),
    element: {
      type: 'multi_static_select',
      action_id: STATUS_MODAL_IDS.agents.action,
      placeholder: plainText('Type a name', SLACK_LIMITS.placeholder),
      option_groups: groups,
    },
  };
  return omitted > 0
    ? [block, context(`${omitted} more agents are not listed; use \`/agent-status @user &lt;status&gt;\`.`)]
    : [block];
}

export function statusModal(input: StatusModalInput): ModalView {
  const statuses = input.statuses.slice(0, SLACK_LIMITS.selectOptions);
  const selected = statuses.find((s) => s.name === input.selected);
  const current = input.current
    ? `Now: *${userText(input.current.label, 80)}*${input.current.since ? ` since ${slackTime(input.current.since)}` : ''}`
    : 'Your current status is unknown.';
  const view: ModalView = {
    type: 'modal',
    callback_id: STATUS_MODAL_CALLBACK_ID,
    title: plainText('Agent status', SLACK_LIMITS.viewTitle),
    close: plainText('Cancel', SLACK_LIMITS.viewTitle),
    private_metadata: encodeMetadata(metadataSchema, input.metadata),
    blocks: [section(current)],
  };
  if (statuses.length === 0) {
    view.blocks.push(section('No status change is allowed from here right now.'));
    return view;
  }
  const options = statuses.map(statusOption);
  const statusSelect: InputBlock = {
    type: 'input',
    block_id: STATUS_MODAL_IDS.status.block,
    dispatch_action: true,
    label: plainText('New status', SLACK_LIMITS.inputLabel),
    element: {
      type: 'static_select',
      action_id: STATUS_MODAL_IDS.status.action,
      placeholder: plainText('Pick a status', SLACK_LIMITS.placeholder),
      options,
      ...(selected ? { initial_option: options[statuses.indexOf(selected)] } : {}),
    },
  };
  const reason = reasonBlock(selected, statuses);
  view.blocks.push(
    statusSelect,
    ...(reason ? [reason] : []),
    ...(input.agents?.length ? agentsBlock(input.agents) : []),
  );
  view.submit = plainText('Set status', SLACK_LIMITS.viewTitle);
  return view;
}
