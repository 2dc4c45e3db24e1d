import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicyFile, parsePolicy } from '../../src/config/policy-file.js';

/** A small valid policy; the comments are its line numbers, which the expected messages refer to. */
const base = [
  'version: 1', // 1
  'statuses:', // 2
  '  available:', // 3
  '    presence: Available', // 4
  '  on-queue:', // 5
  '    presence: On Queue', // 6
  '    aliases: [queue]', // 7
  '  break:', // 8
  '    presence: Break', // 9
  '    aliases: [brb]', // 10
  '    minDwellSeconds: 60', // 11
  '  lunch:', // 12
  '    presence: Lunch', // 13
  '    systemPresence: Meal', // 14
  'transitions:', // 15
  '  "*": [available, on-queue]', // 16
  '  available: ["*"]', // 17
  'teams:', // 18
  '  billing:', // 19
  '    name: Billing', // 20
  '    members: [alice@example.com, bob@example.com]', // 21
  '    caps:', // 22
  '      break: 2', // 23
  '    onQueueFloor: 1', // 24
];

/** The base with line `line` (1-based) replaced by `lines` (none deletes it). */
function edit(...edits: [line: number, lines: string[]][]): string {
  const out = base.map((line) => [line]);
  for (const [line, lines] of edits) out[line - 1] = lines;
  return `${out.flat().join('\n')}\n`;
}

const file = 'policy/broken.yaml';

describe('parsePolicy', () => {
  it('accepts the base policy', () => {
    const result = parsePolicy(edit(), file);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.policy.statuses.lunch?.systemPresence).toBe('MEAL');
  });

  it.each<[string, string, string[]]>([
    ['a cap of 0', edit([23, ['      break: 0']]), ['23: teams.billing.caps.break: expected a positive integer']],
    ['a cap in words', edit([23, ['      break: two']]), ['23: teams.billing.caps.break: expected a positive integer']],
    [
      'a fractional dwell',
      edit([11, ['    minDwellSeconds: 1.5']]),
      ['11: statuses.break.minDwellSeconds: expected a whole number ≥ 0'],
    ],
    [
      'an unknown key close to a known one',
      edit([24, ['    onQueueFloor: 1', '    cap: 3']]),
      ['25: teams.billing.cap: unknown key "cap"; did you mean "caps"?'],
    ],
    [
      'an unknown key',
      edit([11, ['    minDwellSeconds: 60', '    colour: red']]),
      [
        '12: statuses.break.colour: unknown key "colour"; expected one of presence, systemPresence, label, aliases, reason, reasons, minDwellSeconds',
      ],
    ],
    [
      'an unknown top-level key',
      edit([24, ['    onQueueFloor: 1', 'admin: [ada@example.com]']]),
      ['25: admin: unknown key "admin"; did you mean "admins"?'],
    ],
    ['a missing key', edit([9, []]), ['8: statuses.break.presence: missing; expected text']],
    ['an empty value', edit([9, ['    presence:']]), ['9: statuses.break.presence: expected text, got nothing']],
    [
      'a value of the wrong type',
      edit([21, ['    members: alice@example.com']]),
      ['21: teams.billing.members: expected a list, got "alice@example.com"'],
    ],
    [
      'a status name that is not lower-case',
      edit([12, ['  Lunch:']]),
      ['12: statuses.Lunch: expected a lower-case name such as "on-queue" (letters, digits, dashes)'],
    ],
    [
      'a team id with a space',
      edit([19, ['  Billing team:']]),
      ['19: teams["Billing team"]: expected a lower-case id such as "billing" (letters, digits, dashes)'],
    ],
    [
      'a typo in the transitions',
      edit([17, ['  available: [brk]']]),
      ['17: transitions.available[0]: unknown status "brk"; did you mean "break"?'],
    ],
    [
      'an alias in the transitions',
      edit([17, ['  available: [on-queue, brb]']]),
      ['17: transitions.available[1]: "brb" is an alias; use the status name "break"'],
    ],
    [
      'an unknown "from" in the transitions',
      edit([17, ['  vacation: ["*"]']]),
      ['17: transitions.vacation: unknown status "vacation"; the statuses are available, on-queue, break, lunch'],
    ],
    [
      'an unknown status in the caps',
      edit([23, ['      lunchh: 2']]),
      ['23: teams.billing.caps.lunchh: unknown status "lunchh"; did you mean "lunch"?'],
    ],
    [
      'a value outside an enum',
      edit([11, ['    minDwellSeconds: 60', '    reason: maybe']]),
      ['12: statuses.break.reason: expected "none", "optional" or "required", got "maybe"'],
    ],
    ['another version', edit([1, ['version: 2']]), ['1: version: expected 1 (the only policy format so far)']],
    [
      'an unknown system presence',
      edit([14, ['    systemPresence: Food']]),
      [
        '14: statuses.lunch.systemPresence: expected one of the Genesys system presences (Available, Away, Busy, Offline, Idle, On Queue, Meal, Training, Meeting, Break), got "Food"',
      ],
    ],
    [
      'a secondary presence without its system presence',
      edit([14, []]),
      [
        '12: statuses.lunch.systemPresence: "Lunch" is not a system presence; name the system presence it belongs to (e.g. systemPresence: Meal)',
      ],
    ],
    [
      'a person that is neither e-mail nor Slack id',
      edit([21, ['    members: [alice@example.com, bob]']]),
      ['21: teams.billing.members[1]: expected an e-mail address or a Slack user id (U…)'],
    ],
    [
      'an alias used twice',
      edit([7, ['    aliases: [queue, brb]']]),
      ['10: statuses.break.aliases: "brb" already names status "on-queue"'],
    ],
    [
      'two statuses on one presence',
      edit([11, ['    minDwellSeconds: 60', '  rest:', '    presence: break']]),
      ['13: statuses.rest.presence: status "break" already uses presence "break"; make "rest" an alias of it instead'],
    ],
    [
      'reasons for a status without reasons',
      edit([11, ['    minDwellSeconds: 60', '    reasons: [coffee]']]),
      ['12: statuses.break.reasons: reasons are listed but reason is "none"; set reason: optional or required'],
    ],
    [
      'a floor without an On Queue status',
      edit([5, []], [6, []], [7, []], [16, ['  "*": [available]']]),
      [
        '21: teams.billing.onQueueFloor: no status has presence On Queue, so there is nothing to count; add one or remove the floor',
      ],
    ],
    [
      'several mistakes, in file order',
      edit([23, ['      break: -1']], [1, ['version: 3']], [13, ['    presence: ""']]),
      [
        '1: version: expected 1 (the only policy format so far)',
        '13: statuses.lunch.presence: must not be empty',
        '23: teams.billing.caps.break: expected a positive integer',
      ],
    ],
    [
      'a list instead of a mapping',
      '- version: 1\n',
      ['1: expected a policy mapping (version: 1, statuses, transitions, …)'],
    ],
  ])('names the file, line and key of %s', (_, text, errors) => {
    expect(parsePolicy(text, file)).toEqual({ ok: false, errors: errors.map((e) => `${file}:${e}`) });
  });

  it.each<[string, string, string[]]>([
    [
      'an unclosed list',
      edit([10, ['    aliases: [brb']]),
      ['11:5: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ],
    ['a duplicate key', edit([12, ['  break:', '    presence: Break', '  lunch:']]), ['12:3: Map keys must be unique']],
    ['a tab as indentation', edit([20, ['\tname: Billing']]), ['20:1: Tabs are not allowed as indentation']],
    [
      'two documents',
      `${edit()}---\nversion: 1\n`,
      ['25:1: Source contains multiple documents; please use YAML.parseAllDocuments()'],
    ],
  ])('reports YAML syntax errors with line and column: %s', (_, text, errors) => {
    expect(parsePolicy(text, file)).toEqual({ ok: false, errors: errors.map((e) => `${file}:${e}`) });
  });

  it('reports an empty file', () => {
    expect(parsePolicy('# just a comment\n', file)).toEqual({
      ok: false,
      errors: [`${file}: the policy file is empty`],
    });
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 12 }, (_, i) => `b${i}: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]`),
    ];
    const result = parsePolicy(bomb.join('\n'), file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.stringMatching(/^policy\/broken\.yaml: .*alias/i)]);
  });
});

describe('loadPolicyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads policy/default.yaml', () => {
    const result = loadPolicyFile('policy/default.yaml');
    expect(result).toMatchObject({ ok: true });
    if (result.ok) {
      expect(result.policy.statuses.break?.aliases).toContain('brb');
      expect(result.policy.statuses.lunch?.systemPresence).toBe('MEAL');
    }
  });

  it('names a missing file and the variable to set', () => {
    const path = join(dir, 'missing.yaml');
    expect(loadPolicyFile(path)).toEqual({ ok: false, errors: [`policy file not found: ${path} (set POLICY_FILE)`] });
  });

  it('names a path it cannot read', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    expect(loadPolicyFile(path)).toEqual({
      ok: false,
      errors: [`cannot read policy file ${path}: EISDIR: illegal operation on a directory, read (set POLICY_FILE)`],
    });
  });

  it('labels problems with the path it was given', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, edit([23, ['      break: 0']]));
    expect(loadPolicyFile(path)).toEqual({
      ok: false,
      errors: [`${path}:23: teams.billing.caps.break: expected a positive integer`],
    });
  });
});
