/**
 * The import graph of a source tree, read with TypeScript's own parser, and the checks ARCHITECTURE.md
 * states: no import circle, and each folder importing only the folders and packages its layer allows.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** File → what it imports: other files of the tree (paths relative to its root, `/`-separated) and packages. */
export interface ImportGraph {
  files: Map<string, { modules: string[]; packages: string[] }>;
}

/** Every specifier a module names: static imports and re-exports (type-only ones too) and `import()`. */
export function moduleSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The graph of the `.ts` files under `root`; a relative import that names no file there throws. */
export function readImportGraph(root: string): ImportGraph {
  const absoluteRoot = resolve(root);
  const files: ImportGraph['files'] = new Map();
  const toKey = (path: string) => relative(absoluteRoot, path).split(sep).join('/');
  for (const path of walk(absoluteRoot)) {
    const modules: string[] = [];
    const packages: string[] = [];
    for (const specifier of moduleSpecifiers(path, readFileSync(path, 'utf8'))) {
      if (!specifier.startsWith('.')) {
        packages.push(specifier);
        continue;
      }
      const target = resolveRelative(dirname(path), specifier);
      if (target === undefined) throw new Error(`${toKey(path)}: cannot resolve "${specifier}"`);
      modules.push(toKey(target));
    }
    files.set(toKey(path), { modules, packages });
  }
  return { files };
}

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * ESM specifiers name the emitted `.js`: the source is the `.ts` beside it (or a folder's index). Other
 * files (JSON data) are named as they are.
 */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(from, specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** The import circles: strongly connected components of more than one file (or a file importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const strongConnect = (file: string) => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.files.get(file)?.modules ?? []) {
      if (!index.has(next)) {
        strongConnect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.files.get(file)?.modules.includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.files.keys()) if (!index.has(file)) strongConnect(file);
  return cycles;
}

/** A file's layer: the wiring for a file at the top of `src`, else its first folder. */
export function layerOf(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? 'wiring' : file.slice(0, slash);
}

export interface LayerRules {
  /** Folders each layer may import besides its own; a layer missing here is an error (name it in ARCHITECTURE.md). */
  imports: Record<string, readonly string[] | 'any-but-wiring' | 'any'>;
  /** Packages a layer may import; a layer missing here may import any package. */
  packages: Record<string, readonly string[]>;
  /** A folder whose name matches this (the Genesys simulator) imports nothing outside itself. */
  selfContained: RegExp;
}

/** Every import of `graph` that `rules` do not allow, as `from → to (why)` lines. */
export function layeringViolations(graph: ImportGraph, rules: LayerRules): string[] {
  const violations: string[] = [];
  for (const [file, { modules, packages }] of graph.files) {
    const layer = layerOf(file);
    const allowed = rules.imports[layer];
    if (allowed === undefined) {
      violations.push(`${file}: folder "${layer}" has no rule (add it to ARCHITECTURE.md and the test)`);
      continue;
    }
    const ownFolder = selfContainedFolder(file, rules.selfContained);
    for (const target of modules) {
      const why =
        ownFolder !== undefined && !target.startsWith(`${ownFolder}/`)
          ? `${ownFolder} imports nothing outside itself`
          : forbiddenArrow(layer, layerOf(target), allowed);
      if (why !== undefined) violations.push(`${file} → ${target} (${why})`);
    }
    const allowedPackages = rules.packages[layer];
    if (allowedPackages === undefined) continue;
    for (const name of packages) {
      if (!allowedPackages.includes(name)) {
        violations.push(
          `${file} → package ${name} (${layer} may import ${allowedPackages.join(', ') || 'no package'})`,
        );
      }
    }
  }
  return violations;
}

/** Why `layer` may not import `target`; undefined when it may. */
function forbiddenArrow(layer: string, target: string, allowed: LayerRules['imports'][string]): string | undefined {
  if (target === layer || allowed === 'any') return undefined;
  if (allowed === 'any-but-wiring') return target === 'wiring' ? `${layer} never imports the wiring` : undefined;
  if (allowed === undefined || allowed.includes(target)) return undefined;
  return `${layer} may import ${allowed.join(', ') || 'nothing else in src'}`;
}

function selfContainedFolder(file: string, pattern: RegExp): string | undefined {
  const folders = file.split('/').slice(0, -1);
  const at = folders.findIndex((folder) => pattern.test(folder));
  return at === -1 ? undefined : folders.slice(0, at + 1).join('/');
}
