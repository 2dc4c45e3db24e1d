/**
 * The Slack users whose Home tab this process has published: the tabs a change seen in Genesys can leave stale.
 * Bounded, oldest forgotten first; a forgotten tab is brought up to date when its user opens it again.
 */
export interface OpenHomes {
  add(slackUserId: string): void;
  list(): string[];
}

export function openHomes(max = 5_000): OpenHomes {
  const users = new Set<string>();
  return {
    add(slackUserId) {
      users.delete(slackUserId);
      users.add(slackUserId);
      const [oldest] = users;
      if (users.size > max && oldest !== undefined) users.delete(oldest);
    },
    list: () => [...users],
  };
}
