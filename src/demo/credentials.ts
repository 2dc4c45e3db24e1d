/**
 * The embedded demo's secrets: public on purpose (see README), used only for what the configuration leaves
 * unset, and accepted only by the demo's own stand-ins.
 */

/** Slack signs requests with it; the local Slack console does too. */
export const DEMO_SLACK_SIGNING_SECRET = 'demo-signing-secret';

/** The app sends it to the Slack Web API stand-in, which takes any token. */
export const DEMO_SLACK_BOT_TOKEN = 'xoxb-demo-token';

/** Signs payroll deliveries and the demo receiver's acknowledgements. */
export const DEMO_PAYROLL_SECRET = 'whsec_ZGVtby1wYXlyb2xsLXNlY3JldC0wMTIzNDU2Nzg5';
