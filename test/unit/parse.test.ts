import { performance } from 'node:perf_hooks';
import { auditFromFields, parseCommand } from '../../src/bot/commands/parse';

const HEX = '4f914b1dfe3c4d11a61730f18c0f5387';
const LINK = `https://acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX}`;

describe('parseCommand: audit', () => {
  test('bare id', () => {
    expect(parseCommand(`audit ${HEX}`)).toEqual({ kind: 'audit', recordingId: HEX });
  });
  test('link, options in any order, keywords in any case', () => {
    const want = {
      kind: 'audit',
      recordingId: HEX,
      hostEmail: 'alice@example.com',
      zone: 'Europe/Berlin',
    };
    expect(parseCommand(`audit ${LINK} host alice@example.com tz Europe/Berlin`)).toEqual(want);
    expect(parseCommand(`AUDIT ${LINK} TimeZone europe/berlin HOST alice@example.com`)).toEqual(
      want,
    );
    expect(
      parseCommand(
        `  /audit\n${LINK}\n\n  tz   Europe/Berlin   host <mailto:alice@example.com>  !!`,
      ),
    ).toEqual(want);
  });
  test('markdown and trailing punctuation tolerated', () => {
    expect(parseCommand(`**audit** \`${HEX}\`.`)).toEqual({ kind: 'audit', recordingId: HEX });
    expect(parseCommand(`audit <${LINK}>?`)).toEqual({ kind: 'audit', recordingId: HEX });
    expect(parseCommand(`audit\u00a0${HEX}`)).toEqual({ kind: 'audit', recordingId: HEX });
  });
  test.each([
    ['audit', 'missing-recording'],
    ['audit   ', 'missing-recording'],
    [`audit tz Europe/Berlin`, 'missing-recording'],
    [`audit ${HEX} host`, 'missing-email'],
    [`audit ${HEX} host tz UTC`, 'missing-email'],
    [`audit ${HEX} host not-an-email`, 'bad-email'],
    [`audit ${HEX} host a@b`, 'bad-email'],
    [`audit ${HEX} tz`, 'missing-zone'],
    [`audit ${HEX} tz Mars/Base`, 'bad-zone'],
    [`audit ${HEX} please`, 'unknown-option'],
    [`audit ${HEX} tz UTC tz UTC`, 'duplicate-option'],
    [`audit ${HEX} host a@example.com host b@example.com`, 'duplicate-option'],
    ['audit https://webex.com.evil.example/recording/' + HEX, 'bad-recording'],
    ['audit ' + 'a'.repeat(10_000), 'bad-recording'],
    ['audit ✨✨✨', 'bad-recording'],
  ])('%s → %s', (text, code) => {
    const r = parseCommand(text);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') {
      expect(r.command).toBe('audit');
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(15);
      expect(r.error.message.length).toBeLessThan(400);
    }
  });
  test('friendly messages', () => {
    const r = parseCommand(`audit ${HEX} tz Europe/Berln`);
    expect(r).toMatchObject({ kind: 'error', error: { code: 'bad-zone', value: 'Europe/Berln' } });
    if (r.kind === 'error') expect(r.error.message).toContain('Did you mean Europe/Berlin?');
    const m = parseCommand('audit');
    if (m.kind === 'error') {
      expect(m.error.message).toBe(
        'Which recording? Give its ID or paste its link. Usage: audit <recording ID or link> [host <email>] [tz <time zone>]',
      );
    }
  });
});

describe('parseCommand: other commands', () => {
  test.each([
    ['connect', { kind: 'connect', admin: false }],
    ['Connect Admin', { kind: 'connect', admin: true }],
    ['/connect admin.', { kind: 'connect', admin: true }],
    ['disconnect', { kind: 'disconnect' }],
    ['DISCONNECT!', { kind: 'disconnect' }],
    ['timezone Asia/Kolkata', { kind: 'timezone', mode: 'set', zone: 'Asia/Kolkata' }],
    ['timezone america/new_york', { kind: 'timezone', mode: 'set', zone: 'America/New_York' }],
    ['tz UTC', { kind: 'timezone', mode: 'set', zone: 'UTC' }],
    ['timezone AUTO', { kind: 'timezone', mode: 'auto' }],
    ['timezone', { kind: 'timezone', mode: 'show' }],
    ['help', { kind: 'help' }],
    ['Help me please', { kind: 'help' }],
    ['?', { kind: 'help' }],
  ])('%s', (text, want) => {
    expect(parseCommand(text)).toEqual(want);
  });

  test.each([
    ['connect everything', 'connect', 'unknown-option'],
    ['disconnect now', 'disconnect', 'unknown-option'],
    ['timezone New York', 'timezone', 'bad-zone'],
    ['timezone Nowhere/Land', 'timezone', 'bad-zone'],
  ])('%s → error', (text, command, code) => {
    expect(parseCommand(text)).toMatchObject({ kind: 'error', command, error: { code } });
  });

  test('timezone with a near miss suggests', () => {
    const r = parseCommand('timezone New York');
    if (r.kind === 'error') expect(r.error.message).toContain('America/New_York');
  });

  test('text copied from a card reads as it looks: its word joiners are dropped', () => {
    const copied = `audit https:\u2060//acme\u2060.webex\u2060.com/recordingservice/sites/acme/recording/playback/${HEX}`;
    expect(parseCommand(copied)).toEqual({ kind: 'audit', recordingId: HEX });
    expect(parseCommand(`audit ${HEX} host alice@\u2060example\u2060.com`)).toEqual({
      kind: 'audit',
      recordingId: HEX,
      hostEmail: 'alice@example.com',
    });
  });

  test('unknown input', () => {
    expect(parseCommand('hello there')).toEqual({ kind: 'unknown', text: 'hello there' });
    expect(parseCommand('')).toEqual({ kind: 'unknown', text: '' });
    expect(parseCommand('   \n\t ')).toEqual({ kind: 'unknown', text: '' });
    expect(parseCommand('/')).toEqual({ kind: 'unknown', text: '' });
    expect(parseCommand('*audit*x')).toEqual({ kind: 'unknown', text: '*audit*x' });
    expect(parseCommand('Grüße 👋')).toEqual({ kind: 'unknown', text: 'Grüße 👋' });
    const long = parseCommand('x'.repeat(10_000));
    expect(long).toEqual({ kind: 'unknown', text: 'x'.repeat(200) });
  });
});

describe('parseCommand: recordings', () => {
  test.each([
    ['recordings', { kind: 'recordings', days: 30 }],
    ['recordings 90', { kind: 'recordings', days: 90 }],
    ['recordings all', { kind: 'recordings', days: 30, host: 'all' }],
    ['Recordings 60 ALL', { kind: 'recordings', days: 60, host: 'all' }],
    ['recordings host all', { kind: 'recordings', days: 30, host: 'all' }],
    ['recordings host a@example.com', { kind: 'recordings', days: 30, host: 'a@example.com' }],
  ])('%s', (text, want) => {
    expect(parseCommand(text)).toEqual(want);
  });

  test('says exactly what works when the options are wrong', () => {
    const r = parseCommand('recordings everything');
    expect(r).toMatchObject({ kind: 'error', command: 'recordings' });
    if (r.kind === 'error') expect(r.error.message).toContain('[all | host <email>]');
    expect(parseCommand('recordings all host a@example.com')).toMatchObject({
      kind: 'error',
      error: { code: 'duplicate-option' },
    });
  });
});

describe('auditFromFields (card buttons)', () => {
  test('accepts what a typed audit accepts', () => {
    expect(auditFromFields({ recording: HEX, hostEmail: 'a@example.com', zone: 'utc' })).toEqual({
      kind: 'audit',
      recordingId: HEX,
      hostEmail: 'a@example.com',
      zone: 'UTC',
    });
  });
  test.each([
    [{}, 'missing-recording'],
    [{ recording: '../people/me' }, 'bad-recording'],
    [{ recording: HEX, hostEmail: 'all' }, 'bad-email'],
    [{ recording: HEX, zone: 'Mars/Base' }, 'bad-zone'],
  ])('%j → %s', (fields, code) => {
    expect(auditFromFields(fields)).toMatchObject({ kind: 'error', error: { code } });
  });
});

describe('parseCommand: long input runs in linear time', () => {
  /** Median time of several runs, in milliseconds. */
  function medianMs(text: string, runs = 7): number {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      parseCommand(text);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
  }

  // Each is a long run of characters a trailing-character pattern would retry from every
  // position (quadratic: about 100 ms at 7,400 characters before the fix).
  test.each([
    ['dots then a letter', 'a' + '.'.repeat(7_400) + 'a'],
    ['spaced dots', ' .'.repeat(3_700) + 'x'],
    ['wrappers in a token', 'audit ' + '*'.repeat(7_400) + 'x'],
    ['punctuation in a recording', 'audit ' + '.'.repeat(7_400) + 'x'],
    ['a message of dots', '.'.repeat(7_400)],
  ])('%s (7,400 characters) parses in under 10 ms (quadratic: over 100 ms)', (_name, text) => {
    parseCommand(text); // warm up
    // Generous for a loaded 2-core machine: the quadratic version took 100 ms and more.
    expect(medianMs(text)).toBeLessThan(10);
  });
});
