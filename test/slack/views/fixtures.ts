/** Inputs that push the view builders to Slack's limits: 300-agent teams, long names with markup, long notes. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { SystemPresence } from '../../../src/domain/presence.js';
import { policySchema } from '../../../src/policy/schema.js';
import type { StatusCatalogEntry } from '../../../src/slack/views/blocks.js';
import type { BoardMember, TeamBoardInput } from '../../../src/slack/views/team-board.js';

/** 150+ characters with every mrkdwn control character and an emoji (a surrogate pair) near the cut. */
export function longName(i: number): string {
  return `Agent ${i} <b>&amp; ${'Bartholomew-Maximilian '.repeat(6)}😀 von Überlänge`;
}

export const LONG_TEXT = `${'Escalations <@U123> & <!here> > handled; '.repeat(120)}end`;

/** The repository's default policy, as the catalog the views receive. */
export function defaultCatalog(): StatusCatalogEntry[] {
  const policy = policySchema.parse(
    parse(readFileSync(new URL('../../../policy/default.yaml', import.meta.url), 'utf8')),
  );
  return Object.entries(policy.statuses).map(([name, s]) => ({
    name,
    label: s.label ?? s.presence,
    aliases: s.aliases,
    reason: s.reason,
    ...(s.reasons ? { reasons: s.reasons } : {}),
  }));
}

/** A catalog far larger than any real one, with long labels, aliases and reason lists. */
export function hugeCatalog(size = 150): StatusCatalogEntry[] {
  return Array.from({ length: size }, (_, i) => ({
    name: `status-${i}`,
    label: `Status ${i} ${'with a very long label '.repeat(4)}`,
    aliases: Array.from({ length: 8 }, (_, j) => `s${i}-alias-${j}`),
    reason: i % 3 === 0 ? 'required' : i % 3 === 1 ? 'optional' : 'none',
    ...(i % 3 === 0 ? { reasons: Array.from({ length: 120 }, (_, j) => `reason number ${j} for ${i}`) } : {}),
  }));
}

const SPREAD: readonly { status: string; label: string; presence: SystemPresence; share: number }[] = [
  { status: 'on-queue', label: 'On Queue', presence: 'ON_QUEUE', share: 0.5 },
  { status: 'offline', label: 'Offline', presence: 'OFFLINE', share: 0.3 },
  { status: 'break', label: 'Break', presence: 'BREAK', share: 0.05 },
  { status: 'lunch', label: 'Lunch', presence: 'MEAL', share: 0.05 },
  { status: 'training', label: 'Training', presence: 'TRAINING', share: 0.05 },
  { status: 'available', label: 'Available', presence: 'AVAILABLE', share: 0.05 },
];

/** `size` members spread over six statuses, every name long. Ids are UUID-sized like Genesys user ids. */
export function bigTeam(size = 300, teamId = 'billing'): TeamBoardInput {
  const members: BoardMember[] = [];
  let i = 0;
  for (const [k, group] of SPREAD.entries()) {
    const count = k === SPREAD.length - 1 ? size - members.length : Math.round(size * group.share);
    for (let j = 0; j < count; j += 1, i += 1) {
      members.push({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: longName(i),
        status: group.status,
        statusLabel: group.label,
        systemPresence: group.presence,
      });
    }
  }
  return {
    teamId,
    teamName: `${teamId} <Team> & ${'Operations '.repeat(20)}`,
    members,
    caps: { break: 2, lunch: 40, meeting: 3 },
    statusLabels: { meeting: 'Meeting' },
    onQueueFloor: 200,
    refreshedAt: '2026-03-02T14:02:11.000Z',
  };
}
