/**
 * Fuzzing every edge a stranger or a peer can reach: whatever arrives gets a clear error or a valid outcome,
 * never a 5xx, a crash, a stack in the log or a change. Runs are few (a loaded 2-core machine runs the suite).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envSchema, loadConfig } from '../../src/config/env.js';
import { parsePolicy } from '../../src/config/policy-file.js';
import { genesysRegionProblem } from '../../src/genesys/region.js';
import { createWebhook, signHeaders } from '../../src/payroll/webhook.js';
import { CONFLICT_ACTIONS } from '../../src/slack/views/conflict.js';
import { HANDOVER_MODAL_CALLBACK_ID } from '../../src/slack/views/handover-modal.js';
import { HOME_ACTIONS } from '../../src/slack/views/home.js';
import { PAYROLL_ADMIN_ACTIONS } from '../../src/slack/views/payroll-admin.js';
import { STATUS_MODAL_CALLBACK_ID } from '../../src/slack/views/status-modal.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { interactionFrom, slackIdOf, withDemoApp } from '../support/slack-e2e.js';
import { postSigned } from '../support/slack-request.js';

const RUNS = 25;
const { running, simulator, standIn, command, interact, responses } = withDemoApp();

const stacksLogged = () =>
  running()
    .logLines()
    .filter((l) => JSON.stringify(l).includes('"stack"')).length;
/** Presence writes (single and bulk); subscribing a notification channel to agents changes nobody. */
const genesysWrites = () =>
  simulator().requests({ method: 'PATCH' }).length +
  simulator().requests({ method: 'PUT', path: '/api/v2/users/presences/bulk' }).length;

/** Words people (and attackers) type, Slack's escapes and mentions among them. */
const word = fc.oneof(
  fc.constantFrom('show', 'who', 'help', 'history', 'handover', 'undo', 'payroll', 'override', 'billing', 'nobody'),
  fc.constantFrom('&amp;', '&lt;', '&gt;', '&amp;lt;', '<@U1>', '<@UALICE|alice>', '<!channel>', '@bob', '`', '*'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.nat(2_000).map((n) => 'z'.repeat(n)),
);
/** A first word no catalog status has, so no fuzzed command can be a valid change. */
const notAStatus = fc.constantFrom('zz', 'x&amp;y', '&lt;b&gt;', 'brk!', '<@UNOBODY>');

describe('fuzzing the running app', () => {
  it('answers any slash command text with 200 and a clear answer, changing nothing', async () => {
    const writes = genesysWrites();
    const stacks = stacksLogged();
    await fc.assert(
      fc.asyncProperty(notAStatus, fc.array(word, { maxLength: 6 }), async (first, rest) => {
        const text = [first, ...rest].join(' ');
        const result = await command(slackIdOf('alice@example.com'), text);
        const ack = JSON.stringify(result.body);
        if (ack.includes('⏳')) {
          const [answer] = await responses(result.responseUrl);
          expect(JSON.stringify(answer)).not.toContain('Something went wrong');
        }
      }),
      { numRuns: RUNS },
    );
    expect(genesysWrites()).toBe(writes);
    expect(stacksLogged()).toBe(stacks);
  });

  const actionId = fc.constantFrom(
    ...Object.values(CONFLICT_ACTIONS),
    ...Object.values(PAYROLL_ADMIN_ACTIONS),
    HOME_ACTIONS.refresh,
  );
  const jsonish = fc.oneof(fc.string({ maxLength: 2_100 }), fc.jsonValue({ maxDepth: 2 }));

  it('answers any button press with a 200 or a 4xx, changing nothing', async () => {
    const writes = genesysWrites();
    const stacks = stacksLogged();
    await fc.assert(
      fc.asyncProperty(actionId, jsonish, fc.option(jsonish), async (action, value, metadata) => {
        const res = await interact({
          ...interactionFrom('block_actions', slackIdOf('bob@example.com')),
          response_url: `${standIn().responseUrlBase}fuzz`,
          actions: [{ type: 'button', action_id: action, block_id: 'b', value, action_ts: '1.1' }],
          ...(metadata === null ? {} : { view: { id: 'VHOME', type: 'home', blocks: [], private_metadata: metadata } }),
        });
        expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(genesysWrites()).toBe(writes);
    console.log(
      running()
        .logLines()
        .filter((l) => JSON.stringify(l).includes('"stack"'))
        .map((l) => JSON.stringify(l).slice(0, 600))
        .join('\n'),
    );
    expect(stacksLogged()).toBe(stacks);
  });

  it('answers any modal submission with a 200 (field errors included) or a 4xx, changing nothing', async () => {
    const writes = genesysWrites();
    const stacks = stacksLogged();
    const field = fc.record(
      {
        type: fc.constantFrom('plain_text_input', 'static_select', 'multi_static_select', 'users_select'),
        value: jsonish,
        selected_option: fc.option(fc.record({ value: jsonish })),
        selected_options: fc.array(fc.record({ value: fc.string({ maxLength: 20 }) }), { maxLength: 3 }),
        selected_user: jsonish,
      },
      { requiredKeys: ['type'] },
    );
    const values = fc.dictionary(
      fc.constantFrom('status', 'reason', 'agent', 'going_off', 'coming_on', 'notes', 'x'),
      fc.dictionary(fc.constantFrom('status', 'reason', 'agent', 'going_off', 'value', 'x'), field, { maxKeys: 2 }),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(STATUS_MODAL_CALLBACK_ID, HANDOVER_MODAL_CALLBACK_ID),
        values,
        fc.option(jsonish),
        async (callbackId, state, metadata) => {
          const res = await interact({
            ...interactionFrom('view_submission', slackIdOf('sam.super@example.com')),
            view: {
              id: 'VFUZZ',
              type: 'modal',
              callback_id: callbackId,
              blocks: [],
              state: { values: state },
              ...(metadata === null ? {} : { private_metadata: metadata }),
            },
          });
          expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
    expect(genesysWrites()).toBe(writes);
    expect(stacksLogged()).toBe(stacks);
  });

  it('answers any interaction payload, JSON or not, with a 4xx or a 200', async () => {
    const stacks = stacksLogged();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (payload) => {
          const body = new URLSearchParams({ payload }).toString();
          const res = await postSigned(running().slackUrl, body, { secret: running().settings.slack.signingSecret });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
    expect(stacksLogged()).toBe(stacks);
  });

  it('answers any signed acknowledgement body with a 4xx, leaving the outbox as it was', async () => {
    const store = openSqliteStore(running().config.storePath);
    const webhook = createWebhook(running().settings.payroll.secret);
    let n = 0;
    try {
      const before = await store.outbox.list();
      const body = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        fc
          .record({ eventId: fc.string(), status: fc.string(), message: fc.option(fc.string({ maxLength: 2_100 })) })
          .map((v) => JSON.stringify(v)),
      );
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          const res = await fetch(`${running().sidecarUrl}/webhooks/payroll/ack`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...signHeaders(webhook, `msg_fuzz_${++n}`, text) },
            body: text,
          });
          expect([400, 404]).toContain(res.status);
          expect(res.headers.get('content-type')).toContain('application/json');
        }),
        { numRuns: RUNS },
      );
      expect(await store.outbox.list()).toEqual(before);
    } finally {
      await store.close();
    }
  });
});

describe('fuzzing configuration', () => {
  const names = [
    'PORT',
    'SIDECAR_PORT',
    'GENESYS_REGION',
    'GENESYS_CLIENT_ID',
    'GENESYS_CLIENT_SECRET',
    'SLACK_BOT_TOKEN',
  ];
  it('turns any environment into a configuration or lines naming variables, never a throw', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(
            fc.constantFrom(...names),
            fc.string({ maxLength: 20 }).map((s) => `GENESYS_${s}`),
          ),
          fc.string({ maxLength: 40 }),
          { maxKeys: 6 },
        ),
        (env) => {
          const loaded = loadConfig(env, { genesysRegionProblem });
          if (loaded.ok) return;
          expect(loaded.errors.length).toBeGreaterThan(0);
          const named = [...Object.keys(env), ...Object.keys(envSchema.shape)];
          for (const line of loaded.errors) expect(named.some((name) => line.startsWith(`${name}: `))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('turns any policy text into a policy or errors with file:line, never a throw', () => {
    const yamlish = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .array(
          fc.constantFrom(
            'version: 1',
            'statuses:',
            '  break: { presence: Break }',
            'teams:',
            '  - x',
            'caps: -1',
            ':',
          ),
          { maxLength: 8 },
        )
        .map((l) => l.join('\n')),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        const parsed = parsePolicy(text, 'fuzz.yaml');
        if (parsed.ok) return;
        for (const line of parsed.errors) expect(line).toMatch(/^fuzz\.yaml(:\d+)*: \S/);
      }),
      { numRuns: 200 },
    );
  });
});
