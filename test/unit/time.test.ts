import { DateTime } from 'luxon';
import {
  canonicalZone,
  formatAccessTime,
  isValidZone,
  resolveZone,
  suggestZone,
  zoneError,
} from '../../src/report/time';

const t = Date.parse('2020-07-13T17:05:35Z');

describe('formatAccessTime', () => {
  test('America/Los_Angeles, en-US', () => {
    expect(formatAccessTime(t, 'America/Los_Angeles', 'en-US')).toBe('Jul 13, 2020, 10:05 AM PDT');
  });
  test('Asia/Kolkata (half-hour offset), en-US', () => {
    expect(formatAccessTime(t, 'Asia/Kolkata', 'en-US')).toBe('Jul 13, 2020, 10:35 PM GMT+5:30');
  });
  test('Europe/Berlin, de-DE', () => {
    expect(formatAccessTime(t, 'Europe/Berlin', 'de-DE')).toBe('13. Juli 2020, 19:05 MESZ');
  });
  test('accepts a luxon DateTime with its own offset', () => {
    const dt = DateTime.fromISO('2020-07-13T10:05:35-07:00', { setZone: true });
    expect(formatAccessTime(dt, 'UTC', 'en-US')).toBe('Jul 13, 2020, 5:05 PM UTC');
  });
  test('winter time uses the standard abbreviation', () => {
    expect(
      formatAccessTime(Date.parse('2020-01-13T17:05:35Z'), 'America/Los_Angeles', 'en-US'),
    ).toBe('Jan 13, 2020, 9:05 AM PST');
  });
  test('bad locale falls back to en-US; null is a dash', () => {
    expect(formatAccessTime(t, 'UTC', 'not a locale!')).toBe('Jul 13, 2020, 5:05 PM UTC');
    expect(formatAccessTime(null, 'UTC', 'en-US')).toBe('—');
  });

  test('an unknown zone or an invalid time is a dash, not an exception', () => {
    expect(formatAccessTime(t, 'Mars/Base', 'en-US')).toBe('—');
    expect(formatAccessTime(Number.NaN, 'UTC', 'en-US')).toBe('—');
  });

  test('the same zone in two locales, and two zones in one locale, stay apart', () => {
    expect(formatAccessTime(t, 'Europe/Berlin', 'en-US')).toBe('Jul 13, 2020, 7:05 PM GMT+2');
    expect(formatAccessTime(t, 'Europe/Berlin', 'de-DE')).toBe('13. Juli 2020, 19:05 MESZ');
    expect(formatAccessTime(t, 'America/Los_Angeles', 'en-US')).toBe('Jul 13, 2020, 10:05 AM PDT');
  });
});

describe('zones', () => {
  test('isValidZone / canonicalZone', () => {
    expect(isValidZone('Europe/Berlin')).toBe(true);
    expect(isValidZone('UTC')).toBe(true);
    expect(isValidZone('Mars/Base')).toBe(false);
    expect(isValidZone('')).toBe(false);
    expect(isValidZone('+05:00')).toBe(false);
    expect(isValidZone(undefined)).toBe(false);
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('Nowhere/Land')).toBeNull();
  });

  test('resolution order: command, setting, profile, default', () => {
    const all = {
      command: 'Asia/Tokyo',
      setting: 'Europe/Berlin',
      profile: 'America/New_York',
      defaultZone: 'UTC',
    };
    expect(resolveZone(all)).toEqual({
      zone: 'Asia/Tokyo',
      source: 'command',
      phrase: 'from your command',
      ignored: [],
    });
    expect(resolveZone({ ...all, command: undefined })).toMatchObject({
      zone: 'Europe/Berlin',
      source: 'setting',
      phrase: 'from your settings',
    });
    expect(resolveZone({ ...all, command: null, setting: null })).toMatchObject({
      zone: 'America/New_York',
      source: 'profile',
      phrase: 'from your Webex profile',
    });
    expect(resolveZone({ defaultZone: 'UTC' })).toMatchObject({
      zone: 'UTC',
      source: 'default',
      phrase: "the bot's default",
    });
  });

  test('invalid candidates are skipped and reported', () => {
    const r = resolveZone({ setting: 'Bad/Zone', profile: 'asia/kolkata', defaultZone: 'UTC' });
    expect(r).toMatchObject({ zone: 'Asia/Kolkata', source: 'profile' });
    expect(r.ignored).toEqual([{ source: 'setting', zone: 'Bad/Zone' }]);
    expect(resolveZone({ defaultZone: 'Nope' })).toMatchObject({ zone: 'UTC', source: 'default' });
  });

  test('suggestions and friendly errors', () => {
    expect(suggestZone('europe/berlinn')).toBe('Europe/Berlin');
    expect(suggestZone('berlin')).toBe('Europe/Berlin');
    expect(suggestZone('new york')).toBe('America/New_York');
    expect(suggestZone('qqqqqqqq')).toBeNull();
    expect(zoneError('Europe/Berln')).toContain('Did you mean Europe/Berlin?');
    expect(zoneError('qqqqqqqq')).toBe(
      '“qqqqqqqq” is not a time zone I know. Use an IANA zone name such as Europe/Berlin or America/New_York.',
    );
    expect(zoneError('x'.repeat(10_000)).length).toBeLessThan(200);
  });
});
