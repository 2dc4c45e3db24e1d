export { demoFixture, loadFixture, type SimulatorFixture } from './fixture.js';
export {
  CHANNELS_PER_CLIENT,
  type ChannelInfo,
  CLOSING_TOPIC,
  HEARTBEAT_TOPIC,
  type NotificationControls,
  type SentNotification,
  TOPICS_PER_CHANNEL,
} from './notifications.js';
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
