import { filterPeople, pagePeople } from './aggregate';
import { reportActions } from './card-actions';
import { escapeCardText, escapeEmail, escapeMarkdown, truncateText } from './escape';
import { formatAccessTime, numberFormat, safeLocale } from './time';
import type { AccessReport, PeopleFilter } from './types';

/** People per audit card: 20 rows of long names/emails plus the buttons stay under 16 KB (see tests). */
export const DEFAULT_PAGE_SIZE = 20;
/** Webex message text/markdown limit, in bytes. */
export const MAX_MARKDOWN_BYTES = 7439;

/**
 * Display limits: grapheme clusters, and bytes inside the card JSON. The byte limits make
 * 25 rows of worst-case names/emails (long, non-ASCII, full of markdown) fit in 16 KB.
 */
const NAME = { maxLength: 48, maxBytes: 44 };
const EMAIL = { maxLength: 64, maxBytes: 64 };
const TOPIC = { maxLength: 200, maxBytes: 300 };
const ID = { maxLength: 140, maxBytes: 160 };

export interface CardFact {
  title: string;
  value: string;
}

export interface AuditCardRow {
  name: string;
  email: string;
  /** "✓" or "—". */
  viewed: string;
  downloaded: string;
  accesses: string;
  lastAccess: string;
}

/** The data bound to cards/audit-report.json. All text is escaped. */
export interface AuditCardData {
  title: string;
  topic: string;
  recordingId: string;
  /** Escaped zone name and the phrase saying where it came from. */
  zone: string;
  zoneSource: string;
  facts: CardFact[];
  hasRows: boolean;
  rows: AuditCardRow[];
  emptyText: string;
  /** People after this card's rows (in the filtered list). */
  moreCount: number;
  moreText: string;
  filter: PeopleFilter;
  page: {
    page: number;
    pageCount: number;
    pageSize: number;
    total: number;
    hasPrev: boolean;
    hasNext: boolean;
  };
  /** "Showing people who downloaded it"; shown unless the filter is everyone. */
  filterText: string;
  showFilterText: boolean;
  /** "Export CSV (2,500 rows)": the file has one row per access. */
  exportTitle: string;
  /** What each button of the card sends back (see card-actions.ts). */
  actions: ReturnType<typeof reportActions>;
  /** "Page 2 of 3 · 60 people"; shown when there is more than one page. */
  pageText: string;
  showPageText: boolean;
}

export interface AuditCardInput {
  report: AccessReport;
  /** The zone times are shown in (from resolveZone). */
  zone: { zone: string; phrase: string };
  locale: string;
  /** Defaults to the report's recording ID / topic. */
  recordingId?: string;
  topic?: string;
  filter?: PeopleFilter;
  /** 1-based; clamped. */
  page?: number;
  /** Who the card is for: only they may use its buttons. */
  requesterId: string;
  /** Carried by the buttons so a click shows the same report. */
  hostEmail?: string;
  tz?: string;
  pageSize?: number;
}

const YES = '✓';
const NO = '—';

/**
 * Builds the plain (escaped) data for cards/audit-report.json.
 *
 * @example
 * const data = buildAuditCardData({ report, zone: resolved, locale: 'en-US' });
 * const card = renderCard('audit-report', data);
 */
export function buildAuditCardData(input: AuditCardInput): AuditCardData {
  const { report, zone, filter = 'everyone' } = input;
  const locale = safeLocale(input.locale);
  const num = numberFormat(locale);
  const fmt = (t: number | null) =>
    escapeCardText(t === null ? NO : formatAccessTime(t, zone.zone, locale));
  const t = report.totals;

  const people = filterPeople(report, filter);
  const page = pagePeople(people, input.page ?? 1, input.pageSize ?? DEFAULT_PAGE_SIZE);
  const moreCount = page.total - (page.offset + page.rows.length);

  const facts: CardFact[] = [
    { title: 'People', value: num.format(t.people) },
    {
      title: 'Viewed by',
      value: `${plural(num, t.viewers, 'person', 'people')} (${plural(num, t.views, 'view', 'views')})`,
    },
    {
      title: 'Downloaded by',
      value: `${plural(num, t.downloaders, 'person', 'people')} (${plural(num, t.downloads, 'download', 'downloads')})`,
    },
    { title: 'Accesses', value: num.format(t.accesses) },
    { title: 'First access', value: fmt(t.firstAccess) },
    { title: 'Last access', value: fmt(t.lastAccess) },
  ];
  if (t.invalidTimes > 0) {
    facts.push({
      title: 'Unreadable times',
      value: `${plural(num, t.invalidTimes, 'access', 'accesses')} without a valid time`,
    });
  }

  const topic = input.topic ?? report.topic;
  const recordingId = input.recordingId ?? report.recordingId;
  return {
    title: 'Recording audit',
    topic: topic.trim() ? escapeCardText(topic, TOPIC) : '(no topic)',
    recordingId: escapeCardText(recordingId, ID) || NO,
    zone: escapeCardText(zone.zone),
    zoneSource: escapeCardText(zone.phrase),
    facts,
    hasRows: page.rows.length > 0,
    rows: page.rows.map((p) => ({
      name: p.name
        ? escapeCardText(p.name, NAME)
        : p.email
          ? escapeEmail(p.email, NAME)
          : 'Unknown person',
      email: p.email ? escapeEmail(p.email, EMAIL) : NO,
      viewed: p.viewed ? YES : NO,
      downloaded: p.downloaded ? YES : NO,
      accesses: `${num.format(p.accesses)}×`,
      lastAccess: fmt(p.lastAccess),
    })),
    emptyText: emptyText(filter, t.people),
    moreCount,
    moreText: `…and ${plural(num, moreCount, 'more person', 'more people')}`,
    filter,
    filterText: `Filter: ${plural(num, page.total, FILTER_TEXT[filter][0], FILTER_TEXT[filter][1])}`,
    showFilterText: filter !== 'everyone',
    page: {
      page: page.page,
      pageCount: page.pageCount,
      pageSize: page.pageSize,
      total: page.total,
      hasPrev: page.hasPrev,
      hasNext: page.hasNext,
    },
    exportTitle: `Export CSV (${plural(num, t.accesses, 'row', 'rows')})`,
    actions: reportActions(
      {
        recordingId,
        hostEmail: input.hostEmail,
        tz: input.tz,
        filter,
        page: page.page,
        requesterId: input.requesterId,
      },
      page.pageCount,
    ),
    pageText: `Page ${num.format(page.page)} of ${num.format(page.pageCount)} · ${plural(num, page.total, 'person', 'people')}`,
    showPageText: page.pageCount > 1,
  };
}

/** How the filtered people are counted: [one, many]. */
const FILTER_TEXT: Record<PeopleFilter, [string, string]> = {
  everyone: ['person', 'people'],
  viewed: ['person who viewed it', 'people who viewed it'],
  downloaded: ['person who downloaded it', 'people who downloaded it'],
};

function emptyText(filter: PeopleFilter, people: number): string {
  if (people === 0) return 'Nobody has viewed or downloaded this recording yet.';
  return filter === 'downloaded'
    ? 'Nobody has downloaded this recording.'
    : 'Nobody has viewed this recording.';
}

function plural(num: Intl.NumberFormat, n: number, one: string, many: string): string {
  return `${num.format(n)} ${n === 1 ? one : many}`;
}

/**
 * The markdown text sent with the card (shown where cards are not rendered, and in
 * notifications): title, topic, ID, totals and zone. The fields of `data` are already
 * escaped (card and message escaping are the same). Stays far below 7,439 bytes.
 *
 * @example
 * await messages.create({ markdown: buildAuditSummaryMarkdown(data), attachments: [card] });
 */
export function buildAuditSummaryMarkdown(data: AuditCardData, maxBytes = 2000): string {
  const facts = data.facts.map((f) => `${f.title}: ${f.value}`).join(' · ');
  const lines = (topic: string) => [
    `**${data.title}**`,
    `Topic: ${topic}`,
    `Recording ID: ${data.recordingId}`,
    facts,
    `Times shown in ${data.zone} (${data.zoneSource}).`,
  ];
  let topic = data.topic;
  let text = lines(topic).join('  \n');
  // Topic is already capped; this guards against callers passing bigger data.
  while (Buffer.byteLength(text, 'utf8') > Math.min(maxBytes, MAX_MARKDOWN_BYTES) && topic) {
    topic = truncateText(topic, Math.floor([...topic].length / 2));
    if (topic.endsWith('\\…')) topic = topic.slice(0, -2) + '…'; // never end on a lone backslash
    text = lines(topic).join('  \n');
  }
  return text;
}

export interface HelpCommand {
  name: string;
  syntax: string;
  description: string;
  examples: string[];
}

/** The data bound to cards/help.json. */
export interface HelpCardData {
  title: string;
  intro: string;
  commands: HelpCommand[];
}

/**
 * Escapes help content for cards/help.json (syntax like `<recording>` and zone names like
 * `America/New_York` contain markdown characters).
 *
 * @example renderCard('help', buildHelpCardData({ title: 'Help', intro: '…', commands }));
 */
export function buildHelpCardData(input: HelpCardData): HelpCardData {
  return {
    title: escapeCardText(input.title),
    intro: escapeCardText(input.intro),
    commands: input.commands.map((c) => ({
      name: escapeCardText(c.name),
      syntax: escapeCardText(c.syntax),
      description: escapeCardText(c.description),
      examples: c.examples.map((e) => escapeCardText(e)),
    })),
  };
}

/** The data bound to cards/message.json. */
export interface MessageCardData {
  title: string;
  text: string;
  facts: CardFact[];
  hasFacts: boolean;
}

export interface MessageCardInput {
  title: string;
  text: string;
  facts?: CardFact[];
  /** `text` is author-written markdown (bold, links) and is not escaped. Default false. */
  trustedMarkdown?: boolean;
}

/**
 * Data for the small generic card (errors, notes). Title and facts are always escaped.
 *
 * @example
 * buildMessageCardData({ title: 'Webex error', text: 'Try again later.',
 *   facts: [{ title: 'Tracking ID', value: trackingId }] });
 */
export function buildMessageCardData(input: MessageCardInput): MessageCardData {
  const facts = (input.facts ?? []).map((f) => ({
    title: escapeCardText(f.title, { maxLength: 60 }),
    value: escapeCardText(f.value, { maxLength: 300 }),
  }));
  return {
    title: escapeCardText(input.title, { maxLength: 200 }),
    text: input.trustedMarkdown ? input.text : escapeMarkdown(input.text, { maxLength: 2000 }),
    facts,
    hasFacts: facts.length > 0,
  };
}
