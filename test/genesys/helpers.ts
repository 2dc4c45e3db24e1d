import pino, { type Logger } from 'pino';
import { expect } from 'vitest';
import { demoFixture, type SimulatorFixture } from '../../src/demo/genesys-simulator/fixture.js';
import type { SimulatorHandle } from '../../src/demo/genesys-simulator/server.js';
import { createGenesysClient, type GenesysClientOptions } from '../../src/genesys/client.js';
import { GenesysError, type GenesysPort } from '../../src/pipeline/ports.js';
import { keyvCache } from '../../src/store/cache.js';

/** A pino logger at trace level whose lines land in `lines`, for assertions on log content. */
export function capturingLogger(lines: string[] = []): { logger: Logger; lines: string[] } {
  return { logger: pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) }), lines };
}

/** A client of the simulator with fast retries; `overrides` wins. */
export function simulatorClient(
  simulator: SimulatorHandle,
  overrides: Partial<GenesysClientOptions> = {},
): GenesysPort {
  const client = simulator.fixture.oauthClients[0]!;
  return createGenesysClient({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    apiUrl: simulator.url,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    requestTimeoutMs: 2_000,
    cache: keyvCache(),
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
}

/** The demo org plus `extra` generated agents (for bulk tests beyond the demo's 42 users). */
export function fixtureWithAgents(extra: number): SimulatorFixture {
  const base = demoFixture();
  const users = [...base.users];
  for (let i = 1; i <= extra; i++) {
    const n = String(i).padStart(3, '0');
    users.push({
      id: `00000000-0000-4000-8000-000000000${n}`,
      name: `Bulk Agent ${n}`,
      email: `bulk${n}@example.com`,
      presence: 'Available',
    });
  }
  return { ...base, users };
}

export function userId(simulator: SimulatorHandle, email: string): string {
  const user = simulator.users().find((u) => u.email === email);
  if (user === undefined) throw new Error(`no simulator user ${email}`);
  return user.id;
}

export function definitionId(simulator: SimulatorHandle, label: string): string {
  const definition = simulator.fixture.presenceDefinitions.find((d) => d.languageLabels.en_US === label);
  if (definition === undefined) throw new Error(`no presence definition ${label}`);
  return definition.id;
}

/** The GenesysError a call rejects with (the test fails when it resolves or rejects with anything else). */
export async function failure(promise: Promise<unknown>): Promise<GenesysError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenesysError);
  return error as GenesysError;
}
