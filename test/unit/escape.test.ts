import {
  WORD_JOINER as WJ,
  escapeCardText,
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
