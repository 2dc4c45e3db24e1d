/**
 * A full scenario through the real app process with distinctive secrets in every secret variable: commands, a
 * conflict, a handover, payroll deliveries and their acks, a forged signature, a failed Genesys token fetch.
 * Afterwards every place the app writes to (its stdout and stderr, the audit log, every text column of every
 * table of its SQLite store, every file in its data folder, `/metrics`) is searched for every secret and token.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFixture, type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/index.js';
import { demoSlackUsers } from '../../src/demo/index.js';
import { type PayrollReceiver, startPayrollReceiver } from '../../src/demo/payroll-receiver.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/demo/slack-web-api.js';
import { HANDOVER_MODAL_IDS } from '../../src/slack/views/handover-modal.js';
import { type SpawnedApp, spawnApp, tempDir } from '../support/process.js';
import { slackDriver, slackIdOf } from '../support/slack-e2e.js';
import { postSigned } from '../support/slack-request.js';
import { waitFor } from '../support/wait.js';

const WAIT_MS = 20_000;
const SECRETS = {
  SLACK_SIGNING_SECRET: 'sgn-7f3a9c1e5b2d4680aceg-soaksecret',
  SLACK_BOT_TOKEN: 'xoxb-5551234-9876543-QwErTyUiOpAsDfGhJkLz',
  GENESYS_CLIENT_ID: 'client-id-4b7e2a91',
  GENESYS_CLIENT_SECRET: 'gcs-Zx8Vq2Lm7Np4Rt6Yw1Kb3Hd5',
  PAYROLL_WEBHOOK_SECRET: 'whsec_c2VjcmV0cy10ZXN0LXBheXJvbGwta2V5LTQyNDI0Mg==',
};

let simulator: SimulatorHandle;
let standIn: SlackStandIn;
let receiver: PayrollReceiver;
let app: SpawnedApp;
let dataDir: string;
let slackUrl = '';
let sidecarUrl = '';
let metricsText = '';

const slack = slackDriver(
  () => ({ slackUrl, settings: { slack: { signingSecret: SECRETS.SLACK_SIGNING_SECRET } } }),
  () => standIn,
  WAIT_MS,
);
const presenceOf = (email: string) => simulator.getAgentState(email).presenceLabel;

beforeAll(async () => {
  const fixture = demoFixture();
  fixture.oauthClients = [{ clientId: SECRETS.GENESYS_CLIENT_ID, clientSecret: SECRETS.GENESYS_CLIENT_SECRET }];
  simulator = await startSimulator({ fixture });
  standIn = await startSlackStandIn({ users: demoSlackUsers(simulator.users()) });
  receiver = await startPayrollReceiver({ secret: SECRETS.PAYROLL_WEBHOOK_SECRET, behaviour: { ack: 'processed' } });
  dataDir = tempDir('agent-status-secrets-');
  app = spawnApp({
    ...SECRETS,
    GENESYS_API_URL: simulator.url,
    SLACK_API_URL: standIn.apiUrl,
    PAYROLL_WEBHOOK_URL: receiver.url,
    PORT: '0',
    SIDECAR_PORT: '0',
    DATA_DIR: dataDir,
    STORE_URL: `sqlite:${join(dataDir, 'agent-status.db')}`,
    AUDIT_LOG_FILE: join(dataDir, 'audit.log'),
    // Everything the app can say, so a secret in a debug line is found too.
    LOG_LEVEL: 'trace',
  });
  const started = await app.waitForLog('agent-status started');
  slackUrl = `http://127.0.0.1:${started.slackPort}/slack/events`;
  sidecarUrl = `http://127.0.0.1:${started.sidecarPort}`;
  receiver.ackTo(`${sidecarUrl}/webhooks/payroll/ack`);
}, 60_000);

afterAll(async () => {
  if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
  await Promise.all([simulator?.close(), standIn?.close(), receiver?.close()]);
});

describe('a full scenario leaves no secret behind', () => {
  it('runs commands, a conflict, a handover, payroll with acks, a forged signature and a failed token fetch', async () => {
    const alice = await slack.command(slackIdOf('alice@example.com'), 'brb coffee');
    await slack.responses(alice.responseUrl);
    expect(presenceOf('alice@example.com')).toBe('Break');

    // Conflict: Carol's Home tab shows Available, Genesys moves her to Busy, she clicks Break on the stale page.
    const carol = slackIdOf('carol@example.com');
    const home = await slack.openHome(carol);
    simulator.setAgentPresence('carol@example.com', 'Busy');
    const dms = slack.messagesTo(carol).length;
    expect((await slack.clickOnHome(carol, home, 'home_set_status:break', 'break')).status).toBe(200);
    const conflict = await slack.until(() => slack.messagesTo(carol)[dms], 'the conflict message');
    const actions = (conflict.args.blocks as { type: string; elements?: { value: string }[] }[]).find(
      (b) => b.type === 'actions',
    );
    await slack.pressInMessage(carol, 'conflict_apply_anyway', actions!.elements![0]!.value);
    expect(presenceOf('carol@example.com')).toBe('Break');

    // Handover: Erin goes off shift.
    const { viewId, view } = await slack.openModal(slackIdOf('sam.super@example.com'), 'handover billing');
    const erin = simulator.getAgentState('erin@example.com').userId;
    const ids = HANDOVER_MODAL_IDS;
    const picked = (value: string | null) => ({
      type: 'static_select',
      selected_option: value && { text: { type: 'plain_text', text: value }, value },
    });
    const submitted = await slack.submitView(slackIdOf('sam.super@example.com'), viewId, view, {
      [ids.outgoing.block]: {
        [ids.outgoing.action]: {
          type: 'multi_static_select',
          selected_options: [{ text: { type: 'plain_text', text: 'Erin' }, value: erin }],
        },
      },
      [ids.outgoingStatus.block]: { [ids.outgoingStatus.action]: picked('offline') },
      [ids.incoming.block]: { [ids.incoming.action]: { type: 'multi_static_select', selected_options: [] } },
      [ids.incomingStatus.block]: { [ids.incomingStatus.action]: picked('on-queue') },
      [ids.incomingSupervisor.block]: {
        [ids.incomingSupervisor.action]: { type: 'users_select', selected_user: null },
      },
      [ids.notes.block]: { [ids.notes.action]: { type: 'plain_text_input', value: 'quiet shift' } },
    });
    expect(submitted.status).toBe(200);
    await waitFor(() => presenceOf('erin@example.com') === 'Offline', { what: 'Erin offline' });

    // Payroll: every change delivered, signed with the webhook secret, and acknowledged through the sidecar.
    await waitFor(() => receiver.deliveries.length === 3, { what: 'three payroll deliveries' });
    await waitFor(() => receiver.acks.length === 3, { what: 'three acknowledgements' });
    expect(receiver.acks.map((ack) => ack.result)).toEqual([200, 200, 200]);

    // A forged request: the signature is refused.
    const forged = await postSigned(slackUrl, 'command=%2Fagent-status&text=offline&user_id=UBOB', {
      secret: SECRETS.SLACK_SIGNING_SECRET,
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(forged.status).toBe(401);

    // Genesys's token endpoint fails while the app needs a new token: the change fails and says so.
    simulator.injectFault({ path: '/oauth/token', kind: 503, count: 1_000 });
    simulator.expireTokens();
    const agent = await slack.command(slackIdOf('agent05@example.com'), 'meeting');
    const [failed] = await slack.responses(agent.responseUrl, 1, WAIT_MS);
    expect(String(failed?.text)).toContain(':warning:');
    expect(presenceOf('agent05@example.com')).not.toBe('Meeting');
    simulator.clearFaults();
    const again = await slack.command(slackIdOf('agent05@example.com'), 'meeting');
    await slack.responses(again.responseUrl, 1, WAIT_MS);
    expect(presenceOf('agent05@example.com')).toBe('Meeting');

    metricsText = await (await fetch(`${sidecarUrl}/metrics`)).text();
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  }, 120_000);

  it('finds no secret or token in the logs, the audit log, the store, the data folder or /metrics', () => {
    expect(metricsText).toContain('agent_status_transitions_total');
    const tokens = simulator.issuedTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const wanted: [string, string][] = [
      ...Object.entries(SECRETS).filter(([name]) => name !== 'GENESYS_CLIENT_ID'),
      ['PAYROLL_WEBHOOK_SECRET (key)', SECRETS.PAYROLL_WEBHOOK_SECRET.slice('whsec_'.length)],
      [
        'Genesys Basic credentials',
        Buffer.from(`${SECRETS.GENESYS_CLIENT_ID}:${SECRETS.GENESYS_CLIENT_SECRET}`).toString('base64'),
      ],
      ...tokens.map((token, i): [string, string] => [`Genesys access token #${i + 1}`, token]),
    ];

    const places: [string, string][] = [
      ['stdout', app.stdout()],
      ['stderr', app.stderr()],
      ['/metrics', metricsText],
      ...readdirSync(dataDir).map((file): [string, string] => [
        `file ${file}`,
        readFileSync(join(dataDir, file)).toString('latin1'),
      ]),
    ];
    const db = new Database(join(dataDir, 'agent-status.db'), { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        for (const [column, value] of Object.entries(row)) {
          if (typeof value === 'string') places.push([`store ${table}.${column}`, value]);
          else if (Buffer.isBuffer(value)) places.push([`store ${table}.${column}`, value.toString('latin1')]);
        }
      }
    }
    db.close();
    expect(places.find(([where]) => where === 'file audit.log')?.[1]).toContain('alice@example.com');

    const leaks = new Set(
      wanted.flatMap(([secret, value]) =>
        places.filter(([, text]) => text.includes(value)).map(([where]) => `${secret} in ${where}`),
      ),
    );
    expect([...leaks]).toEqual([]);
  });
});
