import { describe, expect, it } from 'vitest';
import type { PresenceDefinition } from '../../src/domain/presence.js';
import { bindCatalog, statusNameOfPresence } from '../../src/policy/binding.js';
import { onQueueStatusName, resolveStatus, statusLabel, suggestStatuses } from '../../src/policy/catalog.js';
import { policyWith, testPolicy } from './fixture.js';

describe('resolveStatus', () => {
  it.each([
    ['break', 'break'],
    ['brb', 'break'],
    ['BRB', 'break'],
    ['  Break  ', 'break'],
    ['lunch', 'lunch'],
    ['Lunch', 'lunch'],
    ['on-queue', 'on-queue'],
    ['queue', 'on-queue'],
    ['On Queue', 'on-queue'],
    ['on queue', 'on-queue'],
    ['ON_QUEUE', 'on-queue'],
    ['onqueue', 'on-queue'],
    ['On  Queue', 'on-queue'],
    ['logout', 'offline'],
    ['Coaching', 'coaching'],
  ])('%j → %s', (typed, name) => {
    const resolved = resolveStatus(testPolicy, typed);
    expect(resolved).toMatchObject({ ok: true, name });
    if (resolved.ok) expect(resolved.status).toBe(testPolicy.statuses[name]);
  });

  it.each([
    ['brk', 'Unknown status "brk". Did you mean break?', ['break']],
    ['lnuch', 'Unknown status "lnuch". Did you mean lunch?', ['lunch']],
    ['of', 'Unknown status "of". Did you mean offline?', ['offline']],
    ['o', 'Unknown status "o". Did you mean on-queue or offline?', ['on-queue', 'offline']],
    ['b', 'Unknown status "b". Did you mean available, busy or break?', ['available', 'busy', 'break']],
    [
      'vacation',
      'Unknown status "vacation". Known statuses: available, on-queue, away, busy, break, meal, lunch, training, coaching, offline.',
      [],
    ],
  ])('%j is unknown, with suggestions', (typed, message, suggestions) => {
    expect(resolveStatus(testPolicy, typed)).toEqual({ ok: false, code: 'unknown_status', message, suggestions });
  });

  it("echoes what was typed shortened, as plain text (escaping for Slack is the Slack adapter's job)", () => {
    const known = 'Known statuses: available, on-queue, away, busy, break, meal, lunch, training, coaching, offline.';
    expect(resolveStatus(testPolicy, '<!channel> & co')).toMatchObject({
      message: `Unknown status "<!channel> & co". ${known}`,
    });
    expect(resolveStatus(testPolicy, 'z'.repeat(50))).toMatchObject({
      message: `Unknown status "${'z'.repeat(40)}…". ${known}`,
    });
  });

  it('asks for a status when the text is blank', () => {
    expect(resolveStatus(testPolicy, '   ')).toEqual({
      ok: false,
      code: 'unknown_status',
      message: 'Name a status: available, on-queue, away, busy, break, meal, lunch, training, coaching or offline.',
    });
  });

  it('never resolves prototype names', () => {
    expect(resolveStatus(testPolicy, 'constructor').ok).toBe(false);
    expect(statusLabel(testPolicy, 'constructor')).toBe('constructor');
  });

  it('suggests at most three, prefix matches first', () => {
    expect(suggestStatuses(testPolicy, 'a')).toEqual(['available', 'away']);
    expect(suggestStatuses(testPolicy, 'trainnig')).toEqual(['training']);
    expect(suggestStatuses(testPolicy, 'xyzzy')).toEqual([]);
  });

  it('labels: label, else presence label, else the name as given', () => {
    expect(statusLabel(testPolicy, 'on-queue')).toBe('On Queue');
    expect(statusLabel(testPolicy, 'lunch')).toBe('Lunch');
    expect(statusLabel(testPolicy, 'Smoke break')).toBe('Smoke break');
  });

  it('finds the On Queue status, and none when the catalog has none', () => {
    expect(onQueueStatusName(testPolicy)).toBe('on-queue');
    const { 'on-queue': _, ...rest } = testPolicy.statuses;
    expect(onQueueStatusName(policyWith({ statuses: rest, transitions: {}, teams: {} }))).toBeUndefined();
  });
});

describe('bindCatalog', () => {
  const system = (id: string, label: string, systemPresence: PresenceDefinition['systemPresence']) =>
    ({ id, label, systemPresence, kind: 'system', deactivated: false }) satisfies PresenceDefinition;
  const definitions: PresenceDefinition[] = [
    system('p-avail', 'Available', 'AVAILABLE'),
    system('p-queue', 'On Queue', 'ON_QUEUE'),
    system('p-away', 'Away', 'AWAY'),
    system('p-busy', 'Busy', 'BUSY'),
    system('p-break', 'Break', 'BREAK'),
    system('p-meal', 'Meal', 'MEAL'),
    system('p-training', 'Training', 'TRAINING'),
    system('p-offline', 'Offline', 'OFFLINE'),
    // A secondary "Lunch" under Break must not bind the catalog's Lunch (under Meal).
    { id: 'p-lunch-break', label: 'Lunch', systemPresence: 'BREAK', kind: 'secondary', deactivated: false },
    { id: 'p-lunch-old', label: 'LUNCH', systemPresence: 'MEAL', kind: 'secondary', deactivated: true },
    { id: 'p-lunch', label: 'lunch ', systemPresence: 'MEAL', kind: 'secondary', deactivated: false },
    { id: 'p-coach-old', label: 'Coaching', systemPresence: 'TRAINING', kind: 'secondary', deactivated: true },
    { id: 'p-smoke', label: 'Smoke break', systemPresence: 'BREAK', kind: 'secondary', deactivated: false },
  ];
  const binding = bindCatalog(testPolicy, definitions);

  it('binds system statuses to system definitions and secondaries by label under their system presence', () => {
    expect(Object.fromEntries(binding.presenceIdByStatus)).toEqual({
      available: 'p-avail',
      'on-queue': 'p-queue',
      away: 'p-away',
      busy: 'p-busy',
      break: 'p-break',
      meal: 'p-meal',
      lunch: 'p-lunch',
      training: 'p-training',
      offline: 'p-offline',
    });
  });

  it('names presences: catalog name, else Genesys label, else the id', () => {
    expect(statusNameOfPresence(binding, 'p-queue')).toBe('on-queue');
    expect(statusNameOfPresence(binding, 'p-lunch')).toBe('lunch');
    expect(statusNameOfPresence(binding, 'p-smoke')).toBe('Smoke break');
    expect(statusNameOfPresence(binding, 'p-lunch-break')).toBe('Lunch');
    expect(statusNameOfPresence(binding, 'p-new')).toBe('p-new');
  });

  it('reports catalog statuses the org cannot show', () => {
    expect(binding.unbound).toEqual(['coaching']);
    expect(binding.warnings).toEqual([
      'policy status "coaching": Genesys presence "Coaching" under Training is deactivated; it cannot be set',
    ]);
    const bare = bindCatalog(testPolicy, [
      system('p-avail', 'Available', 'AVAILABLE'),
      system('p-break-1', 'Break', 'BREAK'),
      system('p-break-2', 'Pause', 'BREAK'),
    ]);
    expect(bare.unbound).toEqual(['on-queue', 'away', 'busy', 'meal', 'lunch', 'training', 'coaching', 'offline']);
    expect(bare.warnings).toContain('policy status "break": 2 Genesys presences match "Break"; using p-break-1');
    expect(bare.warnings).toContain(
      'policy status "lunch": the org has no Genesys presence "Lunch" under Meal; it cannot be set',
    );
    expect(bare.warnings).toContain(
      'policy status "on-queue": the org has no Genesys presence "On Queue"; it cannot be set',
    );
  });
});
