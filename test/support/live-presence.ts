import type { SimulatorHandle } from '../../src/demo/genesys-simulator/index.js';
import type { ChannelsStatus } from '../../src/genesys/notifications.js';
import type { RunningApp } from './app.js';
import { waitFor } from './wait.js';

export interface Readiness {
  status: string;
  presenceChannel: ChannelsStatus;
}

export async function readyz(app: RunningApp): Promise<Readiness> {
  return (await (await fetch(`${app.sidecarUrl}/readyz`)).json()) as Readiness;
}

/**
 * Takes the notification service down (no channel can be created, the open ones expire) and waits until the app
 * says its channel is not live: from then on it reads Genesys for every state. The simulator's reset ends it.
 */
export async function notificationServiceDown(app: RunningApp, simulator: SimulatorHandle): Promise<Readiness> {
  simulator.injectFault({ path: '/api/v2/notifications/channels', method: 'POST', kind: 503, count: 1_000_000 });
  simulator.notifications.expireChannels();
  return waitFor(
    async () => {
      const body = await readyz(app);
      return !body.presenceChannel.live && body;
    },
    { what: '/readyz saying the presence channel is down' },
  );
}
