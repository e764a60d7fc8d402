/**
 * The usage log as a CSV file (`usage [days]`): one row per request, its time in UTC and in the
 * reader's zone. Cells a spreadsheet would run as a formula are neutralised, as in the export.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { DateTime } from 'luxon';
import { neutraliseCell } from './csv';

/** One entry of the log, as the store gives it. */
export interface UsageRow {
  at: number;
  personEmail: string;
  command: string;
  recordingId?: string;
  hostEmail?: string;
  place: 'direct' | 'group';
  outcome: string;
}

export function usageCsvHeader(zone: string): string[] {
  return [
    'Time (UTC)',
    `Time (${zone})`,
    'Person email',
    'Command',
    'Recording ID',
    'Host email',
    'Place',
    'Outcome',
  ];
}

/**
 * @example usageCsvRow({ at: Date.parse('2024-11-04T17:00:00Z'), personEmail: 'ann@x', command: 'audit',
 *   place: 'direct', outcome: 'ok' }, 'Asia/Tokyo')
 * // ['2024-11-04T17:00:00Z', '2024-11-05T02:00:00+09:00', 'ann@x', 'audit', '', '', 'direct', 'ok']
 */
export function usageCsvRow(row: UsageRow, zone: string): string[] {
  const time = DateTime.fromMillis(row.at, { zone: 'utc' });
  return [
    time.toISO({ suppressMilliseconds: true }) ?? '',
    time.setZone(zone).toISO({ suppressMilliseconds: true }) ?? '',
    neutraliseCell(row.personEmail),
    neutraliseCell(row.command),
    neutraliseCell(row.recordingId ?? ''),
    neutraliseCell(row.hostEmail ?? ''),
    row.place,
    neutraliseCell(row.outcome),
  ];
}

/** The CSV, header first, streamed row by row. */
export function usageCsv(rows: Iterable<UsageRow>, zone: string): Readable {
  const lines = (function* () {
    for (const row of rows) yield usageCsvRow(row, zone);
  })();
  return Readable.from(lines).pipe(
    stringify({ header: true, columns: usageCsvHeader(zone), bom: true }),
  );
}

/**
 * `recording-audit-usage-<yyyy-mm-dd>-<days>d.csv`, dated in the reader's zone.
 * @example usageCsvFileName(Date.parse('2024-11-04T17:00:00Z'), 'UTC', 30) // 'recording-audit-usage-2024-11-04-30d.csv'
 */
export function usageCsvFileName(now: number, zone: string, days: number): string {
  const day = DateTime.fromMillis(now, { zone }).toFormat('yyyy-MM-dd');
  return `recording-audit-usage-${day}-${days}d.csv`;
}
