import {
  WORD_JOINER as WJ,
  escapeCardText,
  escapeEmail,
  escapeMarkdown,
  jsonBytes,
  sanitizeText,
  truncateText,
} from '../../src/report/escape';

describe('escapeCardText', () => {
  test('markdown in names is escaped', () => {
    expect(escapeCardText('*Joe* _Doe_')).toBe('\\*Joe\\* \\_Doe\\_');
    expect(escapeCardText('[click](https://evil.example)')).toBe(
      `\\[click\\]\\(https:${WJ}//evil${WJ}.example\\)`,
    );
    expect(escapeCardText('# Boss')).toBe('\\# Boss');
    expect(escapeCardText('- item')).toBe('\\- item');
    expect(escapeCardText('+ item')).toBe('\\+ item');
    expect(escapeCardText('1. first')).toBe('1\\. first');
    expect(escapeCardText('13. Juli 2020')).toBe('13\\. Juli 2020');
    expect(escapeCardText('`code` > quote')).toBe('\\`code\\` \\> quote');
    expect(escapeCardText('a\\b')).toBe('a\\\\b');
    // Hyphens inside words stay readable.
    expect(escapeCardText('Jean-Luc')).toBe('Jean-Luc');
  });

  test('emails and URLs do not auto-link', () => {
    const email = escapeCardText('joe.doe@example.com');
    expect(email).toBe(`joe${WJ}.doe@${WJ}example${WJ}.com`);
    expect(email).not.toMatch(/[\w.]+@[\w.]+\.\w+/);
    expect(email.replaceAll(WJ, '')).toBe('joe.doe@example.com');
    const url = escapeCardText('see https://www.example.com/x');
    expect(url).not.toContain('://');
    expect(url).not.toContain('www.');
    expect(escapeCardText('<@all>')).toBe(`\\<@${WJ}all\\>`);
  });

  test('names that look like emails still do not auto-link', () => {
    expect(escapeCardText('boss@evil.example')).toBe(`boss@${WJ}evil${WJ}.example`);
  });

  test('unicode is kept', () => {
    expect(escapeCardText('José Müller 李小龙 👩‍💻')).toBe('José Müller 李小龙 👩‍💻');
    expect(escapeCardText('Zoë ∗')).toBe('Zoë ∗');
  });

  test('control characters removed, line breaks become spaces', () => {
    expect(escapeCardText('a\u0000b\u0007c')).toBe('abc');
    // One line: a mid-line '-' cannot start a list any more.
    expect(escapeCardText('line1\n- line2\r\n# line3')).toBe('line1 - line2 \\# line3');
    expect(escapeCardText('evil\u202egnp.exe')).toBe(`evilgnp${WJ}.exe`);
    expect(escapeCardText('  lots   of   space  ')).toBe('lots of space');
    expect(escapeCardText(undefined)).toBe('');
    expect(escapeCardText(null)).toBe('');
  });

  test('template bindings in data are broken', () => {
    expect(escapeCardText('${title}')).toBe(`$${WJ}{title}`);
  });

  test('length and byte limits', () => {
    expect(escapeCardText('abcdefghij', { maxLength: 5 })).toBe('abcd…');
    const long = '*'.repeat(100);
    const cut = escapeCardText(long, { maxBytes: 40 });
    expect(jsonBytes(cut)).toBeLessThanOrEqual(40);
    expect(cut.endsWith('…')).toBe(true);
    const cjk = escapeCardText('李'.repeat(100), { maxBytes: 30 });
    expect(Buffer.byteLength(cjk)).toBeLessThanOrEqual(30);
    expect(cjk).toBe('李'.repeat(9) + '…');
  });
});

describe('escapeMarkdown', () => {
  test('escapes message markdown and mentions', () => {
    expect(escapeMarkdown('**Q3** plan <@personEmail:boss@example.com>')).toBe(
      `\\*\\*Q3\\*\\* plan \\<@${WJ}personEmail:boss@${WJ}example${WJ}.com\\>`,
    );
    expect(escapeMarkdown('Tom & Jerry &amp;')).toBe('Tom \\& Jerry \\&amp;');
  });
});

describe('helpers', () => {
  test('truncateText keeps grapheme clusters whole', () => {
    expect(truncateText('👩‍💻👩‍💻👩‍💻', 2)).toBe('👩‍💻…');
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('abc', 0)).toBe('');
  });
  test('sanitizeText', () => {
    expect(sanitizeText('a\tb\u2028c\ufeff')).toBe('a b c');
    expect(sanitizeText(42)).toBe('42');
  });
});

/** Characters that do not show but would travel with a copied address. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/u;

describe('escapeEmail', () => {
  test.each([
    'joe.doe@example.com',
    'brenda.song@sub.example.co.uk',
    "o'brien+audit@example.com",
    'jürgen.müller@bücher.example',
    'li@example.cn',
  ])('%s copies as itself', (address) => {
    const escaped = escapeEmail(address);
    expect(escaped).toBe(address);
    expect(escaped).not.toMatch(INVISIBLE);
  });

  test('markdown characters in an address are escaped, without invisible characters', () => {
    const escaped = escapeEmail('first_last@example.com');
    expect(escaped).toBe('first\\_last@example.com');
    expect(escaped).not.toMatch(INVISIBLE);
    expect(escapeEmail('-dash@example.com')).toBe('\\-dash@example.com');
  });

  test('what is not a plain address is escaped like any untrusted text', () => {
    for (const input of [
      '[x](http://evil.example)@example.com',
      '**bold**@example.com',
      '<@all>',
      'https://evil.example/@x.com',
      'www.evil.example@x.com',
      '${secret}@example.com',
      'not an email',
    ]) {
      expect(escapeEmail(input)).toBe(escapeCardText(input));
    }
    expect(escapeEmail('[x](http://evil.example)@example.com')).not.toMatch(/\]\(http/);
  });

  test('control characters are removed before the address is checked', () => {
    expect(escapeEmail('joe\u202e@example.com\n')).toBe('joe@example.com');
  });

  test('limits apply as for any text', () => {
    const long = `${'a'.repeat(80)}@example.com`;
    expect(escapeEmail(long, { maxLength: 64 })).toBe(`${'a'.repeat(63)}…`);
    expect(jsonBytes(escapeEmail(long, { maxBytes: 40 }))).toBeLessThanOrEqual(40);
  });
});
