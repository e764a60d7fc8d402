import { DateTime } from 'luxon';
import type {
  AccessRecord,
  AccessReport,
  ExternalTest,
  PeopleFilter,
  PeoplePage,
  PersonAccess,
} from './types';

/** What Webex sends: date, time, optional fraction, and `Z` or an offset. */
const API_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch ms of an API access time, or null when it is missing or not ISO 8601.
 * The common form is read with `Date.parse` (a report can hold tens of thousands of times and
 * luxon's parser is ~10× slower); anything else falls back to luxon's full ISO reader.
 * @example parseAccessTime('2020-07-13T10:05:35-07:00') // 1594659935000
 */
export function parseAccessTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  const parts = API_TIME.exec(text);
  // Date.parse rolls 2020-02-30 over into March; such a date is invalid, not a guess.
  if (parts && isCalendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3]))) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  const dt = DateTime.fromISO(text, { setZone: true });
  return dt.isValid ? dt.toMillis() : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0);
}

/** Grouping key of a record: lowercased email, else the name, so one person is one row. */
export function personKey(email: string, name: string): string {
  const e = clean(email).toLowerCase();
  if (e) return e;
  return `name:${clean(name).toLowerCase()}`;
}

interface Draft extends PersonAccess {
  /** Time of the record the current name came from (-Infinity = no valid time). */
  nameTime: number;
}

/**
 * Groups access records by person and computes totals.
 *
 * @example
 * const report = aggregateAccess(items);
 * report.totals.viewers; // people who viewed at least once
 * report.people[0].lastAccess; // epoch ms of the most recent access
 */
export function aggregateAccess(records: readonly AccessRecord[]): AccessReport {
  const byKey = new Map<string, Draft>();
  let views = 0;
  let downloads = 0;
  let invalidTimes = 0;
  let firstAccess: number | null = null;
  let lastAccess: number | null = null;
  let recordingId = '';
  let topic = '';

  for (const r of records) {
    const name = clean(r.name);
    const email = clean(r.email);
    const viewed = r.viewed === true;
    const downloaded = r.downloaded === true;
    const time = parseAccessTime(r.accessTime);
    if (!recordingId) recordingId = clean(r.recordingId);
    if (!topic) topic = clean(r.topic);
    if (viewed) views++;
    if (downloaded) downloads++;
    if (time === null) invalidTimes++;
    else {
      firstAccess = minOf(firstAccess, time);
      lastAccess = maxOf(lastAccess, time);
    }

    const key = personKey(email, name);
    let p = byKey.get(key);
    if (!p) {
      p = {
        key,
        name: '',
        email: '',
        viewed: false,
        downloaded: false,
        views: 0,
        downloads: 0,
        accesses: 0,
        firstAccess: null,
        lastAccess: null,
        nameTime: -Infinity,
      };
      byKey.set(key, p);
    }
    p.accesses++;
    if (viewed) p.views++;
    if (downloaded) p.downloads++;
    p.viewed ||= viewed;
    p.downloaded ||= downloaded;
    if (!p.email) p.email = email;
    // A later record (by time, then by order) wins, so a renamed person shows the new name.
    const t = time ?? -Infinity;
    if (name && (p.name === '' || t >= p.nameTime)) {
      p.name = name;
      p.nameTime = t;
    }
    if (time !== null) {
      p.firstAccess = minOf(p.firstAccess, time);
      p.lastAccess = maxOf(p.lastAccess, time);
    }
  }

  const people: PersonAccess[] = [...byKey.values()].map(({ nameTime: _nameTime, ...p }) => p);
  people.sort(comparePeople);

  return {
    recordingId,
    topic,
    people,
    totals: {
      people: people.length,
      views,
      downloads,
      accesses: records.length,
      viewers: people.filter((p) => p.viewed).length,
      downloaders: people.filter((p) => p.downloaded).length,
      firstAccess,
      lastAccess,
      invalidTimes,
    },
  };
}

const nameCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Most recent last access first; no valid time last; then by name, then by key (stable). */
export function comparePeople(a: PersonAccess, b: PersonAccess): number {
  const ta = a.lastAccess ?? -Infinity;
  const tb = b.lastAccess ?? -Infinity;
  if (ta !== tb) return tb > ta ? 1 : -1;
  const byName = nameCollator.compare(a.name || a.email, b.name || b.email);
  if (byName !== 0) return byName;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * People matching a filter, in report order. The `external` filter needs `isExternal`, which
 * judges a person by their email alone (never their name).
 *
 * @example
 * filterPeople(report, 'downloaded').length === report.totals.downloaders; // true
 * filterPeople(report, 'external', externalTest([], requesterEmail)); // people outside
 */
export function filterPeople(
  report: AccessReport,
  filter: PeopleFilter,
  isExternal?: ExternalTest,
): PersonAccess[] {
  switch (filter) {
    case 'viewed':
      return report.people.filter((p) => p.viewed);
    case 'downloaded':
      return report.people.filter((p) => p.downloaded);
    case 'external':
      return report.people.filter(requireExternalTest(isExternal));
    case 'everyone':
      return [...report.people];
  }
}

/** People outside the organisation: how many, and how many of them viewed / downloaded. */
export interface ExternalTotals {
  people: number;
  viewers: number;
  downloaders: number;
}

/**
 * The totals of the people outside the organisation.
 * @example externalTotals(report, externalTest([], 'hana@example.com')) // { people: 2, viewers: 2, downloaders: 1 }
 */
export function externalTotals(report: AccessReport, isExternal: ExternalTest): ExternalTotals {
  const outside = report.people.filter((p) => isExternal(p.email));
  return {
    people: outside.length,
    viewers: outside.filter((p) => p.viewed).length,
    downloaders: outside.filter((p) => p.downloaded).length,
  };
}

/**
 * The access records behind a filter's people: the rows of a CSV export of that view (a
 * downloader's views are theirs too, so all their records count, as the card's people do).
 *
 * @example
 * filterRecords(records, 'downloaded').length; // every access by someone who downloaded it
 */
export function filterRecords(
  records: readonly AccessRecord[],
  filter: PeopleFilter,
  isExternal?: ExternalTest,
): AccessRecord[] {
  if (filter === 'everyone') return [...records];
  const wanted = new Set(
    filterPeople(aggregateAccess(records), filter, isExternal).map((person) => person.key),
  );
  return records.filter((r) => wanted.has(personKey(r.email, r.name)));
}

/** A person test from an email test; without one the external filter cannot be answered. */
function requireExternalTest(isExternal?: ExternalTest): (person: PersonAccess) => boolean {
  if (!isExternal) throw new Error('the external filter needs to know the organisation');
  return (person) => isExternal(person.email);
}

/**
 * One page of people. `page` is 1-based and clamped to 1..pageCount (an empty list has one
 * empty page), so a stale button never yields an error.
 *
 * @example
 * pagePeople(people, 2, 25); // { rows: people[25..49], page: 2, pageCount, hasPrev: true, ... }
 */
export function pagePeople<T extends PersonAccess>(
  people: readonly T[],
  page: number,
  pageSize: number,
): Omit<PeoplePage, 'rows'> & { rows: T[] } {
  const size = Number.isFinite(pageSize) ? Math.max(1, Math.floor(pageSize)) : 1;
  const pageCount = Math.max(1, Math.ceil(people.length / size));
  const wanted = Number.isFinite(page) ? Math.floor(page) : 1;
  const current = Math.min(Math.max(1, wanted), pageCount);
  const offset = (current - 1) * size;
  return {
    rows: people.slice(offset, offset + size),
    page: current,
    pageCount,
    pageSize: size,
    total: people.length,
    offset,
    hasPrev: current > 1,
    hasNext: current < pageCount,
  };
}

function clean(s: unknown): string {
  return typeof s === 'string' ? s.trim() : '';
}

function minOf(a: number | null, b: number): number {
  return a === null || b < a ? b : a;
}

function maxOf(a: number | null, b: number): number {
  return a === null || b > a ? b : a;
}
