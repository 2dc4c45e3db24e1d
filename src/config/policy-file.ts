/**
 * Reads the policy file (YAML) and validates it with the policy schema. Every problem becomes one line an
 * operator can act on — `file:line: key.path: what is wrong` — never a stack trace, so start-up can print
 * them all and exit.
 */
import { readFileSync } from 'node:fs';
import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type Policy, policySchema } from '../policy/schema.js';
import { closestNames } from '../policy/suggest.js';
import { listWords } from '../policy/wording.js';

export type PolicyLoadResult = { ok: true; policy: Policy } | { ok: false; errors: string[] };

export function loadPolicyFile(path: string): PolicyLoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') return failed([`policy file not found: ${path} (set POLICY_FILE)`]);
    return failed([`cannot read policy file ${path}: ${message} (set POLICY_FILE)`]);
  }
  return parsePolicy(text, path);
}

/** `fileName` only labels the messages. */
export function parsePolicy(text: string, fileName: string): PolicyLoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const [syntaxError] = doc.errors;
  if (syntaxError) {
    // Only the first: after a syntax mistake the parser's view of the rest is unreliable, and the errors
    // that follow from it point at lines that are fine.
    const { line, col } = lineCounter.linePos(syntaxError.pos[0]);
    return failed([`${fileName}:${line}:${col}: ${syntaxError.message}`]);
  }
  if (doc.contents === null) return failed([`${fileName}: the policy file is empty`]);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return failed([`${fileName}: ${(error as Error).message}`]);
  }
  const parsed = policySchema.safeParse(data, { error: describeIssue });
  if (parsed.success) return { ok: true, policy: parsed.data };

  const located = parsed.error.issues.flatMap((issue) => problems(issue, data));
  const lines = located
    .map((p) => ({ line: lineCounter.linePos(offsetOf(doc, p.path, p.at)).line, ...p }))
    .sort((a, b) => a.line - b.line)
    .map((p) => `${fileName}:${p.line}: ${p.path.length > 0 ? `${formatPath(p.path)}: ` : ''}${p.message}`);
  return failed([...new Set(lines)]);
}

function failed(errors: string[]): PolicyLoadResult {
  return { ok: false, errors };
}

interface Problem {
  path: PropertyKey[];
  /** Whether the line to show is the key's own (a bad or unknown key) or its value's. */
  at: 'key' | 'value';
  message: string;
}

function problems(issue: z.core.$ZodIssue, data: unknown): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path);
    return issue.keys.map((key) => {
      const close = closestNames(
        key,
        known.map((name) => ({ name, words: [name] })),
        1,
      );
      const hint = close.length > 0 ? `did you mean "${close[0]}"?` : `expected one of ${known.join(', ')}`;
      return { path: [...issue.path, key], at: 'key', message: `unknown key "${key}"; ${hint}` };
    });
  }
  if (issue.code === 'invalid_key') {
    return [{ path: issue.path, at: 'key', message: issue.issues[0]?.message ?? issue.message }];
  }
  if (issue.path.length === 0 && (data === null || typeof data !== 'object' || Array.isArray(data))) {
    return [{ path: [], at: 'value', message: 'expected a policy mapping (version: 1, statuses, transitions, …)' }];
  }
  return [{ path: issue.path, at: 'value', message: issue.message }];
}

/** Wording for zod's own messages; messages the schema sets itself take precedence over these. */
const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `missing; expected ${typeName(issue.expected)}`
        : `expected ${typeName(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? 'must not be empty' : `expected at least ${issue.minimum} characters`;
      }
      if (issue.origin === 'array') return `expected at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `expected at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `expected at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `expected at most ${issue.maximum} items`;
      return `expected at most ${issue.maximum}`;
    case 'invalid_value':
      return `expected ${listWords(
        issue.values.map((v) => JSON.stringify(v)),
        'or',
      )}, got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
};

function typeName(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping (key: value)';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/** `['teams', 'billing', 'members', 2]` → `teams.billing.members[2]`; odd keys are quoted. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const text = String(segment);
      if (!/^[A-Za-z0-9_*-]+$/.test(text)) return `[${JSON.stringify(text)}]`;
      return i === 0 ? text : `.${text}`;
    })
    .join('');
}

/**
 * Where in the file a path points: the key or value it names, or — for a missing key — the key of the
 * mapping that lacks it.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[], at: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let anchor = startOf(node) ?? 0;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) return anchor;
      const keyStart = startOf(pair.key) ?? anchor;
      if (last && at === 'key') return keyStart;
      node = pair.value;
      anchor = last ? (startOf(pair.value) ?? keyStart) : keyStart;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      anchor = startOf(node) ?? anchor;
    } else {
      return anchor;
    }
  }
  return anchor;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function startOf(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

/** The keys the schema allows for the object at `path`, for "did you mean" on an unknown key. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: unknown = policySchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[String(segment)];
    else if (schema instanceof z.ZodRecord) schema = schema.valueType;
    else if (schema instanceof z.ZodArray) schema = schema.element;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodPipe) {
    current = current instanceof z.ZodPipe ? current.in : current.unwrap();
  }
  return current;
}
