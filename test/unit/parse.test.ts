import { parseCommand } from '../../src/bot/commands/parse';

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
