import { performance } from 'node:perf_hooks';
import { loadManifest } from '../../src/bot/manifest';
import { editDistance, suggestCommand } from '../../src/bot/commands/suggest';

const HEX = '4f914b1dfe3c4d11a61730f18c0f5387';
const LINK = `https://acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX}`;
/** The bot's own command list, as the dispatcher hands it over. */
const COMMANDS = loadManifest().commands.map((c) => ({
  name: c.name,
  takesArguments: c.syntax.trim() !== c.name,
}));
const suggest = (text: string) => suggestCommand(text, COMMANDS);

describe('editDistance', () => {
  test.each([
    ['audit', 'audit', 0],
    ['audti', 'audit', 1], // neighbours swapped
    ['adit', 'audit', 1], // a letter left out
    ['auddit', 'audit', 1], // one too many
    ['audot', 'audit', 1], // one changed
    ['recordigns', 'recordings', 1],
    ['timezne', 'timezone', 1],
    ['', 'help', 4],
    ['kitten', 'sitting', 3],
  ])('%p → %p is %p', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  test('gives up past the limit with limit + 1', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
  });
});

describe('suggestCommand', () => {
  test.each([
    [`audti ${HEX}`, 'audit', HEX],
    ['recordigns', 'recordings', ''],
    ['timezne Europe/Berlin', 'timezone', 'Europe/Berlin'],
    ['Recordngs 90 all', 'recordings', '90 all'],
    ['lcoale de-DE', 'locale', 'de-DE'],
    ['setings', 'settings', ''],
    ['conect admin', 'connect', 'admin'],
    ['disconect', 'disconnect', ''],
    ['hepl', 'help', ''],
    ['**audti** x', 'audit', 'x'],
  ])('%p → %p with %p', (text, command, args) => {
    expect(suggest(text)).toEqual({ command, args });
  });

  test('keeps the arguments as typed, and drops them for a command that takes none', () => {
    expect(suggest(`adit ${LINK} tz Asia/Kolkata`)).toEqual({
      command: 'audit',
      args: `${LINK} tz Asia/Kolkata`,
    });
    expect(suggest('hepl me please')).toEqual({ command: 'help', args: '' });
  });

  test('a command split in two words, and the start of a command', () => {
    expect(suggest('time zone Europe/Berlin')).toEqual({
      command: 'timezone',
      args: 'Europe/Berlin',
    });
    expect(suggest('rec 90')).toEqual({ command: 'recordings', args: '90' });
    expect(suggest('disc')).toEqual({ command: 'disconnect', args: '' });
  });

  test('a recording ID or link alone means audit', () => {
    expect(suggest(HEX)).toEqual({ command: 'audit', args: HEX });
    expect(suggest(`${LINK} tz UTC`)).toEqual({ command: 'audit', args: `${LINK} tz UTC` });
    // A long word is no recording ID.
    expect(suggest('internationalisation')).toBeNull();
  });

  test.each([
    '',
    'hello',
    'hello there',
    'hi',
    'what can you do',
    'probe 3',
    '👍',
    '🎉🎉🎉',
    '???',
    'x'.repeat(200),
    'Grüße 👋',
  ])('nothing is close to %p', (text) => {
    expect(suggest(text)).toBeNull();
  });

  test('ties go to the command listed first', () => {
    const commands = [
      { name: 'abcd', takesArguments: true },
      { name: 'abce', takesArguments: true },
    ];
    expect(suggestCommand('abcf', commands)).toEqual({ command: 'abcd', args: '' });
  });

  test('stays fast on long input', () => {
    const long = `${'audti'.repeat(10_000)} ${'x '.repeat(50_000)}`;
    const started = performance.now();
    for (let i = 0; i < 100; i++) suggest(long);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
