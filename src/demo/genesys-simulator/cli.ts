/**
 * Runs the Genesys Cloud simulator on 127.0.0.1:
 *   npm run simulator -- --port 8085 [--fixture org.json] [--token-ttl 86400] [--rate-limit 300] [--latency 0]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { demoFixture, loadFixture } from './fixture.js';
import { startSimulator } from './server.js';

const usage =
  'usage: npm run simulator -- [--port <p>] [--fixture <file>] [--token-ttl <seconds>] [--rate-limit <requests per minute>] [--latency <ms>]';

const numberArg = (name: string, min: number) =>
  z.coerce
    .number({ error: `--${name} must be a number` })
    .int(`--${name} must be a whole number`)
    .min(min, `--${name} must be at least ${min}`);

const argsSchema = z.object({
  port: numberArg('port', 0).max(65_535).default(8085),
  fixture: z.string().optional(),
  'token-ttl': numberArg('token-ttl', 1).optional(),
  'rate-limit': numberArg('rate-limit', 1).optional(),
  latency: numberArg('latency', 0).optional(),
});

async function main(): Promise<void> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      options: {
        port: { type: 'string' },
        fixture: { type: 'string' },
        'token-ttl': { type: 'string' },
        'rate-limit': { type: 'string' },
        latency: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  if (values.help === true) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((i) => i.message).join('; ')}\n${usage}`);
  const args = parsed.data;
  const fixture = args.fixture === undefined ? demoFixture() : await loadFixture(args.fixture);
  const simulator = await startSimulator({
    port: args.port,
    fixture,
    ...(args['token-ttl'] === undefined ? {} : { tokenExpiresInSeconds: args['token-ttl'] }),
    ...(args['rate-limit'] === undefined ? {} : { rateLimit: { requests: args['rate-limit'], windowSeconds: 60 } }),
    ...(args.latency === undefined ? {} : { latencyMs: args.latency }),
  });
  const client = fixture.oauthClients[0]!;
  // Demo credentials from the fixture, printed so the app can be pointed here; they open nothing real.
  process.stdout.write(
    [
      `Genesys simulator (${fixture.organization.name}, ${fixture.users.length} users) on ${simulator.url}`,
      `  GENESYS_API_URL=${simulator.url}`,
      `  GENESYS_CLIENT_ID=${client.clientId}`,
      `  GENESYS_CLIENT_SECRET=${client.clientSecret}`,
      `  control API: ${simulator.url}/__sim/ (reset, latency, faults, agents/<id|email>, requests, token-requests, notifications/…)`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
