/**
 * Small pieces of wording shared by the messages people read. Messages are plain text: a surface escapes them
 * for its own markup, and shows the people a refusal names (`Refusal.people`) its own way.
 */
import type { SystemPresence } from '../domain/presence.js';

/** `[a]` → `a`; `[a, b]` → `a or b`; `[a, b, c]` → `a, b or c`. */
export function listWords(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/** People named in a refusal: all of them up to `max`, then a count, so a message stays one line. */
export function listPeople(people: readonly string[], max = 5): string {
  if (people.length <= max) return people.join(', ');
  return `${people.slice(0, max).join(', ')} and ${people.length - max} more`;
}

/** 40 → `40 s`; 90 → `90 s`; 300 → `5 min`; 260 → `4 min 20 s`. Seconds up to 90 read more easily. */
export function formatSeconds(seconds: number): string {
  if (seconds <= 90) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** `ON_QUEUE` → `On Queue`, as Genesys shows it. */
export function systemPresenceLabel(presence: SystemPresence): string {
  return presence
    .split('_')
    .map((word) => word[0] + word.slice(1).toLowerCase())
    .join(' ');
}

/** `1 agent`, `2 agents`. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Text the person typed, echoed back: trimmed and shortened. */
export function echoTyped(text: string, max = 40): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
}
