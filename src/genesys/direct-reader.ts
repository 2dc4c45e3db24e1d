/**
 * The presence reader for when no notification channel is live: every answer is a read of Genesys. Reads
 * asked for together (an App Home's status and boards, the read-backs of a bulk write) share one call: one
 * user read with presence and routing status expanded for a single agent, one listing per 50 for several.
 */
import type { AgentState } from '../domain/presence.js';
import type { PresenceReader } from '../pipeline/live-presence.js';
import { GenesysError, type GenesysPort } from '../pipeline/ports.js';
import { coalesced } from './coalesce.js';

export function directPresenceReader(genesys: GenesysPort): PresenceReader {
  const read = coalesced<string, AgentState>(async (agentIds) => {
    if (agentIds.length > 1) return new Map((await genesys.getAgentStates(agentIds)).map((s) => [s.agentId, s]));
    const [agentId] = agentIds as [string];
    try {
      return new Map([[agentId, await genesys.getAgentState(agentId)]]);
    } catch (error) {
      if (error instanceof GenesysError && error.kind === 'not_found') return new Map();
      throw error;
    }
  });

  return {
    async state(agentId) {
      const state = await read(agentId);
      if (state === undefined) throw new GenesysError('not_found', `Genesys has no user ${agentId}`, false);
      return state;
    },
    async states(agentIds) {
      const states = await Promise.all([...new Set(agentIds)].map(read));
      return states.filter((state) => state !== undefined);
    },
    // Without notifications the only evidence of a write is a read; a read that fails says nothing.
    confirmWrite: (agentId) => read(agentId).catch(() => undefined),
  };
}
