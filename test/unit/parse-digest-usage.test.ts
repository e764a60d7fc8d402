import { parseCommand } from '../../src/bot/commands/parse';

describe('parseCommand: digest', () => {
  test('bare "digest" shows the state; "off" (or "stop") ends it', () => {
    expect(parseCommand('digest')).toEqual({ kind: 'digest', mode: 'show' });
    expect(parseCommand('Digest OFF.')).toEqual({ kind: 'digest', mode: 'off' });
    expect(parseCommand('/digest stop')).toEqual({ kind: 'digest', mode: 'off' });
  });

  test('"weekly" with "always" and "all" in any order and case', () => {
    const weekly = (always: boolean, allHosts: boolean) => ({
      kind: 'digest',
      mode: 'weekly',
      always,
      allHosts,
    });
    expect(parseCommand('digest weekly')).toEqual(weekly(false, false));
    expect(parseCommand('digest weekly always')).toEqual(weekly(true, false));
    expect(parseCommand('digest Weekly ALL')).toEqual(weekly(false, true));
    expect(parseCommand('digest weekly all always')).toEqual(weekly(true, true));
    expect(parseCommand('**digest** `weekly` always all!')).toEqual(weekly(true, true));
  });

  test.each([
    ['digest daily', 'daily'],
    ['digest weekly sometimes', 'sometimes'],
    ['digest off now', 'now'],
    ['digest always', 'always'],
  ])('%p is refused, naming %p and the right forms', (text, value) => {
    const parsed = parseCommand(text);
    expect(parsed).toMatchObject({
      kind: 'error',
      command: 'digest',
      error: { code: 'unknown-option', value },
    });
    if (parsed.kind !== 'error') throw new Error('expected an error');
    expect(parsed.error.message).toContain('digest weekly always');
    expect(parsed.error.message).toContain('digest off');
  });

  test('an option given twice is refused', () => {
    expect(parseCommand('digest weekly always always')).toMatchObject({
      kind: 'error',
      error: { code: 'duplicate-option', value: 'always' },
    });
  });
});

describe('parseCommand: usage', () => {
  test('30 days unless a number of days is given', () => {
    expect(parseCommand('usage')).toEqual({ kind: 'usage', days: 30 });
    expect(parseCommand('Usage 7')).toEqual({ kind: 'usage', days: 7 });
    expect(parseCommand('usage 3650')).toEqual({ kind: 'usage', days: 3650 });
  });

  test.each(['usage 0', 'usage 3651', 'usage -3', 'usage week', 'usage 7 all', 'usage 1.5'])(
    '%p is refused with the range',
    (text) => {
      const parsed = parseCommand(text);
      expect(parsed).toMatchObject({ kind: 'error', command: 'usage' });
      if (parsed.kind !== 'error') throw new Error('expected an error');
      expect(parsed.error.message).toMatch(/from 1 to 3650/);
    },
  );
});
