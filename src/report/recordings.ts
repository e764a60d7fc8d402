/**
 * The `recordings` list: which report windows to ask Webex for, and the card data for the
 * answer. Pure.
 */
import { escapeCardText, sanitizeText, truncateText } from './escape';
import type { Translator } from './i18n';
import { formatAccessTime, safeLocale } from './time';

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
  /** The person's language (see src/locales.ts translatorFor). */
  messages: Translator;
}

/**
 * Card data for cards/recordings.json, newest first. Choice values carry the host too, so an
 * admin's pick can be audited with `host`.
 * @example buildRecordingsCardData({ recordings, days: 30, zone: 'UTC', locale: 'en-US', requesterId })
 */
export function buildRecordingsCardData(input: RecordingsCardInput) {
  const { t } = input.messages;
  const locale = safeLocale(input.locale);
  const limit = input.limit ?? 20;
  const sorted = [...input.recordings].sort(
    (a, b) => Date.parse(b.timeRecorded) - Date.parse(a.timeRecorded),
  );
  const shown = sorted.slice(0, limit);
  const noTopic = t('audit.noTopic');
  const title =
    input.host === undefined
      ? t('recordings.title.own', { days: input.days })
      : input.host === 'all'
        ? t('recordings.title.all', { days: input.days })
        : t('recordings.title.host', { host: input.host, days: input.days });
  const rows = shown.map((r) => {
    const when = formatAccessTime(Date.parse(r.timeRecorded), input.zone, locale);
    const counts = t('recordings.detail', {
      when,
      views: r.viewCount,
      downloads: r.downloadCount,
    });
    return {
      topic: escapeCardText(r.topic || noTopic, { maxLength: 80 }),
      detail: escapeCardText(`${counts}${input.host === 'all' ? ` · ${r.hostEmail}` : ''}`, {
        maxLength: 160,
      }),
      choice: {
        // Choice titles are plain text, not markdown: only cleaned and shortened.
        title: truncateText(sanitizeText(`${r.topic || noTopic} · ${when}`), 120),
        value: input.host === undefined ? r.recordingId : `${r.recordingId} ${r.hostEmail}`,
      },
    };
  });
  return {
    title: escapeCardText(title),
    zoneText: escapeCardText(t('recordings.zone', { zone: input.zone })),
    hasRows: rows.length > 0,
    emptyText: t('recordings.empty', { days: input.days }),
    rows,
    choices: rows.map((r) => r.choice),
    firstChoice: rows[0]?.choice.value ?? '',
    moreText:
      sorted.length > shown.length
        ? t('recordings.more', { shown: shown.length, total: sorted.length })
        : '',
    auditData: {
      action: 'recordings.audit',
      requesterId: input.requesterId,
    },
    labels: { choice: t('recordings.choice'), audit: t('recordings.audit') },
  };
}
