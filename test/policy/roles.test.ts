import { describe, expect, it } from 'vitest';
import { canChange, rolesOf, supervisedTeams, teamsOf } from '../../src/policy/roles.js';
import { testPolicy } from './fixture.js';

const sam = { slackUserId: 'USAM00001', email: 'Sam.Super@example.com' };
const sue = { slackUserId: 'USUE00001' };
const ada = { slackUserId: 'UADA00001', email: 'ada.admin@example.com' };
const alice = { slackUserId: 'UALICE001', email: 'alice@example.com' };
const carol = { email: 'carol@example.com' };
const erin = { slackUserId: 'UERIN0001', email: 'erin@example.com' };
const frank = { email: 'frank@example.com' };
const nina = { email: 'nina@example.com' };
const stranger = { email: 'zed@example.com' };

describe('roles', () => {
  it('reads roles by e-mail (any case) or Slack id', () => {
    expect(rolesOf(testPolicy, sam)).toEqual({ admin: false, supervises: ['billing'], memberOf: [] });
    expect(rolesOf(testPolicy, sue)).toEqual({ admin: false, supervises: ['support'], memberOf: [] });
    expect(rolesOf(testPolicy, ada)).toEqual({ admin: true, supervises: [], memberOf: [] });
    expect(rolesOf(testPolicy, erin)).toEqual({ admin: false, supervises: [], memberOf: ['billing'] });
    expect(rolesOf(testPolicy, { slackUserId: 'USAM00001' })).toEqual({ admin: false, supervises: [], memberOf: [] });
  });

  it('lists teams of a person and teams an actor supervises (admins: all)', () => {
    expect(teamsOf(testPolicy, carol)).toEqual(['billing', 'support']);
    expect(teamsOf(testPolicy, { email: 'CAROL@example.com' })).toEqual(['billing', 'support']);
    expect(teamsOf(testPolicy, stranger)).toEqual([]);
    expect(supervisedTeams(testPolicy, sam)).toEqual(['billing']);
    expect(supervisedTeams(testPolicy, ada)).toEqual(['billing', 'support', 'nightshift']);
    expect(supervisedTeams(testPolicy, alice)).toEqual([]);
  });

  it.each([
    ['an agent: self by e-mail', alice, { email: 'ALICE@example.com' }, 'self'],
    ['an agent: self by Slack id', erin, { slackUserId: 'UERIN0001', email: 'e@x.example' }, 'self'],
    ['a stranger: self', stranger, stranger, 'self'],
    ['a supervisor: a member of their team', sam, alice, 'supervisor'],
    [
      'a supervisor: a member listed by Slack id',
      sam,
      { email: 'erin@example.com', slackUserId: 'UERIN0001' },
      'supervisor',
    ],
    ['a supervisor: a member of two teams, one theirs', sue, carol, 'supervisor'],
    ['an admin: anyone', ada, stranger, 'admin'],
  ])('%s', (_, actor, target, as) => {
    expect(canChange(testPolicy, actor, target)).toEqual({ ok: true, as });
  });

  it.each([
    [
      'an agent: a team mate',
      alice,
      { email: 'bob@example.com' },
      'You can only change your own status. Ask a supervisor of Billing (sam.super@example.com) or an admin.',
      { people: ['sam.super@example.com'] },
    ],
    [
      'an agent: a member of two teams',
      alice,
      carol,
      'You can only change your own status. Ask a supervisor of Billing (sam.super@example.com), a supervisor of Support (USUE00001) or an admin.',
      { people: ['sam.super@example.com', 'USUE00001'] },
    ],
    [
      'a supervisor: someone outside their team',
      sue,
      alice,
      "alice@example.com isn't in Support, which you supervise. Ask a supervisor of Billing (sam.super@example.com) or an admin.",
      { people: ['sam.super@example.com'] },
    ],
    [
      'a supervisor: someone known by Slack id only',
      sue,
      { slackUserId: 'UBOB00001' },
      "UBOB00001 isn't in Support, which you supervise. Ask an admin.",
      { people: ['UBOB00001'] },
    ],
    [
      'a supervisor: someone in a team without supervisors',
      sam,
      nina,
      "nina@example.com isn't in Billing, which you supervise. Ask an admin.",
      {},
    ],
    ['an agent: someone in no team', frank, stranger, 'You can only change your own status. Ask an admin.', {}],
  ])('refuses %s', (_, actor, target, message, people) => {
    // Plain text; the people it names are listed for a surface to show as people.
    expect(canChange(testPolicy, actor, target)).toEqual({ ok: false, code: 'not_authorized', message, ...people });
  });
});
