import { DateTime } from 'luxon';
import type { AccessRecord, AccessReport, PeopleFilter, PeoplePage, PersonAccess } from './types';

/** Epoch ms of an API access time, or null when it is missing or not ISO 8601. */
export function parseAccessTime(value: unknown): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const dt = DateTime.fromISO(value.trim(), { setZone: true });
  return dt.isValid ? dt.toMillis() : null;
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
        accesses: 0,
        firstAccess: null,
        lastAccess: null,
        nameTime: -Infinity,
      };
      byKey.set(key, p);
    }
    p.accesses++;
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
 * People matching a filter, in report order.
 *
 * @example
 * filterPeople(report, 'downloaded').length === report.totals.downloaders; // true
 */
export function filterPeople(report: AccessReport, filter: PeopleFilter): PersonAccess[] {
  switch (filter) {
    case 'viewed':
      return report.people.filter((p) => p.viewed);
    case 'downloaded':
      return report.people.filter((p) => p.downloaded);
    case 'everyone':
      return [...report.people];
  }
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
