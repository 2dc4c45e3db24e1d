export { demoFixture, loadFixture, type SimulatorFixture } from './fixture.js';
export type { AgentSnapshot } from './org-state.js';
export {
  type FaultKind,
  type FaultSpec,
  type RateLimitSpec,
  type RequestLogEntry,
  type SimulatorHandle,
  type SimulatorOptions,
  startSimulator,
} from './server.js';
