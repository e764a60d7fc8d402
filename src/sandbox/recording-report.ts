/**
 * Pure rules of Webex's Recording Report API as the sandbox applies them: who may read a
 * recording, the `from`/`to` window of accessSummary, the `timezone` header, and opaque
 * paging cursors. No Express here, so each rule is testable on its own.
 */
import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';
import type { SandboxRecording } from './state';

/** Scopes that let a token read recording reports (any one of them). */
export const RECORDING_READ_SCOPES = [
  'meeting:recordings_read',
  'meeting:admin_recordings_read',
  'spark:all',
];
/** The admin on-behalf-of scope that unlocks `hostEmail`. */
export const ADMIN_RECORDINGS_SCOPE = 'meeting:admin_recordings_read';

const DAY_MS = 86_400_000;
/** Spec: default window is 7 days; at most 90 days long; `from` at most 365 days back. */
export const SUMMARY_DEFAULT_DAYS = 7;
export const SUMMARY_MAX_INTERVAL_DAYS = 90;
export const SUMMARY_MAX_LOOKBACK_DAYS = 365;

/** Who is asking, reduced to what the access rules look at. */
export interface ReportReader {
  emails: string[];
  /** True when the token holds the admin scope AND the person is an admin. */
  isAdmin: boolean;
}

const sameEmail = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Whether `reader` may read `recording`'s access details. Without `hostEmail`: hosted by or
 * shared with the reader. With `hostEmail` (admins only): the recording's host must be it.
 * @example canReadRecording(rec, { emails: ['host@example.com'], isAdmin: false }) // true for own
 */
export function canReadRecording(
  recording: SandboxRecording,
  reader: ReportReader,
  hostEmail?: string,
): boolean {
  if (hostEmail !== undefined) return reader.isAdmin && sameEmail(recording.hostEmail, hostEmail);
  return reader.emails.some(
    (email) =>
      sameEmail(recording.hostEmail, email) ||
      recording.sharedWith.some((shared) => sameEmail(shared, email)),
  );
}

/**
 * Which recordings accessSummary lists: the reader's own and those shared with them, or,
 * for an admin with `hostEmail`, that host's (every host's when `hostEmail` is `all`).
 */
export function summaryIncludes(
  recording: SandboxRecording,
  reader: ReportReader,
  hostEmail?: string,
): boolean {
  if (hostEmail !== undefined && hostEmail.toLowerCase() === 'all') return reader.isAdmin;
  return canReadRecording(recording, reader, hostEmail);
}

/**
 * The zone named by the `timezone` header. The spec says "The default is UTC if `timezone`
 * is not defined"; a name the IANA database does not define is treated the same way, so the
 * sandbox falls back to UTC (the `Z`/`+00:00` offset in the output shows it did).
 * @example resolveTimezone('America/Los_Angeles') // 'America/Los_Angeles'
 * @example resolveTimezone('Mars/Olympus') // 'UTC'
 */
export function resolveTimezone(header: string | undefined): string {
  const zone = header?.trim();
  return zone && IANAZone.isValidZone(zone) ? zone : 'UTC';
}

/**
 * Re-expresses a stored UTC time in `zone`, ISO-8601 without milliseconds.
 * @example formatInZone('2020-07-13T17:05:35Z', 'America/Los_Angeles') // '2020-07-13T10:05:35-07:00'
 */
export function formatInZone(utcIso: string, zone: string): string {
  if (zone === 'UTC') return utcIso;
  const key = `${zone} ${utcIso}`;
  let formatted = zonedTimes.get(key);
  if (formatted === undefined) {
    formatted =
      DateTime.fromISO(utcIso, { zone: 'utc' })
        .setZone(zone)
        .toISO({ suppressMilliseconds: true }) ?? utcIso;
    zonedTimes.set(key, formatted);
  }
  return formatted;
}

/**
 * luxon's zone conversion costs ~0.1 ms; the same report is paged again and again. Bounded: a
 * benchmark pages the same big reports many times; memory must not grow with it. Asked once per
 * record, so get/set rather than memo(), which costs about three times as much per hit.
 */
const zonedTimes = new LRUCache<string, string>({ max: 200_000 });

/** A validated `[fromMs, toMs)` window, or the rule it broke (quoted in the 400). */
export type SummaryWindow =
  { ok: true; fromMs: number; toMs: number } | { ok: false; message: string };

function parseIsoMs(value: string, zone: string): number | undefined {
  // Times without an offset are read in the request's `timezone` (UTC by default).
  const parsed = DateTime.fromISO(value, { zone });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/**
 * Applies accessSummary's `from`/`to` rules from the spec: defaults of 7 days, `from` not
 * after `to`, interval at most 90 days, `from` at most 365 days before now.
 * @example parseSummaryWindow({}, Date.now()) // the last 7 days
 * @example parseSummaryWindow({ from: '2020-01-01T00:00:00Z', to: '2020-06-01T00:00:00Z' }, now)
 * // { ok: false, message: 'The interval between `to` and `from` cannot exceed 90 days.' }
 */
export function parseSummaryWindow(
  query: { from?: string; to?: string },
  nowMs: number,
  zone = 'UTC',
): SummaryWindow {
  let fromMs: number | undefined;
  let toMs: number | undefined;
  if (query.from !== undefined) {
    fromMs = parseIsoMs(query.from, zone);
    if (fromMs === undefined)
      return { ok: false, message: '`from` must be an ISO 8601 date and time.' };
  }
  if (query.to !== undefined) {
    toMs = parseIsoMs(query.to, zone);
    if (toMs === undefined)
      return { ok: false, message: '`to` must be an ISO 8601 date and time.' };
  }
  const week = SUMMARY_DEFAULT_DAYS * DAY_MS;
  if (fromMs === undefined && toMs === undefined) toMs = nowMs;
  if (fromMs === undefined) fromMs = (toMs as number) - week;
  if (toMs === undefined) toMs = fromMs + week;

  if (fromMs > toMs) return { ok: false, message: '`from` cannot be after `to`.' };
  if (toMs - fromMs > SUMMARY_MAX_INTERVAL_DAYS * DAY_MS) {
    return {
      ok: false,
      message: `The interval between \`to\` and \`from\` cannot exceed ${SUMMARY_MAX_INTERVAL_DAYS} days.`,
    };
  }
  if (nowMs - fromMs > SUMMARY_MAX_LOOKBACK_DAYS * DAY_MS) {
    return {
      ok: false,
      message: `The interval between the current time and \`from\` cannot exceed ${SUMMARY_MAX_LOOKBACK_DAYS} days.`,
    };
  }
  return { ok: true, fromMs, toMs };
}

/**
 * Opaque paging cursor: clients must follow `Link`, not compute offsets, so the offset is
 * wrapped rather than exposed.
 * @example decodeCursor(encodeCursor(200)) // 200
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset })).toString('base64url');
}

/** The offset inside a cursor, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { v, o } = parsed as { v?: unknown; o?: unknown };
    return v === 1 && typeof o === 'number' && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One page of `items` from `offset`, and the offset of the next page when more remain.
 * @example pageOf([1, 2, 3], 0, 2) // { page: [1, 2], nextOffset: 2 }
 */
export function pageOf<T>(
  items: readonly T[],
  offset: number,
  max: number,
): { page: T[]; nextOffset?: number } {
  const page = items.slice(offset, offset + max);
  return offset + max < items.length ? { page, nextOffset: offset + max } : { page };
}
