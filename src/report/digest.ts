/**
 * The weekly digest, built from what Webex answered: the week's most viewed and downloaded
 * recordings (accessSummary) and every download in the week by someone outside the
 * organisation (accessDetail). Pure: the bot's digest job (src/bot/digest.ts) fetches and
 * sends; this decides what the card says.
 */
import { parseAccessTime } from './aggregate';
import { escapeCardText, escapeEmail } from './escape';
import type { Translator } from './i18n';
import type { RecordingSummary } from './recordings';
import { formatAccessTime, safeLocale } from './time';
import type { AccessRecord } from './types';

/** How many recordings the digest ranks. */
export const DIGEST_TOP = 5;
/** External download lines on one card; the rest are counted. */
export const DIGEST_MAX_EXTERNAL_LINES = 20;
/** Webex shows at most five buttons on a card: more recordings than this get a picker. */
export const DIGEST_MAX_BUTTONS = 5;

/** A download by someone outside the organisation. */
export interface ExternalDownload {
  recordingId: string;
  name: string;
  email: string;
  /** Epoch ms. */
  accessTime: number;
}

/** True when no recording was viewed or downloaded. */
export function isQuietWeek(summaries: readonly RecordingSummary[]): boolean {
  return !summaries.some((s) => s.viewCount > 0 || s.downloadCount > 0);
}

/**
 * The most active recordings: views and downloads together, then views, then the newest.
 * @example topRecordings(summaries).map((s) => s.recordingId) // at most five, busiest first
 */
export function topRecordings(
  summaries: readonly RecordingSummary[],
  limit = DIGEST_TOP,
): RecordingSummary[] {
  return summaries
    .filter((s) => s.viewCount + s.downloadCount > 0)
    .sort(
      (a, b) =>
        b.viewCount + b.downloadCount - (a.viewCount + a.downloadCount) ||
        b.viewCount - a.viewCount ||
        Date.parse(b.timeRecorded) - Date.parse(a.timeRecorded),
    )
    .slice(0, limit);
}

/**
 * The downloads in `[week.from, week.to)` by people `isOutside` says are external, oldest
 * first. Decided by the email alone.
 * @example externalDownloadsIn(records, week, (email) => isExternal(email, orgDomains, me))
 */
export function externalDownloadsIn(
  records: readonly AccessRecord[],
  week: { from: number; to: number },
  isOutside: (email: string) => boolean,
): ExternalDownload[] {
  const found: ExternalDownload[] = [];
  for (const r of records) {
    if (!r.downloaded) continue;
    const at = parseAccessTime(r.accessTime);
    if (at === null || at < week.from || at >= week.to || !isOutside(r.email)) continue;
    found.push({ recordingId: r.recordingId, name: r.name, email: r.email, accessTime: at });
  }
  return found.sort((a, b) => a.accessTime - b.accessTime);
}

export interface DigestInput {
  week: { from: number; to: number };
  zone: string;
  locale: string;
  messages: Translator;
  requesterId: string;
  /** The requester's email: their own recordings need no `host` on the Audit button. */
  requesterEmail: string;
  /** The week's recordings as accessSummary listed them. */
  summaries: readonly RecordingSummary[];
  external: readonly ExternalDownload[];
  /** An admin's digest of every host (`hostEmail=all`): hosts are shown and audited as such. */
  allHosts: boolean;
  /** Recordings with downloads that were not read for external people (a bound on calls). */
  uncheckedRecordings: number;
  /** Recordings whose report was read only in part (very long ones). */
  partlyChecked: number;
  /** Asked for every host, but the account lost its admin access: own recordings only. */
  adminLost: boolean;
}

const TOPIC = { maxLength: 120 } as const;
const NAME = { maxLength: 80 } as const;

/**
 * Data for cards/digest.json: one block per recording (the busiest first, then the others with
 * external downloads), each with its external downloads and an Audit button; with more
 * recordings than a card has buttons for, one picker and one Audit button instead.
 * @example renderCard('digest', buildDigestCardData(input))
 */
export function buildDigestCardData(input: DigestInput) {
  const { t } = input.messages;
  const locale = safeLocale(input.locale);
  const when = (ms: number) => formatAccessTime(ms, input.zone, locale);
  const byId = new Map(input.summaries.map((s) => [s.recordingId, s]));
  const top = topRecordings(input.summaries);
  const withExternal = [...new Set(input.external.map((e) => e.recordingId))]
    .filter((id) => !top.some((s) => s.recordingId === id))
    .map((id) => byId.get(id))
    .filter((s): s is RecordingSummary => s !== undefined);
  const listed = [...top, ...withExternal];
  const buttons = listed.length <= DIGEST_MAX_BUTTONS;
  const noTopic = t('audit.noTopic');
  let linesLeft = DIGEST_MAX_EXTERNAL_LINES;

  const blocks = listed.map((s) => {
    const external = input.external.filter((e) => e.recordingId === s.recordingId);
    const shown = external.slice(0, Math.max(0, linesLeft));
    linesLeft -= shown.length;
    const counts = t('digest.counts', { views: s.viewCount, downloads: s.downloadCount });
    return {
      topic: escapeCardText(s.topic || noTopic, TOPIC),
      detail: input.allHosts
        ? `${counts} · ${t('digest.host', { host: escapeEmail(s.hostEmail) })}`
        : counts,
      hasExternal: shown.length > 0,
      external: shown.map((e) => ({
        text: t('digest.external.line', {
          who: e.name ? escapeCardText(e.name, NAME) : t('audit.unknownPerson'),
          email: escapeEmail(e.email),
          when: escapeCardText(when(e.accessTime)),
        }),
      })),
      hasButton: buttons,
      auditData: withoutUndefined({
        action: 'digest.audit',
        recordingId: s.recordingId,
        hostEmail: auditHost(s, input),
        requesterId: input.requesterId,
      }),
      choice: {
        title: escapeCardText(s.topic || noTopic, TOPIC),
        value: [s.recordingId, auditHost(s, input)].filter(Boolean).join(' '),
      },
    };
  });

  const totals = input.summaries.reduce(
    (sum, s) => ({ views: sum.views + s.viewCount, downloads: sum.downloads + s.downloadCount }),
    { views: 0, downloads: 0 },
  );
  const hiddenExternal = input.external.length - (DIGEST_MAX_EXTERNAL_LINES - linesLeft);
  const notes = [
    hiddenExternal > 0 ? t('digest.external.more', { count: hiddenExternal }) : '',
    input.uncheckedRecordings > 0
      ? t('digest.unchecked', { count: input.uncheckedRecordings })
      : '',
    input.partlyChecked > 0 ? t('digest.partlyChecked', { count: input.partlyChecked }) : '',
    input.adminLost ? t('digest.adminLost') : '',
  ].filter(Boolean);
  const quiet = isQuietWeek(input.summaries);

  return {
    title: t(input.allHosts ? 'digest.title.all' : 'digest.title.own'),
    period: t('digest.period', {
      from: escapeCardText(when(input.week.from)),
      to: escapeCardText(when(input.week.to)),
    }),
    summary: quiet
      ? t('digest.quiet')
      : t('digest.summary', {
          recordings: input.summaries.filter((s) => s.viewCount + s.downloadCount > 0).length,
          views: totals.views,
          downloads: totals.downloads,
          external: input.external.length,
        }),
    externalNone:
      !quiet && input.external.length === 0 && input.uncheckedRecordings === 0
        ? t('digest.external.none')
        : '',
    blocks,
    hasBlocks: blocks.length > 0,
    hasPicker: blocks.length > 0 && !buttons,
    choices: blocks.map((b) => b.choice),
    firstChoice: blocks[0]?.choice.value ?? '',
    pickerData: { action: 'digest.audit', requesterId: input.requesterId },
    notes: notes.map((text) => ({ text })),
    hasNotes: notes.length > 0,
    footer: t('digest.footer'),
    labels: { audit: t('digest.audit'), choice: t('digest.choice') },
  };
}

export type DigestCardData = ReturnType<typeof buildDigestCardData>;

/**
 * The markdown sent with the card (notifications, clients without cards): title, period,
 * summary and the recordings listed. The fields of `data` are already escaped.
 */
export function buildDigestMarkdown(data: DigestCardData): string {
  const lines = [`**${data.title}**`, data.period, data.summary];
  for (const block of data.blocks.slice(0, DIGEST_TOP)) {
    lines.push(`- **${block.topic}**: ${block.detail}`);
  }
  if (data.externalNone) lines.push(data.externalNone);
  return lines.join('\n\n');
}

/** The host an Audit button names: only an admin's digest of other hosts needs one. */
function auditHost(s: RecordingSummary, input: DigestInput): string | undefined {
  if (!input.allHosts || !s.hostEmail) return undefined;
  return s.hostEmail.toLowerCase() === input.requesterEmail.toLowerCase() ? undefined : s.hostEmail;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
