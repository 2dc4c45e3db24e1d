import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnApp, tempDir } from '../support/process.js';

function baseEnv(): Record<string, string> {
  const dir = tempDir();
  return { PORT: '0', SIDECAR_PORT: '0', STORE_URL: `sqlite:${dir}/db.sqlite`, DATA_DIR: dir, LOG_LEVEL: 'info' };
}

describe('the agent-status process', () => {
  it('exits 1 naming each invalid variable, without echoing secret values', async () => {
    const proc = spawnApp({
      ...baseEnv(),
      PORT: 'eighty',
      SLACK_BOT_TOKEN: 'not-a-token-s3cr3t',
      GENESYS_REGON: 'eu-west-1',
    });
    expect(await proc.exited).toBe(1);
    const err = proc.stderr();
    expect(err).toContain('PORT: expected a TCP port number');
    expect(err).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(err).toContain('GENESYS_REGON: unknown variable (did you mean GENESYS_REGION?)');
    expect(err).not.toContain('not-a-token-s3cr3t');
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 1 on contradictory settings', async () => {
    const proc = spawnApp({ ...baseEnv(), GENESYS_CLIENT_ID: 'abc', GENESYS_CLIENT_SECRET: 'shh-very-secret' });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain('GENESYS_REGION: required with GENESYS_CLIENT_ID');
    expect(proc.stderr()).not.toContain('shh-very-secret');
  });

  it('exits 1 naming the policy file and the key path of a mistake', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'statuses:',
        '  break: { presence: Break }',
        'transitions:',
        '  break: [break]',
        'teams:',
        '  billing:',
        '    name: Billing',
        '    members: [alice@example.com]',
        '    caps:',
        '      break: -2',
        '',
      ].join('\n'),
    );
    const proc = spawnApp({ ...baseEnv(), POLICY_FILE: file });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain(`${file}:11: teams.billing.caps.break: expected a positive integer`);
  });

  it('shuts down cleanly on SIGTERM with exit code 0', async () => {
    const proc = spawnApp(baseEnv());
    await proc.waitForLog('agent-status started');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout()).toContain('shutting down');
  });
});
