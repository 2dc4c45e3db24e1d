import type { Policy } from '../policy/schema.js';
import { closestNames } from '../policy/suggest.js';
import { listWords } from '../policy/wording.js';
import { userText } from './views/blocks.js';

/** The team a person named, by id or (any case) by name. */
export function findTeam(policy: Policy, typed: string): string | undefined {
  const lower = typed.toLowerCase();
  return Object.entries(policy.teams).find(([id, team]) => id === typed || team.name.toLowerCase() === lower)?.[0];
}

/** What to say when no team matches what a person typed: the closest one, and every team there is. */
export function unknownTeamMessage(policy: Policy, typed: string): string {
  const teams = Object.entries(policy.teams);
  const asked = `There is no team "${userText(typed, 40)}"`;
  if (teams.length === 0) return `${asked}: the policy defines no teams.`;
  const [close] = closestNames(
    typed,
    teams.map(([id, team]) => ({ name: id, words: [id, team.name] })),
    1,
  );
  const known = teams.map(([id, team]) => `\`${id}\` (${userText(team.name, 60)})`);
  return `${asked}.${close ? ` Did you mean \`${close}\`?` : ''} Teams: ${listWords(known, 'and')}.`;
}
