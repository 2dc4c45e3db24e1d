/** The embedded demo's public surface, for the app's wiring and the local Slack console. */
export { type DemoBannerInput, demoBanner } from './banner.js';
export {
  type DemoAnnouncement,
  type DemoExtras,
  type DemoExtrasOptions,
  PAYROLL_RECEIVER_LOG,
  startDemoExtras,
} from './extras.js';
export { DEMO_INFO_FILE, type DemoInfo, demoInfoPath, demoPorts, readDemoInfo } from './info.js';
export { demoSlackId, demoSlackUsers } from './users.js';
