/** `watch`, `watches` and `unwatch` as people type them, and the mistakes they make. */
import { parseCommand, watchFromFields } from '../../src/bot/commands/parse';

const HEX = '4f914b1dfe3c4d11a61730f18c0f5387';
const LINK = `https://acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX}`;

describe('parseCommand: watch', () => {
  it('watches everything for 30 days by default', () => {
    expect(parseCommand(`watch ${HEX}`)).toEqual({
      kind: 'watch',
      recordingId: HEX,
      filter: 'all',
      days: 30,
    });
  });

  it.each([
    [`watch ${HEX} downloads`, { filter: 'downloads', days: 30 }],
    [`watch ${HEX} download for 7`, { filter: 'downloads', days: 7 }],
    [`Watch ${LINK} EXTERNAL for 14 days`, { filter: 'external', days: 14 }],
    [`watch for 3d ${HEX} outside`, { filter: 'external', days: 3 }],
    [`watch ${HEX} for 1 day`, { filter: 'all', days: 1 }],
    [`watch ${HEX} all for 365`, { filter: 'all', days: 365 }],
    [`**watch** \`${HEX}\` downloads.`, { filter: 'downloads', days: 30 }],
  ])('%s', (text, want) => {
    expect(parseCommand(text)).toEqual({ kind: 'watch', recordingId: HEX, ...want });
  });

  it('takes an admin’s host', () => {
    expect(parseCommand(`watch ${HEX} host <mailto:alice@example.com> external`)).toEqual({
      kind: 'watch',
      recordingId: HEX,
      hostEmail: 'alice@example.com',
      filter: 'external',
      days: 30,
    });
  });

  it.each([
    ['watch', 'missing-recording'],
    ['watch downloads', 'missing-recording'],
    ['watch not/a/recording', 'bad-recording'],
    [`watch ${HEX} for`, 'unknown-option'],
    [`watch ${HEX} for ever`, 'unknown-option'],
    [`watch ${HEX} for 0`, 'unknown-option'],
    [`watch ${HEX} for 366`, 'unknown-option'],
    [`watch ${HEX} for 7 for 8`, 'duplicate-option'],
    [`watch ${HEX} downloads external`, 'duplicate-option'],
    [`watch ${HEX} host`, 'missing-email'],
    [`watch ${HEX} host nobody`, 'bad-email'],
    [`watch ${HEX} ${HEX}`, 'unknown-option'],
    [`watch ${HEX} tomorrow`, 'unknown-option'],
  ])('%s is refused (%s) with how to fix it', (text, code) => {
    const parsed = parseCommand(text);
    expect(parsed).toMatchObject({ kind: 'error', command: 'watch', error: { code } });
    // Each says how to get it right: the usage, an example address, or "give it once".
    if (parsed.kind !== 'error') throw new Error('expected an error');
    expect(parsed.error.message).toMatch(
      /watch <recording ID or link>|host alice@example\.com|give it once/,
    );
  });

  it('checks the fields of a card button the same way', () => {
    expect(watchFromFields({ recording: HEX })).toEqual({
      kind: 'watch',
      recordingId: HEX,
      filter: 'all',
      days: 30,
    });
    expect(watchFromFields({ recording: 'javascript:alert(1)' })).toMatchObject({
      kind: 'error',
      error: { code: 'bad-recording' },
    });
    expect(watchFromFields({ recording: HEX, hostEmail: 'x' })).toMatchObject({
      kind: 'error',
      error: { code: 'bad-email' },
    });
  });
});

describe('parseCommand: watches and unwatch', () => {
  it('lists watches', () => {
    expect(parseCommand('watches')).toEqual({ kind: 'watches' });
    expect(parseCommand('/Watches!')).toEqual({ kind: 'watches' });
    expect(parseCommand('watches please')).toMatchObject({ kind: 'error', command: 'watches' });
  });

  it('stops one recording or all', () => {
    expect(parseCommand(`unwatch ${HEX}`)).toEqual({ kind: 'unwatch', recordingId: HEX });
    expect(parseCommand(`unwatch <${LINK}>`)).toEqual({ kind: 'unwatch', recordingId: HEX });
    expect(parseCommand('Unwatch ALL')).toEqual({ kind: 'unwatch', all: true });
  });

  it.each([
    ['unwatch', 'missing-recording'],
    ['unwatch all now', 'unknown-option'],
    ['unwatch not/a/recording', 'bad-recording'],
  ])('%s is refused (%s)', (text, code) => {
    expect(parseCommand(text)).toMatchObject({
      kind: 'error',
      command: 'unwatch',
      error: { code },
    });
  });
});
