import { waitFor } from './wait.js';

/**
 * Waits until `/readyz` reports the notification channels live and covering every agent the app watches (at least
 * `agents` of them): from then on the app answers reads of those agents from the mirror.
 */
export function waitForLiveChannel(sidecarUrl: string, agents: number): Promise<true> {
  return waitFor(
    async () => {
      const ready = (await (await fetch(`${sidecarUrl}/readyz`)).json()) as {
        presenceChannel?: { live: boolean; agents: number; coveredAgents: number };
      };
      const channel = ready.presenceChannel;
      return channel?.live === true && channel.agents >= agents && channel.coveredAgents === channel.agents;
    },
    { what: `a live notification channel covering at least ${agents} agents` },
  );
}
