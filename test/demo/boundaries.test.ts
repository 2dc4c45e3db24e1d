/**
 * The demo stands beside production: only the wiring's one `startDemo` call reaches into it, and the Genesys
 * simulator speaks Genesys without knowing the app (so code written against it works against Genesys).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/process.js';

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, with whether only types come from it. */
function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)].map((m) => ({
    specifier: m[2]!,
    typeOnly: Boolean(m[1]),
  }));
}

const inside = (folder: string, path: string) => !relative(folder, path).startsWith('..');

describe('the demo boundary', () => {
  it('is crossed by production code only through src/app.ts importing src/demo/index.ts', () => {
    const demo = join(SRC, 'demo');
    const crossings = sourceFiles(SRC)
      .filter((file) => !inside(demo, file))
      .flatMap((file) =>
        importsOf(file)
          .filter(({ specifier }) => specifier.startsWith('.'))
          .map(({ specifier }) => resolve(dirname(file), specifier))
          .filter((target) => inside(demo, target))
          .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`),
      );
    expect(crossings).toEqual(['app.ts → demo/index.js']);
  });

  it('keeps the Genesys simulator free of the app: its own files, the SDK’s types, node, zod and ws (its websockets) only', () => {
    const simulator = join(SRC, 'demo', 'genesys-simulator');
    const foreign = sourceFiles(simulator).flatMap((file) =>
      importsOf(file)
        .filter(({ specifier, typeOnly }) => {
          if (specifier.startsWith('.')) return !inside(simulator, resolve(dirname(file), specifier));
          if (specifier === 'purecloud-platform-client-v2') return !typeOnly;
          return !specifier.startsWith('node:') && specifier !== 'zod' && specifier !== 'ws';
        })
        .map(({ specifier }) => `${relative(SRC, file)} → ${specifier}`),
    );
    expect(foreign).toEqual([]);
    expect(sourceFiles(simulator).length).toBeGreaterThan(3);
  });
});
