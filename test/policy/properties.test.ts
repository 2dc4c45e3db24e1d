import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/policy-file.js';
import { resolveStatus } from '../../src/policy/catalog.js';
import { checkDwell } from '../../src/policy/dwell.js';
import { checkTeamLimits, type MemberStatus } from '../../src/policy/limits.js';
import { isTransitionAllowed } from '../../src/policy/matrix.js';
import { closestNames, compactName, editDistance, editDistanceWithin } from '../../src/policy/suggest.js';
import { policyWith, testPolicy, testPolicyData } from './fixture.js';

const names = Object.keys(testPolicy.statuses);
const outside = ['Smoke break', 'Idle', 'constructor'];

/** Random upper/lower case, dashes as spaces/underscores, padding: how people type a name. */
const typedAs = (word: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }),
      fc.constantFrom('-', ' ', '_', '  '),
      fc.constantFrom('', ' ', '  ', '\t'),
      fc.constantFrom('', ' ', '\n'),
    )
    .map(([upper, dash, before, after]) => {
      const cased = [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');
      return `${before}${cased.replace(/[- ]/g, dash)}${after}`;
    });

describe('properties', () => {
  it('every name, alias and label resolves to its status, however it is typed', () => {
    const words = names.flatMap((name) => {
      const status = testPolicy.statuses[name]!;
      return [name, ...status.aliases, status.presence, ...(status.label ? [status.label] : [])].map((word) => ({
        name,
        word,
      }));
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...words).chain(({ name, word }) => typedAs(word).map((typed) => ({ name, typed }))),
        ({ name, typed }) => {
          expect(resolveStatus(testPolicy, typed)).toMatchObject({ ok: true, name });
        },
      ),
    );
  });

  it('anything else is unknown, with at most three suggestions from the catalog', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (typed) => {
        const resolved = resolveStatus(testPolicy, typed);
        if (resolved.ok) return;
        expect(resolved.code).toBe('unknown_status');
        expect(resolved.suggestions?.length ?? 0).toBeLessThanOrEqual(3);
        for (const s of resolved.suggestions ?? []) expect(names).toContain(s);
      }),
    );
  });

  it('edit distance is a symmetric measure that is 0 only for equal words', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(closestNames(a, [{ name: 'x', words: [a] }])).toEqual(compactName(a) === '' ? [] : ['x']);
      }),
    );
  });

  it('the bounded distance agrees with the full one, and skips strings of very different lengths', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.nat(6), (a, b, max) => {
        const full = editDistance(a, b);
        expect(editDistanceWithin(a, b, max)).toBe(full <= max ? full : undefined);
      }),
    );
  });

  it('suggestions for a huge word cost what the catalog words cost: a 1 MB word gets none', () => {
    const huge = 'b'.repeat(1_000_000);
    expect(resolveStatus(testPolicy, huge)).toMatchObject({ ok: false, code: 'unknown_status' });
    expect(closestNames(huge, [{ name: 'break', words: ['break', 'brb'] }])).toEqual([]);
  });

  const table = fc.dictionary(
    fc.constantFrom('*', ...names),
    fc.uniqueArray(fc.constantFrom('*', ...names), { maxLength: 4 }),
  );
  const from = fc.constantFrom(...names, ...outside);
  const to = fc.constantFrom(...names);

  it('matrix: a pair is allowed exactly when its own row or the `*` row names the target or `*`', () => {
    fc.assert(
      fc.property(table, from, to, (transitions, f, t) => {
        const policy = policyWith({ transitions });
        const row = (names.includes(f) ? transitions[f] : undefined) ?? [];
        const star = transitions['*'] ?? [];
        const listed = [...row, ...star].some((target) => target === '*' || target === t);
        expect(isTransitionAllowed(policy, f, t)).toBe(f === t || listed);
      }),
    );
  });

  it('matrix: `*` as target opens every catalog status; removing entries never allows more', () => {
    fc.assert(
      fc.property(table, from, to, fc.nat(), (transitions, f, t, drop) => {
        const policy = policyWith({ transitions });
        if (names.includes(f)) {
          const opened = policyWith({ transitions: { ...transitions, [f]: ['*'] } });
          expect(isTransitionAllowed(opened, f, t)).toBe(true);
        }
        const fewer = Object.fromEntries(
          Object.entries(transitions).map(([k, targets]) => [k, targets.filter((_, i) => (i + drop) % 2 === 0)]),
        );
        if (isTransitionAllowed(policyWith({ transitions: fewer }), f, t)) {
          expect(isTransitionAllowed(policy, f, t)).toBe(true);
        }
      }),
    );
  });

  const members = testPolicyData.teams.billing.members.filter((m) => m.includes('@'));
  const statusOf = fc.constantFrom('on-queue', 'break', 'lunch', 'available', 'Smoke break');

  it('caps and the floor: an allowed change never puts a team over a cap or, unless overridden, under its floor', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(statusOf, { minLength: members.length, maxLength: members.length }),
        fc.constantFrom(...members),
        statusOf,
        fc.oneof(statusOf, to),
        fc.boolean(),
        (cap, floor, statuses, target, f, t, override) => {
          const policy = policyWith({
            teams: { billing: { name: 'Billing', members, caps: { break: cap, lunch: cap }, onQueueFloor: floor } },
          });
          const states: MemberStatus[] = members.map((email, i) => ({ email, status: statuses[i]! }));
          const verdict = checkTeamLimits(policy, {
            states,
            target: { email: target },
            from: f,
            to: t,
            mayOverrideFloor: override ? ['billing'] : [],
            overrideFloor: override,
          });
          if (!verdict.ok || f === t) return;
          const after = states.map((s) => (s.email === target ? { ...s, status: t } : s));
          const count = (status: string) => after.filter((s) => s.status === status).length;
          if (t === 'break' || t === 'lunch') expect(count(t)).toBeLessThanOrEqual(cap);
          if (f === 'on-queue' && verdict.floorOverriddenFor.length === 0)
            expect(count('on-queue')).toBeGreaterThanOrEqual(floor);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('dwell: refused exactly while the minimum has not passed, and never asks to wait longer than it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer({ min: -10_000, max: 400_000 }), (f, elapsedMs) => {
        const entered = '2025-03-01T09:00:00.000Z';
        const now = new Date(Date.parse(entered) + elapsedMs);
        const minimumMs = testPolicy.statuses[f]!.minDwellSeconds * 1000;
        const verdict = checkDwell(testPolicy, f, entered, now);
        expect(verdict.ok).toBe(minimumMs === 0 || elapsedMs >= minimumMs);
        if (!verdict.ok) {
          expect(verdict.retryAfterSeconds).toBeGreaterThan(0);
          expect(verdict.retryAfterSeconds).toBeLessThanOrEqual(minimumMs / 1000);
        }
      }),
    );
  });

  it('the loader answers any text with a result, never an exception, and every error names the file', () => {
    const lines = parsePolicyLines();
    const mangled = fc
      .array(fc.oneof(fc.constantFrom(...lines), fc.string({ maxLength: 20 })), { maxLength: 30 })
      .map((picked) => picked.join('\n'));
    fc.assert(
      fc.property(fc.oneof(mangled, fc.string()), (text) => {
        const result = parsePolicy(text, 'p.yaml');
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) expect(error).toMatch(/^p\.yaml(:\d+(:\d+)?)?: \S/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Lines of a valid policy, reshuffled by the loader property into near-misses. */
function parsePolicyLines(): string[] {
  return [
    'version: 1',
    'statuses:',
    '  break:',
    '    presence: Break',
    '    aliases: [brb]',
    '  lunch:',
    '    presence: Lunch',
    '    systemPresence: Meal',
    'transitions:',
    '  "*": [break]',
    'teams:',
    '  billing:',
    '    name: Billing',
    '    members: [alice@example.com]',
    '    caps: {break: 1}',
    '    onQueueFloor: 1',
    '  - x',
    '&a [*a]',
  ];
}
