import { describe, expect, it } from 'vitest';
import { consoleSettings, parseConsoleArgs, parseReplLine, shellWords } from '../../src/demo/console/args.js';
import type { DemoInfo } from '../../src/demo/index.js';

describe('parseConsoleArgs', () => {
  it.each<[string, string[], unknown]>([
    [
      'a slash command as one argument',
      ['/agent-status break coffee', '--as', 'alice'],
      {
        kind: 'run',
        command: { kind: 'slash', command: '/agent-status', text: 'break coffee' },
        flags: { as: 'alice' },
      },
    ],
    [
      'the command implied, words split by the shell',
      ['break', 'coffee'],
      { kind: 'run', command: { kind: 'slash', command: '/agent-status', text: 'break coffee' }, flags: {} },
    ],
    [
      'a bare command',
      ['/agent-status'],
      { kind: 'run', command: { kind: 'slash', command: '/agent-status', text: '' }, flags: {} },
    ],
    [
      'a click',
      ['--click', 'Apply anyway'],
      { kind: 'run', command: { kind: 'click', label: 'Apply anyway' }, flags: {} },
    ],
    [
      'a click with =',
      ['--click=Keep current'],
      { kind: 'run', command: { kind: 'click', label: 'Keep current' }, flags: {} },
    ],
    [
      'a submission with fields, then options',
      ['--submit', 'status=break', 'reason=long coffee', '--as', 'bob', '--wait', '3000'],
      {
        kind: 'run',
        command: {
          kind: 'submit',
          fields: [
            ['status', 'break'],
            ['reason', 'long coffee'],
          ],
        },
        flags: { as: 'bob', waitMs: 3000 },
      },
    ],
    ['a submission as is', ['--submit'], { kind: 'run', command: { kind: 'submit', fields: [] }, flags: {} }],
    [
      'a value with = inside',
      ['--submit', 'notes=a=b'],
      { kind: 'run', command: { kind: 'submit', fields: [['notes', 'a=b']] }, flags: {} },
    ],
    [
      'a menu choice',
      ['--select', 'status=Break'],
      { kind: 'run', command: { kind: 'select', name: 'status', value: 'Break' }, flags: {} },
    ],
    ['the Home tab', ['--home', '--as', 'carol'], { kind: 'run', command: { kind: 'home' }, flags: { as: 'carol' } }],
    [
      'only --as switches user',
      ['--as', 'carol'],
      { kind: 'run', command: { kind: 'as', who: 'carol' }, flags: { as: 'carol' } },
    ],
    [
      'addresses',
      ['--url', 'http://127.0.0.1:4000', '--standin', 'http://127.0.0.1:4001', '--channel', 'C0BILLING01'],
      {
        kind: 'repl',
        flags: { url: 'http://127.0.0.1:4000', standin: 'http://127.0.0.1:4001', channel: 'C0BILLING01' },
      },
    ],
    ['nothing: the REPL', [], { kind: 'repl', flags: {} }],
    ['help', ['--help'], { kind: 'help' }],
    ['a missing value', ['--click'], { kind: 'error', message: '--click needs a value' }],
    [
      'a bad pair',
      ['--submit', 'status'],
      { kind: 'error', message: '--submit takes field=value pairs, got "status"' },
    ],
    ['a bad wait', ['--wait', 'soon'], { kind: 'error', message: '--wait takes a whole number of milliseconds' }],
    ['an unknown option', ['--frobnicate'], { kind: 'error', message: 'unknown option --frobnicate' }],
    [
      'two things at once',
      ['help', '--click', 'Refresh'],
      {
        kind: 'error',
        message: 'one thing at a time: a command, --click, --submit, --select, --home, --show or --users',
      },
    ],
  ])('%s', (_name, argv, expected) => {
    expect(parseConsoleArgs(argv)).toEqual(expected);
  });
});

describe('parseReplLine', () => {
  it.each<[string, string, unknown]>([
    [
      'a slash command as typed',
      `/agent-status away personal "can't say"`,
      { kind: 'run', command: { kind: 'slash', command: '/agent-status', text: `away personal "can't say"` } },
    ],
    [
      'a slash command with --as',
      '/agent-status show billing --as sam.super',
      { kind: 'run', command: { kind: 'slash', command: '/agent-status', text: 'show billing' }, as: 'sam.super' },
    ],
    [
      'a click of a label with spaces',
      'click Apply anyway',
      { kind: 'run', command: { kind: 'click', label: 'Apply anyway' } },
    ],
    ['the CLI spelling', '--click Refresh', { kind: 'run', command: { kind: 'click', label: 'Refresh' } }],
    [
      'a submission with quotes',
      'submit status=away "reason=doctor visit" --as bob',
      {
        kind: 'run',
        command: {
          kind: 'submit',
          fields: [
            ['status', 'away'],
            ['reason', 'doctor visit'],
          ],
        },
        as: 'bob',
      },
    ],
    [
      'a menu choice',
      'select New status=On Queue',
      { kind: 'run', command: { kind: 'select', name: 'New status', value: 'On Queue' } },
    ],
    ['home', 'home', { kind: 'run', command: { kind: 'home' } }],
    ['who am I', 'as Alice Anderson', { kind: 'run', command: { kind: 'as', who: 'Alice Anderson' } }],
    ['quit', 'exit', { kind: 'quit' }],
    ['empty', '   ', { kind: 'empty' }],
    ['help', '?', { kind: 'help' }],
    [
      'nonsense',
      'dance',
      {
        kind: 'error',
        message: '"dance"? type /agent-status …, click, submit, select, home, show, users, as, help or quit',
      },
    ],
  ])('%s', (_name, line, expected) => {
    expect(parseReplLine(line)).toEqual(expected);
  });

  it('splits words like a shell, keeping quoted spaces', () => {
    expect(shellWords('a "b c" d="e f"  g')).toEqual(['a', 'b c', 'd=e f', 'g']);
    expect(shellWords('x ""')).toEqual(['x', '']);
  });
});

describe('consoleSettings', () => {
  const info: DemoInfo = {
    slackUrl: 'http://127.0.0.1:41000/slack/events',
    slackStandInUrl: 'http://127.0.0.1:41555',
    sidecarUrl: 'http://127.0.0.1:41999',
    pid: 1,
    startedAt: '2026-01-01T00:00:00Z',
  };

  it('finds a running demo through its demo.json', () => {
    expect(consoleSettings({}, {}, info)).toEqual({
      slackUrl: 'http://127.0.0.1:41000/slack/events',
      standInUrl: 'http://127.0.0.1:41555',
      signingSecret: 'demo-signing-secret',
    });
  });

  it('without demo.json: PORT, and the stand-in on the port after it', () => {
    expect(consoleSettings({}, { PORT: '4000' }, undefined)).toMatchObject({
      slackUrl: 'http://127.0.0.1:4000/slack/events',
      standInUrl: 'http://127.0.0.1:4001',
    });
    expect(consoleSettings({}, {}, undefined).slackUrl).toBe('http://127.0.0.1:3000/slack/events');
  });

  it('flags win; a different --url does not borrow the file’s stand-in', () => {
    expect(consoleSettings({ url: 'http://127.0.0.1:5000', waitMs: 100, channel: 'C0X' }, {}, info)).toEqual({
      slackUrl: 'http://127.0.0.1:5000/slack/events',
      standInUrl: 'http://127.0.0.1:5001',
      signingSecret: 'demo-signing-secret',
      channel: { id: 'C0X', name: 'c0x' },
      maxWaitMs: 100,
    });
    expect(consoleSettings({ standin: 'http://127.0.0.1:6000' }, {}, info).standInUrl).toBe('http://127.0.0.1:6000');
  });

  it('uses the real signing secret when set, and no stand-in against real Slack', () => {
    const settings = consoleSettings({}, { SLACK_SIGNING_SECRET: 'real-secret', SLACK_BOT_TOKEN: 'xoxb-1' }, undefined);
    expect(settings.signingSecret).toBe('real-secret');
    expect(settings.standInUrl).toBeUndefined();
    expect(consoleSettings({}, { SLACK_API_URL: 'http://127.0.0.1:7000/api/' }, undefined).standInUrl).toBe(
      'http://127.0.0.1:7000',
    );
  });
});
