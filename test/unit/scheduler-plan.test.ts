/** The scheduler's pure rules: next runs (weekly in a zone, across DST; intervals with jitter), backoff, outcomes. */
import { DateTime } from 'luxon';
import {
  RETRY_MAX_MS,
  nextIntervalRun,
  nextOccurrence,
  nextWeeklyRun,
  outcomeOfRun,
  parseRecurrence,
  retryDelayMs,
  validRecurrence,
  type WeeklyRecurrence,
} from '../../src/scheduler/plan';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const mondayNineIn = (zone: string): WeeklyRecurrence => ({
  every: 'week',
  weekday: 1,
  hour: 9,
  minute: 0,
  zone,
});
const iso = (ms: number) => new Date(ms).toISOString();
const local = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat('cccc yyyy-MM-dd HH:mm ZZ');

/** `count` successive runs, each computed from the one before (as the scheduler does). */
function runs(recurrence: WeeklyRecurrence, fromIso: string, count: number): number[] {
  const out: number[] = [];
  let at = Date.parse(fromIso);
  for (let i = 0; i < count; i++) out.push((at = nextWeeklyRun(at, recurrence)));
  return out;
}

describe('nextWeeklyRun', () => {
  it('runs at 09:00 on Mondays in Asia/Tokyo (no DST): midnight UTC, exactly a week apart', () => {
    const tokyo = runs(mondayNineIn('Asia/Tokyo'), '2024-10-30T12:00:00Z', 3);
    expect(tokyo.map(iso)).toEqual([
      '2024-11-04T00:00:00.000Z',
      '2024-11-11T00:00:00.000Z',
      '2024-11-18T00:00:00.000Z',
    ]);
    expect(local(tokyo[0], 'Asia/Tokyo')).toBe('Monday 2024-11-04 09:00 +09:00');
  });

  it('keeps 09:00 local in America/Los_Angeles when daylight saving time ends', () => {
    // DST ends on Sunday 2024-11-03: Monday 09:00 is 16:00Z before, 17:00Z after.
    const la = runs(mondayNineIn('America/Los_Angeles'), '2024-10-25T00:00:00Z', 3);
    expect(la.map(iso)).toEqual([
      '2024-10-28T16:00:00.000Z',
      '2024-11-04T17:00:00.000Z',
      '2024-11-11T17:00:00.000Z',
    ]);
    expect(la[1] - la[0]).toBe(7 * DAY + HOUR);
    expect(la.map((ms) => local(ms, 'America/Los_Angeles'))).toEqual([
      'Monday 2024-10-28 09:00 -07:00',
      'Monday 2024-11-04 09:00 -08:00',
      'Monday 2024-11-11 09:00 -08:00',
    ]);
  });

  it('keeps 09:00 local in America/Los_Angeles when daylight saving time starts', () => {
    // DST starts on Sunday 2025-03-09: the week is an hour short.
    const la = runs(mondayNineIn('America/Los_Angeles'), '2025-03-01T00:00:00Z', 2);
    expect(la.map(iso)).toEqual(['2025-03-03T17:00:00.000Z', '2025-03-10T16:00:00.000Z']);
    expect(la[1] - la[0]).toBe(7 * DAY - HOUR);
  });

  it('counts the day in the zone, not in UTC', () => {
    // Sunday 20:00 in Los Angeles is already Monday 04:00 UTC; the run is that Monday 09:00 LA.
    const after = Date.parse('2024-11-11T04:00:00Z');
    expect(iso(nextWeeklyRun(after, mondayNineIn('America/Los_Angeles')))).toBe(
      '2024-11-11T17:00:00.000Z',
    );
    // Monday 08:00 in Tokyo is still Sunday 23:00 UTC; the run is an hour later.
    const tokyoMorning = Date.parse('2024-11-10T23:00:00Z');
    expect(iso(nextWeeklyRun(tokyoMorning, mondayNineIn('Asia/Tokyo')))).toBe(
      '2024-11-11T00:00:00.000Z',
    );
  });

  it('is strictly after: a run at 09:00 sharp, or a late one, goes to the next week', () => {
    const nine = Date.parse('2024-11-04T00:00:00Z');
    expect(iso(nextWeeklyRun(nine, mondayNineIn('Asia/Tokyo')))).toBe('2024-11-11T00:00:00.000Z');
    expect(iso(nextWeeklyRun(nine - 1, mondayNineIn('Asia/Tokyo')))).toBe(
      '2024-11-04T00:00:00.000Z',
    );
    // After downtime: one run at once when it was due (the claim), then the next Monday.
    const tuesday = Date.parse('2024-11-05T03:00:00Z');
    expect(iso(nextWeeklyRun(tuesday, mondayNineIn('Asia/Tokyo')))).toBe(
      '2024-11-11T00:00:00.000Z',
    );
  });

  it('moves a local time that a DST change skips past the gap', () => {
    // Sunday 2025-03-09 02:30 does not exist in Los Angeles (02:00 → 03:00).
    const gap = { every: 'week', weekday: 7, hour: 2, minute: 30, zone: 'America/Los_Angeles' };
    const at = nextWeeklyRun(Date.parse('2025-03-08T00:00:00Z'), gap as WeeklyRecurrence);
    expect(local(at, 'America/Los_Angeles')).toBe('Sunday 2025-03-09 03:30 -07:00');
  });
});

describe('nextIntervalRun', () => {
  const every = { every: 'interval', intervalMs: 900_000, jitterMs: 90_000 } as const;

  it('moves each run by at most the jitter either way, spread over the whole range', () => {
    expect(nextIntervalRun(0, every, () => 0)).toBe(810_000);
    expect(nextIntervalRun(0, every, () => 0.5)).toBe(900_000);
    expect(nextIntervalRun(0, every, () => 0.999_999)).toBeLessThan(990_000);
    let seed = 7;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const gaps = Array.from({ length: 2000 }, () => nextIntervalRun(1_000, every, random) - 1_000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(810_000);
    expect(Math.max(...gaps)).toBeLessThan(990_000);
    expect(Math.min(...gaps)).toBeLessThan(820_000);
    expect(Math.max(...gaps)).toBeGreaterThan(980_000);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(Math.abs(mean - 900_000)).toBeLessThan(5_000);
  });

  it('is exact without jitter', () => {
    const plain = { every: 'interval', intervalMs: 60_000 } as const;
    expect(nextOccurrence(plain, 5, Math.random)).toBe(60_005);
  });
});

describe('recurrences', () => {
  it('refuses a jitter as long as the interval, an unknown zone or weekday', () => {
    expect(() => validRecurrence({ every: 'interval', intervalMs: 10, jitterMs: 10 })).toThrow(
      /jitterMs must be smaller/,
    );
    expect(() => validRecurrence({ ...mondayNineIn('Mars/Olympus') })).toThrow(/IANA time zone/);
    expect(() => validRecurrence({ ...mondayNineIn('UTC'), weekday: 8 })).toThrow(RangeError);
    expect(validRecurrence(mondayNineIn('Asia/Tokyo'))).toEqual(mondayNineIn('Asia/Tokyo'));
  });

  it('reads a stored recurrence, or nothing from what is not one', () => {
    expect(parseRecurrence(JSON.stringify(mondayNineIn('UTC')))).toEqual(mondayNineIn('UTC'));
    expect(parseRecurrence(undefined)).toBeUndefined();
    expect(parseRecurrence('{not json')).toBeUndefined();
    expect(parseRecurrence('{"every":"month"}')).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('doubles from 30 s up to an hour, and never past an interval job’s own interval', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(8)).toBe(RETRY_MAX_MS);
    expect(retryDelayMs(10_000)).toBe(RETRY_MAX_MS);
    const poll = { every: 'interval', intervalMs: 100_000 } as const;
    expect(retryDelayMs(2, poll)).toBe(60_000);
    expect(retryDelayMs(3, poll)).toBe(100_000);
  });
});

describe('outcomeOfRun', () => {
  const weekly = mondayNineIn('Asia/Tokyo');
  const now = Date.parse('2024-11-04T00:00:01Z');
  const done = (result: Parameters<typeof outcomeOfRun>[1]) =>
    outcomeOfRun({ recurrence: weekly, attempts: 1 }, result, now, () => 0.5);

  it('reschedules a recurring job, deletes a one-shot one, and follows what the handler says', () => {
    expect(done({ ok: true, result: undefined })).toEqual({
      status: 'reschedule',
      nextRunAt: Date.parse('2024-11-11T00:00:00Z'),
    });
    expect(
      outcomeOfRun({ attempts: 1 }, { ok: true, result: undefined }, now, Math.random),
    ).toEqual({ status: 'delete' });
    expect(done({ ok: true, result: { done: true } })).toEqual({ status: 'delete' });
    expect(done({ ok: true, result: { runAt: now + 42 } })).toEqual({
      status: 'reschedule',
      nextRunAt: now + 42,
    });
  });

  it('retries a failure after the backoff for its attempt, keeping the error', () => {
    const failed = outcomeOfRun(
      { attempts: 3 },
      { ok: false, error: 'Webex answered 503' },
      now,
      Math.random,
    );
    expect(failed).toEqual({
      status: 'retry',
      nextRunAt: now + 120_000,
      error: 'Webex answered 503',
    });
  });
});
