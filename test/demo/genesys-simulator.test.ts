import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFINITION_SYSTEM_PRESENCES, demoFixture } from '../../src/demo/genesys-simulator/fixture.js';
import { type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/server.js';
import { definitionId, userId } from '../genesys/helpers.js';
import { virtualClock } from '../support/clock.js';
import { waitFor } from '../support/wait.js';

// The simulator's rate limit window, token expiry and latency run on this clock, never on the wall clock.
const clock = virtualClock();
let sim: SimulatorHandle;
let token: string;

async function getToken(basic = 'demo-client:demo-secret'): Promise<Response> {
  return fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(basic).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

/** `bearer` null: no Authorization header (control API, auth tests). */
async function api(method: string, path: string, body?: unknown, bearer: string | null = token) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

beforeAll(async () => {
  sim = await startSimulator({ now: clock.now, sleep: clock.sleep });
  const response = await getToken();
  token = ((await response.json()) as { access_token: string }).access_token;
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('demo fixture', () => {
  it('has the named demo users, 30 numbered agents and the demo OAuth client', () => {
    const emails = demoFixture().users.map((u) => u.email);
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan']) {
      expect(emails).toContain(`${name}@example.com`);
    }
    for (const name of ['sam.super', 'sue.lead', 'ada.admin']) expect(emails).toContain(`${name}@example.com`);
    for (let i = 1; i <= 30; i++) expect(emails).toContain(`agent${String(i).padStart(2, '0')}@example.com`);
    expect(emails).toHaveLength(42);
    expect(demoFixture().oauthClients[0]).toMatchObject({ clientId: 'demo-client', clientSecret: 'demo-secret' });
  });

  it('has the ten system presences and Lunch (Meal) and Coaching (Training)', () => {
    const definitions = demoFixture().presenceDefinitions;
    expect(DEFINITION_SYSTEM_PRESENCES).toHaveLength(10);
    expect(definitions.filter((d) => d.type === 'System').map((d) => d.systemPresence)).toEqual([
      ...DEFINITION_SYSTEM_PRESENCES,
    ]);
    expect(definitions.filter((d) => d.type === 'User').map((d) => [d.languageLabels.en_US, d.systemPresence])).toEqual(
      [
        ['Lunch', 'Meal'],
        ['Coaching', 'Training'],
      ],
    );
  });

  it('starts most users Available or On Queue', () => {
    const labels = sim.users().map((u) => sim.getAgentState(u.id).presenceLabel);
    const common = labels.filter((l) => l === 'Available' || l === 'On Queue').length;
    expect(common / labels.length).toBeGreaterThan(0.8);
  });
});

describe('OAuth', () => {
  it('issues a bearer token for the right Basic credentials with the configured expires_in', async () => {
    const response = await getToken();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'bearer', expires_in: 86400 });
    sim.setTokenExpiresIn(5);
    expect(await (await getToken()).json()).toMatchObject({ expires_in: 5 });
    expect(sim.tokenRequestCount()).toBe(2);
  });

  it('refuses wrong credentials', async () => {
    expect((await getToken('demo-client:wrong')).status).toBe(401);
    expect((await getToken('nobody:demo-secret')).status).toBe(401);
  });

  it('answers 401 with an ErrorBody without a bearer token, with an unknown one, and after expiry', async () => {
    const missing = await api('GET', '/api/v2/presence/definitions', undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ status: 401, code: 'authentication.required' });
    expect((await api('GET', '/api/v2/presence/definitions', undefined, 'made-up')).status).toBe(401);
    sim.expireTokens();
    expect((await api('GET', '/api/v2/presence/definitions')).json).toMatchObject({ code: 'bad.credentials' });
    token = ((await (await getToken()).json()) as { access_token: string }).access_token;
  });
});

describe('presence', () => {
  it('answers user presences with On Queue spelled with a space and no etag or version', async () => {
    const alice = userId(sim, 'alice@example.com');
    const { json } = await api('GET', `/api/v2/users/${alice}/presences/purecloud`);
    expect(json.presenceDefinition.systemPresence).toBe('On Queue');
    expect(Object.keys(json).sort()).toEqual([
      'message',
      'modifiedDate',
      'presenceDefinition',
      'primary',
      'selfUri',
      'source',
    ]);
  });

  it('moves routing status with On Queue and modifiedDate on every write, strictly increasing', async () => {
    const carol = userId(sim, 'carol@example.com');
    const onQueue = definitionId(sim, 'On Queue');
    const breakId = definitionId(sim, 'Break');
    const dates: string[] = [];
    for (const id of [onQueue, onQueue, breakId, onQueue, breakId]) {
      const { status, json } = await api('PATCH', `/api/v2/users/${carol}/presences/purecloud`, {
        presenceDefinition: { id },
      });
      expect(status).toBe(200);
      dates.push(json.modifiedDate);
      const routing = await api('GET', `/api/v2/users/${carol}/routingstatus`);
      expect(routing.json.status).toBe(id === onQueue ? 'IDLE' : 'OFF_QUEUE');
    }
    for (let i = 1; i < dates.length; i++) expect(Date.parse(dates[i]!)).toBeGreaterThan(Date.parse(dates[i - 1]!));
  });

  it('keeps modifiedDate strictly increasing even within one millisecond', () => {
    const dates = Array.from({ length: 50 }, () => sim.setAgentPresence('bob@example.com', 'Break').modifiedDate);
    expect(new Set(dates).size).toBe(50);
    expect([...dates].sort()).toEqual(dates);
  });

  it('rejects an unknown definition id and a malformed body with a Genesys ErrorBody', async () => {
    const dave = userId(sim, 'dave@example.com');
    const unknown = await api('PATCH', `/api/v2/users/${dave}/presences/purecloud`, {
      presenceDefinition: { id: 'no-such-definition' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({
      status: 400,
      code: 'bad.request',
      message: expect.stringContaining('no-such-definition'),
    });
    for (const body of ['{not json', { presenceDefinition: 'Break' }, {}]) {
      const bad = await api('PATCH', `/api/v2/users/${dave}/presences/purecloud`, body);
      expect(bad.status).toBe(400);
      expect(bad.json).toMatchObject({ status: 400, code: 'bad.request' });
    }
    expect(sim.getAgentState(dave).presenceLabel).toBe('On Queue');
  });

  it('answers 404 for an unknown user', async () => {
    const { status, json } = await api('GET', '/api/v2/users/nobody/presences/purecloud');
    expect(status).toBe(404);
    expect(json).toMatchObject({ status: 404, code: 'not.found' });
  });

  it('reads and writes presences in bulk, at most 50 per call', async () => {
    const ids = sim.users().map((u) => u.id);
    const read = await api('GET', `/api/v2/users/presences/purecloud/bulk?id=${ids.slice(0, 50).join(',')}`);
    expect(read.status).toBe(200);
    expect(read.json).toHaveLength(42);
    expect(read.json[0]).toHaveProperty('userId');
    const lunch = definitionId(sim, 'Lunch');
    const written = await api(
      'PUT',
      '/api/v2/users/presences/bulk',
      ids.slice(0, 3).map((id) => ({ id, presenceDefinition: { id: lunch } })),
    );
    expect(written.status).toBe(200);
    expect(written.json.map((p: { id: string }) => p.id)).toEqual(ids.slice(0, 3));
    expect(sim.getAgentState(ids[0]!)).toMatchObject({
      presenceLabel: 'Lunch',
      systemPresence: 'Meal',
      routingStatus: 'OFF_QUEUE',
    });
    const tooMany = Array.from({ length: 51 }, () => ({ id: ids[0], presenceDefinition: { id: lunch } }));
    expect((await api('PUT', '/api/v2/users/presences/bulk', tooMany)).status).toBe(400);
  });
});

describe('users', () => {
  it('finds a user by exact e-mail and lists users with routing status expanded', async () => {
    const search = await api('POST', '/api/v2/users/search', {
      query: [{ type: 'EXACT', fields: ['email'], value: 'Heidi@Example.com' }],
    });
    expect(search.json.results.map((u: { email: string }) => u.email)).toEqual(['heidi@example.com']);
    const heidi = userId(sim, 'heidi@example.com');
    const listing = await api('GET', `/api/v2/users?id=${heidi}&expand=routingStatus`);
    expect(listing.json.entities[0]).toMatchObject({ id: heidi, routingStatus: { status: 'OFF_QUEUE' } });
    const utilization = await api('GET', `/api/v2/routing/users/${heidi}/utilization`);
    expect(utilization.json.utilization.chat.maximumCapacity).toBe(3);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and inin-ratelimit headers once a client exceeds its limit', async () => {
    sim.setRateLimit({ requests: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) {
      const ok = await api('GET', '/api/v2/presence/definitions');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('inin-ratelimit-allowed')).toBe('3');
    }
    const limited = await api('GET', '/api/v2/presence/definitions');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.headers.get('inin-ratelimit-count')).toBe('3');
    expect(limited.json).toMatchObject({ status: 429, code: 'too.many.requests' });
  });
});

describe('control API', () => {
  it('injects faults by path pattern, counts them down and logs requests', async () => {
    const ctl = (method: string, path: string, body?: unknown) => api(method, `/__sim${path}`, body, null);
    expect((await ctl('POST', '/faults', { path: '/api/v2/users/*/routingstatus', kind: 503, count: 2 })).status).toBe(
      204,
    );
    const erin = userId(sim, 'erin@example.com');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api('GET', `/api/v2/users/${erin}/routingstatus`)).status);
    expect(statuses).toEqual([503, 503, 200]);
    const log = await ctl('GET', '/requests?path=/api/v2/users/*/routingstatus');
    expect(log.json.requests.map((r: { status: number }) => r.status)).toEqual([503, 503, 200]);
    expect(log.json.requests[2]).toMatchObject({ method: 'GET', clientId: 'demo-client' });
  });

  it('changes and reads an agent "from the Genesys UI"', async () => {
    const changed = await api('PUT', '/__sim/agents/ivan@example.com/presence', { presence: 'Coaching' }, null);
    expect(changed.json).toMatchObject({ presenceLabel: 'Coaching', systemPresence: 'Training' });
    const read = await api('GET', '/__sim/agents/ivan@example.com', undefined, null);
    expect(read.json.modifiedDate).toBe(changed.json.modifiedDate);
  });

  it('slows every call by the configured latency and counts token requests', async () => {
    await api('PUT', '/__sim/latency', { ms: 150 }, null);
    const waits = clock.slept.length;
    await api('GET', '/api/v2/presence/definitions');
    expect(clock.slept.slice(waits)).toEqual([150]);
    await getToken();
    expect((await api('GET', '/__sim/token-requests', undefined, null)).json).toEqual({ count: 1 });
  });

  it('drops the connection for a reset fault and never answers a timeout fault', async () => {
    sim.injectFault({ path: '/api/v2/presence/definitions', kind: 'reset' });
    await expect(api('GET', '/api/v2/presence/definitions')).rejects.toThrow();
    sim.injectFault({ path: '/api/v2/presence/**', kind: 'timeout' });
    await expect(
      fetch(`${sim.url}/api/v2/presence/definitions`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    const entries = await waitFor(
      () => {
        const logged = sim.requests({ path: '/api/v2/presence/definitions' });
        return logged.length === 2 ? logged : undefined;
      },
      { what: 'both faulty calls in the request log' },
    );
    const statuses = entries.map((e) => e.status);
    expect(statuses).toEqual([0, 0]);
  });

  it('rejects an invalid control request with a reason', async () => {
    const bad = await api('POST', '/__sim/faults', { path: '/x', kind: 418 }, null);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/kind/);
  });
});
