import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

export interface SpawnedApp {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the process's exit code. */
  exited: Promise<number | null>;
  /** Resolves with the JSON log line whose `msg` matches, rejecting if the process exits first. */
  waitForLog(msg: string): Promise<Record<string, unknown>>;
}

/** A throw-away data directory so each spawned process gets a fresh SQLite file. */
export function tempDir(prefix = 'agent-status-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `src/main.ts` under tsx in a child process with exactly the given environment (plus PATH/HOME). */
export function spawnApp(env: Record<string, string>, script = 'src/main.ts'): SpawnedApp {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLog(msg) {
      return new Promise((resolve, reject) => {
        const scan = () => {
          for (const line of out.split('\n')) {
            if (!line.startsWith('{')) continue;
            const entry = JSON.parse(line) as Record<string, unknown>;
            if (entry.msg === msg) {
              child.stdout?.off('data', scan);
              resolve(entry);
              return;
            }
          }
        };
        child.stdout?.on('data', scan);
        scan();
        void exited.then((code) => reject(new Error(`process exited (${code}) before logging "${msg}":\n${err}`)));
      });
    },
  };
}
