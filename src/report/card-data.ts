import { externalTotals, filterPeople, pagePeople } from './aggregate';
import { reportActions } from './card-actions';
import { escapeCardText, escapeEmail, escapeMarkdown, truncateText } from './escape';
import type { Translator } from './i18n';
import { externalTest } from './organisation';
import { formatAccessTime, safeLocale, type ZoneSource } from './time';
import type { AccessReport, PeopleFilter, PersonAccess } from './types';

/**
 * People per audit card: 15 rows of long names/emails, all tagged external, plus the buttons
 * stay under 16 KB in every language (see tests).
 */
export const DEFAULT_PAGE_SIZE = 15;
/** Webex message text/markdown limit, in bytes. */
export const MAX_MARKDOWN_BYTES = 7439;

/**
 * Display limits: grapheme clusters, and bytes inside the card JSON. The byte limits make
 * a page of worst-case names/emails (long, non-ASCII, full of markdown) fit in 16 KB.
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
  /** Shown on its own full-width line under the name, when there is one. */
  email: string;
  hasEmail: boolean;
  /** "3 views, 1 download", beside the name. */
  counts: string;
  /** "Last access: Jul 13, 2020, 10:05 AM PDT", on one line under the email. */
  lastAccess: string;
  /** Outside the organisation, by the email's domain: the "External" tag beside the name. */
  external: boolean;
}

/** A filter button of the card: the current filter's is styled positive. */
export interface FilterButton {
  title: string;
  style: 'positive' | 'default';
  data: ReturnType<typeof reportActions>['filters'][PeopleFilter];
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
  /** Everyone · Viewed · Downloaded · External, each applying at once; shown when anybody accessed it. */
  filterButtons: FilterButton[];
  /** The same buttons two to a row, so every row fits a 400 px phone in every language. */
  filterRows: { buttons: FilterButton[] }[];
  showFilters: boolean;
  /** "Filter: 12 people who downloaded it"; shown with the filter buttons. */
  filterText: string;
  showFilterText: boolean;
  /** Access records of the filtered people: the rows of the CSV export. */
  exportRows: number;
  /** "Export CSV (2,500 rows)": the file has one row per access of the people shown. */
  exportTitle: string;
  /** What each button of the card sends back (see card-actions.ts). */
  actions: ReturnType<typeof reportActions>;
  /** "Page 2 of 3 · 60 people"; shown when there is more than one page. */
  pageText: string;
  showPageText: boolean;
  /** The card's fixed words, in the person's language. */
  labels: AuditCardLabels;
}

/** The fixed words of cards/audit-report.json (lines with a value in them come whole). */
export interface AuditCardLabels {
  /** "Recording ID: 4f91…" */
  recordingIdLine: string;
  /** "Shown in Europe/Berlin (from your settings)" */
  zoneLine: string;
  show: string;
  previous: string;
  next: string;
  refresh: string;
  watch: string;
  /** The tag beside an external person's name. */
  external: string;
  /** Lines of the markdown summary sent with the card. */
  topicLine: string;
  zoneSentence: string;
}

export interface AuditCardInput {
  report: AccessReport;
  /**
   * The zone times are shown in (from resolveZone); with `source`, the phrase saying where it
   * came from is in the person's language, else `phrase` is used as given.
   */
  zone: { zone: string; phrase: string; source?: ZoneSource };
  locale: string;
  /** The person's language (see src/locales.ts translatorFor). */
  messages: Translator;
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
  /**
   * Who is inside: ORG_EMAIL_DOMAINS, or when empty the requester's own email domain (see
   * organisation.ts). People are judged by their email alone.
   */
  organisation: { domains: readonly string[]; requesterEmail: string };
}

const NO = '—';
const FILTERS: readonly PeopleFilter[] = ['everyone', 'viewed', 'downloaded', 'external'];
const FILTERS_PER_ROW = 2;

/**
 * Builds the plain (escaped) data for cards/audit-report.json.
 *
 * @example
 * const data = buildAuditCardData({ report, zone: resolved, locale: 'en-US' });
 * const card = renderCard('audit-report', data);
 */
export function buildAuditCardData(input: AuditCardInput): AuditCardData {
  const { report, zone, filter = 'everyone' } = input;
  const { t } = input.messages;
  const locale = safeLocale(input.locale);
  const fmt = (time: number | null) =>
    escapeCardText(time === null ? NO : formatAccessTime(time, zone.zone, locale));
  const totals = report.totals;
  const isExternal = externalTest(input.organisation.domains, input.organisation.requesterEmail);
  const outside = externalTotals(report, isExternal);

  const people = filterPeople(report, filter, isExternal);
  const page = pagePeople(people, input.page ?? 1, input.pageSize ?? DEFAULT_PAGE_SIZE);
  const moreCount = page.total - (page.offset + page.rows.length);

  const facts: CardFact[] = [
    { title: t('audit.fact.people'), value: t('count', { count: totals.people }) },
    {
      title: t('audit.fact.viewedBy'),
      value: t('audit.fact.viewedByValue', { people: totals.viewers, views: totals.views }),
    },
    {
      title: t('audit.fact.downloadedBy'),
      value: t('audit.fact.downloadedByValue', {
        people: totals.downloaders,
        downloads: totals.downloads,
      }),
    },
    {
      // Always shown: "0 viewed" says the report was checked, not that the check is missing.
      title: t('audit.fact.external'),
      value: t('audit.fact.externalValue', {
        viewers: outside.viewers,
        downloaders: outside.downloaders,
      }),
    },
    { title: t('audit.fact.accesses'), value: t('count', { count: totals.accesses }) },
    { title: t('audit.fact.firstAccess'), value: fmt(totals.firstAccess) },
    { title: t('audit.fact.lastAccess'), value: fmt(totals.lastAccess) },
  ];
  if (totals.invalidTimes > 0) {
    facts.push({
      title: t('audit.fact.invalidTimes'),
      value: t('audit.fact.invalidTimesValue', { count: totals.invalidTimes }),
    });
  }

  const topic = input.topic ?? report.topic;
  const recordingId = input.recordingId ?? report.recordingId;
  const escapedId = escapeCardText(recordingId, ID) || NO;
  const escapedZone = escapeCardText(zone.zone);
  const zoneSource = escapeCardText(zone.source ? t(`zone.from.${zone.source}`) : zone.phrase);
  // Every record belongs to one person, so the people shown hold exactly the exported rows.
  const exportRows = people.reduce((sum, p) => sum + p.accesses, 0);
  const actions = reportActions(
    {
      recordingId,
      hostEmail: input.hostEmail,
      tz: input.tz,
      filter,
      page: page.page,
      requesterId: input.requesterId,
    },
    page.pageCount,
  );
  const filterButtons: FilterButton[] = FILTERS.map((f) => ({
    title: t(`audit.filterButton.${f}`),
    style: f === filter ? 'positive' : 'default',
    data: actions.filters[f],
  }));
  return {
    title: t('audit.title'),
    topic: topic.trim() ? escapeCardText(topic, TOPIC) : t('audit.noTopic'),
    recordingId: escapedId,
    zone: escapedZone,
    zoneSource,
    facts,
    hasRows: page.rows.length > 0,
    rows: page.rows.map((p) => ({
      name: p.name
        ? escapeCardText(p.name, NAME)
        : p.email
          ? escapeEmail(p.email, NAME)
          : t('audit.unknownPerson'),
      email: p.email ? escapeEmail(p.email, EMAIL) : '',
      hasEmail: Boolean(p.email),
      counts: activityCounts(t, p),
      lastAccess: t('audit.lastAccessLine', { time: fmt(p.lastAccess) }),
      external: isExternal(p.email),
    })),
    emptyText: emptyText(t, filter, totals.people),
    moreCount,
    moreText: t('audit.more', { count: moreCount }),
    filter,
    filterButtons,
    filterRows: Array.from(
      { length: Math.ceil(filterButtons.length / FILTERS_PER_ROW) },
      (_, i) => ({
        buttons: filterButtons.slice(i * FILTERS_PER_ROW, (i + 1) * FILTERS_PER_ROW),
      }),
    ),
    showFilters: totals.people > 0,
    filterText: t(`audit.filterText.${filter}`, { count: page.total }),
    // Says in words which filter the positive button stands for.
    showFilterText: totals.people > 0,
    page: {
      page: page.page,
      pageCount: page.pageCount,
      pageSize: page.pageSize,
      total: page.total,
      hasPrev: page.hasPrev,
      hasNext: page.hasNext,
    },
    exportRows,
    exportTitle: t('audit.export', { count: exportRows }),
    actions,
    pageText: t('audit.page', { page: page.page, pages: page.pageCount, count: page.total }),
    showPageText: page.pageCount > 1,
    labels: {
      recordingIdLine: t('audit.recordingIdLine', { id: escapedId }),
      zoneLine: t('audit.zoneLine', { zone: escapedZone, source: zoneSource }),
      show: t('audit.filter.label'),
      previous: t('audit.button.previous'),
      next: t('audit.button.next'),
      refresh: t('audit.button.refresh'),
      watch: t('audit.button.watch'),
      external: t('audit.externalTag'),
      topicLine: t('audit.summary.topic', { topic: '{topic}' }),
      zoneSentence: t('audit.summary.zone', { zone: escapedZone, source: zoneSource }),
    },
  };
}

/**
 * "3 views, 1 download", or the plain count of accesses for records that are neither.
 * @example activityCounts(english().t, { views: 3, downloads: 1, accesses: 4 }) // "3 views, 1 download"
 */
export function activityCounts(
  t: Translator['t'],
  person: Pick<PersonAccess, 'views' | 'downloads' | 'accesses'>,
): string {
  const parts: string[] = [];
  if (person.views > 0) parts.push(t('audit.views', { count: person.views }));
  if (person.downloads > 0) parts.push(t('audit.downloads', { count: person.downloads }));
  if (parts.length === 0) return t('audit.accessCount', { count: person.accesses });
  return parts.join(t('audit.listSeparator'));
}

function emptyText(t: Translator['t'], filter: PeopleFilter, people: number): string {
  if (people === 0) return t('audit.empty.nobody');
  if (filter === 'external') return t('audit.empty.noExternal');
  return filter === 'downloaded' ? t('audit.empty.noDownloads') : t('audit.empty.noViews');
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
    data.labels.topicLine.replace('{topic}', () => topic),
    data.labels.recordingIdLine,
    facts,
    data.labels.zoneSentence,
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
