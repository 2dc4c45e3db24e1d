/**
 * Start-up mistakes a real process explains: which component, which variable, no stack trace.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StartupError } from '../../src/domain/startup-error.js';
import { explainPortError } from '../../src/http/listen.js';
import { spawnApp, tempDir } from '../support/process.js';

function baseEnv(): Record<string, string> {
  const dir = tempDir();
  return { PORT: '0', SIDECAR_PORT: '0', STORE_URL: `sqlite:${dir}/db.sqlite`, DATA_DIR: dir };
}

/**
 * No demo: the stand-ins would listen on the ports after PORT, which another test may hold. Genesys and Slack
 * point at a closed port; start-up only warns about them, then binds the sidecar and the Slack endpoint.
 */
function withoutStandIns(): Record<string, string> {
  return {
    GENESYS_CLIENT_ID: 'id',
    GENESYS_CLIENT_SECRET: 'secret',
    GENESYS_API_URL: 'http://127.0.0.1:9',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'signing',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
  };
}

const holders: Server[] = [];
afterEach(async () => {
  for (const holder of holders.splice(0)) await new Promise((resolve) => holder.close(resolve));
});

/** A port some other process already listens on (on every interface, as the app binds). */
async function takenPort(): Promise<number> {
  const holder = createServer();
  holders.push(holder);
  await new Promise<void>((resolve) => holder.listen(0, resolve));
  const address = holder.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('start-up that explains itself', () => {
  it.each([
    ['PORT', 'Slack endpoint'],
    ['SIDECAR_PORT', 'sidecar'],
  ])('a %s already in use exits 1 naming the %s and the variable, without a stack', async (variable, component) => {
    const port = await takenPort();
    const proc = spawnApp({ ...baseEnv(), ...withoutStandIns(), [variable]: String(port) });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain(
      `${component}: port ${port} is already in use by another process; set ${variable} to a free port`,
    );
    expect(proc.stderr()).not.toMatch(/\n\s+at /);
    const failure = proc
      .stdout()
      .split('\n')
      .find((line) => line.includes('start-up failed'));
    expect(failure).toContain(`set ${variable} to a free port`);
    expect(failure).not.toContain('"stack"');
  });

  it('a demo stand-in whose port is in use exits 1 naming the stand-in and PORT, without a stack', async () => {
    // The simulator (PORT + 2) is the first thing the demo starts, so nothing else needs a free port first.
    const taken = await takenPort();
    const proc = spawnApp({ ...baseEnv(), PORT: String(taken - 2) });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain(
      `Genesys simulator (demo, PORT + 2): port ${taken} is already in use by another process; set PORT to a free port`,
    );
    expect(proc.stderr() + proc.stdout()).not.toMatch(/\n\s+at |"stack"/);
  });

  it('an unknown GENESYS_REGION exits 1 with the variable and the valid values, without a stack', async () => {
    const proc = spawnApp({
      ...baseEnv(),
      GENESYS_CLIENT_ID: 'id',
      GENESYS_CLIENT_SECRET: 'secret-value',
      GENESYS_REGION: 'mars-1',
    });
    expect(await proc.exited).toBe(1);
    const err = proc.stderr();
    expect(err).toContain('GENESYS_REGION: unknown Genesys Cloud region');
    expect(err).toContain('eu-west-1 (mypurecloud.ie)');
    expect(err).not.toContain('secret-value');
    expect(err + proc.stdout()).not.toMatch(/\n\s+at |"stack"/);
  });
});

describe('explainPortError, for stand-ins that listen on their own', () => {
  const who = { component: 'Genesys simulator (demo)', variable: 'PORT (the stand-ins use PORT+1 to PORT+3)' };
  it.each([
    ['EADDRINUSE', 'Genesys simulator (demo): port 3002 is already in use by another process; set PORT'],
    ['EACCES', 'Genesys simulator (demo): not allowed to listen on port 3002; set PORT'],
  ])('turns %s into a StartupError naming the component and the variable', (code, message) => {
    const explained = explainPortError(Object.assign(new Error(code), { code }), 3002, who);
    expect(explained).toBeInstanceOf(StartupError);
    expect(String((explained as Error).message)).toContain(message);
  });

  it('passes any other error through', () => {
    const other = new Error('boom');
    expect(explainPortError(other, 3002, who)).toBe(other);
  });
});
