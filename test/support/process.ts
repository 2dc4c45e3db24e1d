import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

export interface SpawnedScript {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the process's exit code. */
  exited: Promise<number | null>;
  /** Resolves with what `find` sees in the output so far (looked at again on each chunk); rejects if the process exits first. */
  waitForOutput<T>(find: (stdout: string) => T | undefined, what: string): Promise<T>;
}

export interface SpawnedApp extends SpawnedScript {
  /** Resolves with the JSON log line whose `msg` matches, rejecting if the process exits first. */
  waitForLog(msg: string): Promise<Record<string, unknown>>;
}

/** A throw-away data directory so each spawned process gets a fresh SQLite file. */
export function tempDir(prefix = 'agent-status-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Runs a TypeScript file of this repository under tsx, collecting what it prints. Without `env` it inherits this
 * process's environment; stdin is a pipe only when asked for.
 */
export function spawnScript(
  script: string,
  args: readonly string[] = [],
  options: { env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' } = {},
): SpawnedScript {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    ...(options.env ? { env: options.env } : {}),
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  // 'close', not 'exit': after 'exit' the last output may still be in the pipes, and tests read it right away.
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(find, what) {
      return new Promise((resolve, reject) => {
        const scan = () => {
          const found = find(out);
          if (found === undefined) return;
          child.stdout?.off('data', scan);
          resolve(found);
        };
        child.stdout?.on('data', scan);
        scan();
        void exited.then((code) => reject(new Error(`process exited (${code}) before ${what}:\n${err}`)));
      });
    },
  };
}

/** Runs `src/main.ts` under tsx in a child process with exactly the given environment (plus PATH/HOME). */
export function spawnApp(env: Record<string, string>, script = 'src/main.ts'): SpawnedApp {
  const spawned = spawnScript(script, [], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', ...env },
  });
  return {
    ...spawned,
    waitForLog: (msg) => spawned.waitForOutput((out) => logEntry(out, msg), `logging "${msg}"`),
  };
}

function logEntry(out: string, msg: string): Record<string, unknown> | undefined {
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.msg === msg) return entry;
  }
  return undefined;
}
