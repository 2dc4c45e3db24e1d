import type { SimulatorHandle } from '../../src/demo/genesys-simulator/index.js';
import { presenceVersion } from '../../src/domain/presence.js';
import type { TransitionRequest } from '../../src/domain/transition.js';
import type { TransitionIntent } from '../../src/pipeline/ports.js';

/**
 * The intent a write of `presenceLabel` for the request's target records just before it is sent, taken from
 * the simulator's state now: what a process that died around its write leaves behind.
 */
export function intentOf(
  simulator: SimulatorHandle,
  request: TransitionRequest,
  presenceLabel: string,
): TransitionIntent {
  const state = simulator.getAgentState(request.target.email);
  return {
    requestId: request.requestId,
    agentId: state.userId,
    presenceId: simulator.fixture.presenceDefinitions.find((d) => d.languageLabels.en_US === presenceLabel)!.id,
    fromVersion: presenceVersion(state),
    from: {
      status: state.presenceLabel.toLowerCase().replace(/ /g, '-'),
      presenceId: state.presenceId,
      presenceLabel: state.presenceLabel,
      routingStatus: state.routingStatus,
    },
    request,
    createdAt: new Date().toISOString(),
  };
}
