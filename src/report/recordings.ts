/**
 * The `recordings` list: which report windows to ask Webex for, and the card data for the
 * answer. Pure.
 */
import { escapeCardText, sanitizeText, truncateText } from './escape';
import { formatAccessTime, numberFormat, safeLocale } from './time';

/** Webex's accessSummary allows at most 90 days per request and 365 days back. */
export const SUMMARY_MAX_WINDOW_DAYS = 90;
export const SUMMARY_MAX_LOOKBACK_DAYS = 365;
const DAY_MS = 24 * 60 * 60_000;

export interface SummaryWindow {
  from: Date;
  to: Date;
}

/**
 * Splits "the last `days` days before `now`" into windows Webex accepts, newest first.
 * @example summaryWindows(Date.parse('2026-11-28T00:00:00Z'), 100).length // 2
 */
export function summaryWindows(now: number, days: number): SummaryWindow[] {
  // A minute of margin keeps the oldest `from` inside the limit when the request arrives.
  const oldest = Math.max(now - days * DAY_MS, now - SUMMARY_MAX_LOOKBACK_DAYS * DAY_MS + 60_000);
  const windows: SummaryWindow[] = [];
  for (let to = now; to > oldest; to -= SUMMARY_MAX_WINDOW_DAYS * DAY_MS) {
    const from = Math.max(oldest, to - SUMMARY_MAX_WINDOW_DAYS * DAY_MS);
    windows.push({ from: new Date(from), to: new Date(to) });
  }
  return windows;
}

export interface RecordingSummary {
  recordingId: string;
  topic: string;
  timeRecorded: string;
  hostEmail: string;
  viewCount: number;
  downloadCount: number;
}

export interface RecordingsCardInput {
  recordings: RecordingSummary[];
  days: number;
  zone: string;
  locale: string;
  /** An admin's `host <email>` or `all`. */
  host?: string;
  requesterId: string;
  /** Rows shown on the card; the choice offers as many (Webex cards stay small). */
  limit?: number;
}

/**
 * Card data for cards/recordings.json, newest first. Choice values carry the host too, so an
 * admin's pick can be audited with `host`.
 * @example buildRecordingsCardData({ recordings, days: 30, zone: 'UTC', locale: 'en-US', requesterId })
 */
export function buildRecordingsCardData(input: RecordingsCardInput) {
  const locale = safeLocale(input.locale);
  const num = numberFormat(locale);
  const limit = input.limit ?? 20;
  const sorted = [...input.recordings].sort(
    (a, b) => Date.parse(b.timeRecorded) - Date.parse(a.timeRecorded),
  );
  const shown = sorted.slice(0, limit);
  const whose =
    input.host === undefined
      ? 'Your recordings'
      : input.host === 'all'
        ? 'All recordings'
        : `Recordings of ${input.host}`;
  const rows = shown.map((r) => {
    const when = formatAccessTime(Date.parse(r.timeRecorded), input.zone, locale);
    return {
      topic: escapeCardText(r.topic || '(no topic)', { maxLength: 80 }),
      detail: escapeCardText(
        `${when} · ${num.format(r.viewCount)} views · ${num.format(r.downloadCount)} downloads${input.host === 'all' ? ` · ${r.hostEmail}` : ''}`,
        { maxLength: 160 },
      ),
      choice: {
        // Choice titles are plain text, not markdown: only cleaned and shortened.
        title: truncateText(sanitizeText(`${r.topic || '(no topic)'} · ${when}`), 120),
        value: input.host === undefined ? r.recordingId : `${r.recordingId} ${r.hostEmail}`,
      },
    };
  });
  return {
    title: escapeCardText(`${whose}, last ${num.format(input.days)} days`),
    zoneText: escapeCardText(`Times in ${input.zone}.`),
    hasRows: rows.length > 0,
    emptyText: `No recordings in the last ${num.format(input.days)} days. Try "recordings 90".`,
    rows,
    choices: rows.map((r) => r.choice),
    firstChoice: rows[0]?.choice.value ?? '',
    moreText:
      sorted.length > shown.length
        ? `Showing the ${shown.length} newest of ${num.format(sorted.length)}.`
        : '',
    auditData: {
      action: 'recordings.audit',
      requesterId: input.requesterId,
    },
  };
}
