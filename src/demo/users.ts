/**
 * The embedded demo's Slack workspace: one Slack user per simulator user, with an id anyone can guess from the
 * e-mail (`alice@example.com` → `UALICE`), so the console, the README and the tests can name people.
 */
import type { StandInUser } from './slack-web-api.js';

export function demoSlackId(email: string): string {
  return `U${email
    .split('@')[0]!
    .replace(/[^a-z0-9]/gi, '')
    .toUpperCase()}`;
}

export function demoSlackUsers(people: readonly { name: string; email: string }[]): StandInUser[] {
  return people.map((person) => ({ id: demoSlackId(person.email), name: person.name, email: person.email }));
}
