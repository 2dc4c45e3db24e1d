/**
 * The layering of ARCHITECTURE.md, checked on the import graph of `src/`: no import circle, and no arrow
 * against the layers. Rules go by folder name, so files can move within the layers without touching this.
 */
import { describe, expect, it } from 'vitest';
import {
  type ImportGraph,
  importCycles,
  type LayerRules,
  layeringViolations,
  moduleSpecifiers,
  readImportGraph,
} from './support/import-graph.js';

const ADAPTER = ['domain', 'policy', 'pipeline'];

/** ARCHITECTURE.md, "What each folder may import". */
const RULES: LayerRules = {
  imports: {
    domain: [],
    policy: ['domain'],
    pipeline: ['domain', 'policy'],
    genesys: ADAPTER,
    store: ADAPTER,
    payroll: ADAPTER,
    http: ADAPTER,
    slack: ADAPTER,
    obs: ADAPTER,
    config: ADAPTER,
    demo: 'any-but-wiring',
    wiring: 'any',
  },
  packages: {
    domain: ['zod'],
    policy: ['zod'],
    pipeline: ['zod', 'node:crypto'],
  },
  selfContained: /simulator/,
};

/**
 * Arrows against the layering that are on main while other branches remove them (ARCHITECTURE.md,
 * "Not there yet"). An entry that matches nothing any more fails the test: whoever removes an arrow
 * removes its entry too.
 */
const TEMPORARY_ARROWS: string[] = [];

const graph = readImportGraph('src');

describe('the import graph of src/', () => {
  it('has no import circle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('has no arrow against the layering', () => {
    const violations = layeringViolations(graph, RULES);
    const isTemporary = (line: string) => TEMPORARY_ARROWS.some((arrow) => line.startsWith(`${arrow} (`));
    expect(violations.filter((line) => !isTemporary(line))).toEqual([]);
    for (const arrow of TEMPORARY_ARROWS) {
      expect(
        violations.some((line) => line.startsWith(`${arrow} (`)),
        `"${arrow}" is gone: remove it from TEMPORARY_ARROWS`,
      ).toBe(true);
    }
  });
});

/** A graph from `from → to` lines; a `to` without a slash but with a `:` prefix is a package (`pkg:pino`). */
function graphOf(...arrows: string[]): ImportGraph {
  const files: ImportGraph['files'] = new Map();
  const node = (file: string) => {
    const existing = files.get(file);
    if (existing) return existing;
    const created = { modules: [] as string[], packages: [] as string[] };
    files.set(file, created);
    return created;
  };
  for (const arrow of arrows) {
    const [from, to] = arrow.split(' → ') as [string, string];
    if (to.startsWith('pkg:')) node(from).packages.push(to.slice('pkg:'.length));
    else {
      node(from).modules.push(to);
      node(to);
    }
  }
  return { files };
}

describe('the checks themselves', () => {
  it('read every kind of import, type-only and dynamic ones included, and nothing in comments or strings', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "import './side-effect.js';",
      "export * from './c.js';",
      "export { d } from 'pkg-d';",
      "const e = await import('./e.js');",
      "// import { f } from './f.js';",
      'const g = "import { g } from \'./g.js\'";',
    ].join('\n');
    expect(moduleSpecifiers('x.ts', text)).toEqual([
      './a.js',
      '../b.js',
      './side-effect.js',
      './c.js',
      'pkg-d',
      './e.js',
    ]);
  });

  it('find a circle through several folders and a file importing itself', () => {
    const cycles = importCycles(
      graphOf('policy/a.ts → policy/b.ts', 'policy/b.ts → domain/c.ts', 'domain/c.ts → policy/a.ts', 'x.ts → x.ts'),
    );
    expect(cycles).toEqual(expect.arrayContaining([['domain/c.ts', 'policy/a.ts', 'policy/b.ts'], ['x.ts']]));
    expect(importCycles(graphOf('policy/a.ts → domain/c.ts', 'pipeline/p.ts → policy/a.ts'))).toEqual([]);
  });

  it.each([
    ['domain/a.ts → policy/b.ts', 'domain may import nothing else in src'],
    ['policy/a.ts → pipeline/b.ts', 'policy may import domain'],
    ['pipeline/a.ts → obs/metrics.ts', 'pipeline may import domain, policy'],
    ['pipeline/a.ts → pkg:pino', 'pipeline may import zod, node:crypto'],
    ['genesys/a.ts → slack/b.ts', 'genesys may import domain, policy, pipeline'],
    ['store/a.ts → genesys/b.ts', 'store may import domain, policy, pipeline'],
    ['slack/a.ts → demo/b.ts', 'slack may import domain, policy, pipeline'],
    ['http/a.ts → app.ts', 'http may import domain, policy, pipeline'],
    ['demo/a.ts → app.ts', 'demo never imports the wiring'],
    ['demo/genesys-simulator/a.ts → domain/presence.ts', 'demo/genesys-simulator imports nothing outside itself'],
    ['genesys/simulator/a.ts → genesys/client.ts', 'genesys/simulator imports nothing outside itself'],
    ['reports/a.ts → domain/b.ts', 'folder "reports" has no rule'],
  ])('flag %s', (arrow, why) => {
    const violations = layeringViolations(graphOf(arrow), RULES);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(why);
  });

  it.each([
    'policy/a.ts → domain/b.ts',
    'pipeline/a.ts → policy/b.ts',
    'pipeline/a.ts → pkg:node:crypto',
    'slack/a.ts → pipeline/queries.ts',
    'payroll/a.ts → pkg:express',
    'demo/a.ts → slack/b.ts',
    'demo/genesys-simulator/a.ts → demo/genesys-simulator/b.ts',
    'app.ts → demo/start.ts',
    'payroll-cli.ts → store/sqlite.ts',
  ])('allow %s', (arrow) => {
    expect(layeringViolations(graphOf(arrow), RULES)).toEqual([]);
  });
});
