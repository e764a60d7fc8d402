/**
 * The CSV export: one row per access record, times in the requester's zone and in UTC, and
 * whether the person is outside the organisation (by their email). Cells that a spreadsheet
 * would run as a formula are neutralised.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { DateTime } from 'luxon';
import type { AccessRecord, ExternalTest } from './types';

/** Characters that make Excel, Sheets or LibreOffice treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Prefixes a formula-looking cell with an apostrophe, as OWASP recommends for CSV injection.
 * @example neutraliseCell('=HYPERLINK("x")') // "'=HYPERLINK(\"x\")"
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvHeader(zone: string): string[] {
  return [
    'Name',
    'Email',
    'Viewed',
    'Downloaded',
    `Access time (${zone})`,
    'Access time (UTC)',
    'external',
  ];
}

/**
 * One CSV row for one access. Unreadable times are left empty rather than guessed.
 * @example csvRow(record, 'Europe/Berlin', isExternal) // ['John', 'john@x', 'yes', 'no', '2020-07-13T19:05:35+02:00', '2020-07-13T17:05:35Z', 'false']
 */
export function csvRow(record: AccessRecord, zone: string, isExternal: ExternalTest): string[] {
  const time = DateTime.fromISO(String(record.accessTime), { setZone: true });
  const local = time.isValid ? time.setZone(zone).toISO({ suppressMilliseconds: true }) : '';
  const utc = time.isValid ? time.toUTC().toISO({ suppressMilliseconds: true }) : '';
  return [
    neutraliseCell(String(record.name ?? '')),
    neutraliseCell(String(record.email ?? '')),
    record.viewed ? 'yes' : 'no',
    record.downloaded ? 'yes' : 'no',
    local ?? '',
    utc ?? '',
    String(isExternal(String(record.email ?? ''))),
  ];
}

/**
 * `recording-access-<recordingId>-<yyyy-mm-dd>.csv`, dated in the requester's zone.
 * @example csvFileName('4f91', Date.parse('2026-11-28T08:00:00Z'), 'UTC') // 'recording-access-4f91-2026-11-28.csv'
 */
export function csvFileName(recordingId: string, now: number, zone: string): string {
  const safeId = recordingId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 128);
  const day = DateTime.fromMillis(now, { zone }).toFormat('yyyy-MM-dd');
  return `recording-access-${safeId}-${day}.csv`;
}

/**
 * Streams the CSV (header first), one record at a time, so large reports never build one big
 * array of rows.
 * @example await text(accessCsv(records, 'UTC', externalTest([], 'hana@example.com')))
 */
export function accessCsv(
  records: Iterable<AccessRecord>,
  zone: string,
  isExternal: ExternalTest,
): Readable {
  const rows = (function* () {
    for (const record of records) yield csvRow(record, zone, isExternal);
  })();
  return Readable.from(rows).pipe(stringify({ header: true, columns: csvHeader(zone), bom: true }));
}
