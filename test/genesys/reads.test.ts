/**
 * What reads cost at the simulator: one call for an agent's presence and routing status, a counted fallback
 * when an expand leaves a field out, e-mail searches asked for together sharing one call, and the direct
 * presence reader batching reads asked for at once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/demo/genesys-simulator/server.js';
import { presenceVersion } from '../../src/domain/presence.js';
import type { ExpandedField } from '../../src/genesys/client.js';
import { directPresenceReader } from '../../src/genesys/direct-reader.js';
import { GenesysError } from '../../src/pipeline/ports.js';
import { fixtureWithAgents, simulatorClient, userId } from './helpers.js';

let sim: SimulatorHandle;
/** Answers of `GET /api/v2/users…` pass through it with these fields taken out of every user. */
const dropped = new Set<string>();
let proxy: Server;
let proxyUrl: string;

/**
 * Stands between the client and the simulator and removes expanded fields from user answers, as Genesys may
 * (it resolves expands best effort).
 */
function startDroppingProxy(target: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    delete headers.host;
    delete headers['content-length'];
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    let body = await answer.text();
    const path = new URL(req.url ?? '/', target).pathname;
    if (/^\/api\/v2\/users(\/[^/]+)?$/.test(path) && answer.ok) {
      const json = JSON.parse(body) as { entities?: Record<string, unknown>[] } & Record<string, unknown>;
      for (const user of json.entities ?? [json]) for (const field of dropped) delete user[field];
      body = JSON.stringify(json);
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  sim = await startSimulator({ fixture: fixtureWithAgents(20) });
  proxy = await startDroppingProxy(sim.url);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  dropped.clear();
});

const apiCalls = (path = '/api/**') => sim.requests({ path }).length;

describe("an agent's state", () => {
  it('costs one call: the user with presence and routing status expanded', async () => {
    const missing: ExpandedField[] = [];
    const genesys = simulatorClient(sim, { onExpandMissing: (field) => missing.push(field) });
    const bob = userId(sim, 'bob@example.com');
    const state = await genesys.getAgentState(bob);
    expect(state).toMatchObject({ agentId: bob, systemPresence: 'ON_QUEUE', routingStatus: 'IDLE' });
    expect(sim.requests({ path: '/api/**' }).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v2/users/${bob}`]);
    expect(missing).toEqual([]);
  });

  it.each([
    ['presence', '/api/v2/users/*/presences/purecloud'],
    ['routingStatus', '/api/v2/users/*/routingstatus'],
  ] as const)('reads %s from its own endpoint when the expand left it out, and counts it', async (field, endpoint) => {
    dropped.add(field);
    const missing: ExpandedField[] = [];
    const genesys = simulatorClient(sim, { apiUrl: proxyUrl, onExpandMissing: (f) => missing.push(f) });
    const bob = userId(sim, 'bob@example.com');
    const truth = sim.getAgentState('bob@example.com');
    expect(await genesys.getAgentState(bob)).toEqual({
      agentId: bob,
      presenceId: truth.presenceId,
      systemPresence: 'ON_QUEUE',
      routingStatus: 'IDLE',
      modifiedDate: truth.modifiedDate,
    });
    expect(apiCalls(endpoint)).toBe(1);
    expect(apiCalls()).toBe(2);
    expect(missing).toEqual([field]);
  });

  it('reads 50 in one listing; presences an expand left out come from one bulk read, counted per agent', async () => {
    const ids = sim
      .users()
      .map((u) => u.id)
      .slice(0, 50);
    const missing: ExpandedField[] = [];
    const plain = await simulatorClient(sim).getAgentStates(ids);
    sim.clearRequests();
    dropped.add('presence');
    const genesys = simulatorClient(sim, { apiUrl: proxyUrl, onExpandMissing: (f) => missing.push(f) });
    expect(await genesys.getAgentStates(ids)).toEqual(plain);
    expect(apiCalls('/api/v2/users')).toBe(1);
    expect(apiCalls('/api/v2/users/presences/purecloud/bulk')).toBe(1);
    expect(apiCalls()).toBe(2);
    expect(missing).toHaveLength(ids.length);
  });
});

describe('e-mail → user', () => {
  it('shares one search among lookups asked for together, and answers repeats from the cache', async () => {
    const genesys = simulatorClient(sim);
    const emails = ['alice@example.com', 'Bob@Example.com', 'carol@example.com', 'nobody@example.com'];
    const found = await Promise.all(emails.map((email) => genesys.findUserByEmail(email)));
    expect(found.map((user) => user?.email)).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
      undefined,
    ]);
    expect(apiCalls('/api/v2/users/search')).toBe(1);
    for (const email of emails) await genesys.findUserByEmail(email);
    expect(apiCalls('/api/v2/users/search')).toBe(1);
  });
});

describe('the direct presence reader', () => {
  it('answers reads asked for together with one call; a single read costs one call too', async () => {
    const reader = directPresenceReader(simulatorClient(sim));
    const [alice, bob] = [userId(sim, 'alice@example.com'), userId(sim, 'bob@example.com')];
    const [one, many] = await Promise.all([reader.state(alice), reader.states([alice, bob, 'no-such-user'])]);
    expect(one.agentId).toBe(alice);
    expect(many.map((s) => s.agentId)).toEqual([alice, bob]);
    expect(apiCalls()).toBe(1);
    sim.clearRequests();
    await reader.state(bob);
    expect(apiCalls(`/api/v2/users/${bob}`)).toBe(1);
    expect(apiCalls()).toBe(1);
  });

  it('confirms the writes of a bulk write with one read per 50 agents', async () => {
    const genesys = simulatorClient(sim);
    const reader = directPresenceReader(genesys);
    const ids = sim.users().map((u) => u.id);
    const before = await reader.states(ids);
    sim.clearRequests();
    const confirmed = await Promise.all(
      before.map((state) => reader.confirmWrite(state.agentId, state.presenceId, presenceVersion(state))),
    );
    expect(confirmed).toEqual(before);
    expect(apiCalls()).toBe(Math.ceil(ids.length / 50));
  });

  it('rejects a read of an unknown agent as not found; a confirmation that cannot read says nothing', async () => {
    const reader = directPresenceReader(simulatorClient(sim, { maxAttempts: 1 }));
    await expect(reader.state('no-such-user')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(reader.state('no-such-user')).rejects.toBeInstanceOf(GenesysError);
    sim.injectFault({ path: '/api/v2/users/*', kind: 503 });
    expect(await reader.confirmWrite(userId(sim, 'bob@example.com'), 'x', 'x|IDLE|')).toBeUndefined();
  });
});
