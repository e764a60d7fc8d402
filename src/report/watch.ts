/**
 * The pure rules of a watch (`watch <recording> …`): how an access is recognised again from
 * one poll to the next, which new accesses a watch reports, when many at once become one
 * summary, and the card data of its messages. No I/O and no clock: times are handed in.
 */
import { createHash } from 'node:crypto';
import { parseAccessTime, personKey } from './aggregate';
import { watchAuditData } from './card-actions';
import { escapeCardText, escapeEmail, escapeMarkdown } from './escape';
import type { Translator } from './i18n';
import { formatAccessTime } from './time';
import type { AccessRecord } from './types';

/** What a watch reports: every access, downloads only, or people outside the organisation. */
export const WATCH_FILTERS = ['all', 'downloads', 'external'] as const;
export type WatchFilter = (typeof WATCH_FILTERS)[number];

/** Default and longest life of a watch, in days. */
export const WATCH_DEFAULT_DAYS = 30;
export const WATCH_MAX_DAYS = 365;

/** More new matching accesses than this in one poll (e.g. after downtime) come as one summary. */
export const WATCH_ALERTS_AT_ONCE = 5;
/** How many accesses a summary names before "…and N more". */
export const WATCH_SUMMARY_SHOWN = 3;

export type AccessAction = 'viewed' | 'downloaded' | 'both' | 'accessed';

/** One access of a poll, with the key it is remembered by. */
export interface KeyedAccess {
  key: string;
  record: AccessRecord;
  /** Epoch ms, or null when Webex sent no readable time. */
  timeMs: number | null;
}

/**
 * What the access did.
 * @example accessAction({ viewed: false, downloaded: true }) // "downloaded"
 */
export function accessAction(record: Pick<AccessRecord, 'viewed' | 'downloaded'>): AccessAction {
  if (record.viewed && record.downloaded) return 'both';
  if (record.downloaded) return 'downloaded';
  if (record.viewed) return 'viewed';
  return 'accessed';
}

/**
 * Every access with a key that names it across polls: who (email, else name, lowercased), what
 * and when (as an instant, so the zone Webex wrote it in does not matter), and which occurrence
 * of that same triple it is. accessDetail has no ID per access, and its order and paging may
 * shift as accesses are added (Webex lists them oldest first, and a late one can land in the
 * middle), so neither a position nor a newest-time mark is exact; a set of keys is. The
 * occurrence number keeps two identical accesses apart: a multiset, not a set.
 * @example keyAccesses(records).map((a) => a.key) // ['3q2-…', …] (22 characters each)
 */
export function keyAccesses(records: readonly AccessRecord[]): KeyedAccess[] {
  const occurrences = new Map<string, number>();
  return records.map((record) => {
    const timeMs = parseAccessTime(record.accessTime);
    const identity = [
      personKey(record.email, record.name),
      accessAction(record),
      timeMs ?? `raw:${record.accessTime.trim()}`,
    ].join('\n');
    const occurrence = occurrences.get(identity) ?? 0;
    occurrences.set(identity, occurrence + 1);
    const key = createHash('sha256')
      .update(`${identity}\n${occurrence}`)
      .digest('base64url')
      .slice(0, 22);
    return { key, record, timeMs };
  });
}

/**
 * Whether a watch with `filter` reports the access; `external` tells organisation membership
 * by email (see organisation.ts).
 * @example matchesWatch(record, 'downloads', () => false) // record.downloaded
 */
export function matchesWatch(
  record: AccessRecord,
  filter: WatchFilter,
  external: (email: string) => boolean,
): boolean {
  if (filter === 'downloads') return record.downloaded;
  if (filter === 'external') return external(record.email);
  return true;
}

/** Oldest first; accesses without a time last, in the order Webex gave them. */
export function byAccessTime(a: KeyedAccess, b: KeyedAccess): number {
  if (a.timeMs === null || b.timeMs === null)
    return (a.timeMs === null ? 1 : 0) - (b.timeMs === null ? 1 : 0);
  return a.timeMs - b.timeMs;
}

/** What one poll says: nothing, one message per access, or one summary. */
export type WatchAlertPlan =
  | { kind: 'none' }
  | { kind: 'each'; accesses: KeyedAccess[] }
  | { kind: 'summary'; accesses: KeyedAccess[] };

/**
 * How to tell the watcher about `fresh` matching accesses: each on its own up to
 * `atOnce`, else one summary (a poll after downtime must not send a storm). Oldest first.
 * @example planWatchAlerts(eightNew).kind // "summary"
 */
export function planWatchAlerts(
  fresh: readonly KeyedAccess[],
  atOnce = WATCH_ALERTS_AT_ONCE,
): WatchAlertPlan {
  if (fresh.length === 0) return { kind: 'none' };
  const accesses = [...fresh].sort(byAccessTime);
  return accesses.length > atOnce ? { kind: 'summary', accesses } : { kind: 'each', accesses };
}

/** The counts of a summary. */
export function summaryCounts(
  accesses: readonly KeyedAccess[],
  external: (email: string) => boolean,
): { total: number; views: number; downloads: number; external: number } {
  return {
    total: accesses.length,
    views: accesses.filter((a) => a.record.viewed).length,
    downloads: accesses.filter((a) => a.record.downloaded).length,
    external: accesses.filter((a) => external(a.record.email)).length,
  };
}

/** What every watch message needs to know about the watch and its reader. */
export interface WatchMessageContext {
  recordingId: string;
  /** Known once Webex has told it; the recording ID stands in until then. */
  topic?: string;
  hostEmail?: string;
  /** The watcher's zone and locale. */
  zone: string;
  locale: string;
  messages: Translator;
  external: (email: string) => boolean;
  /** The watcher: only they can press the card's button. */
  requesterId: string;
  expiresAt: number;
}

/** The data of cards/watch-alert.json. */
export interface WatchCardData {
  title: string;
  text: string;
  facts: Array<{ title: string; value: string }>;
  hasFacts: boolean;
  footer: string;
  auditLabel: string;
  auditData: ReturnType<typeof watchAuditData>;
}

const NAME = { maxLength: 80 };
const TOPIC = { maxLength: 120 };

/**
 * The recording as people know it: its topic, else its ID (plain text, not escaped).
 * @example recordingLabel({ recordingId: 'abc', topic: '' }, english()) // "recording abc"
 */
export function recordingLabel(
  watch: { recordingId: string; topic?: string },
  { t }: Pick<Translator, 't'>,
): string {
  const topic = watch.topic?.trim();
  return topic ? topic : t('watch.recording.noTopic', { id: watch.recordingId });
}

function who(record: AccessRecord, { t }: Translator): string {
  const name = record.name.trim();
  const email = record.email.trim();
  if (name && email) return `${escapeCardText(name, NAME)} (${escapeEmail(email, NAME)})`;
  if (email) return escapeEmail(email, NAME);
  return name ? escapeCardText(name, NAME) : t('audit.unknownPerson');
}

function whenOf(access: KeyedAccess, ctx: WatchMessageContext): string {
  return formatAccessTime(access.timeMs, ctx.zone, ctx.locale);
}

function footerOf(ctx: WatchMessageContext): string {
  return ctx.messages.t('watch.alert.footer', {
    until: formatAccessTime(ctx.expiresAt, ctx.zone, ctx.locale),
    id: escapeMarkdown(ctx.recordingId),
  });
}

function cardBase(ctx: WatchMessageContext) {
  return {
    footer: footerOf(ctx),
    auditLabel: ctx.messages.t('watch.button.audit'),
    auditData: watchAuditData(ctx),
  };
}

/**
 * The card of one new access: who (name and email), what, when in the watcher's zone, and
 * whether they are outside the organisation; with an Audit button.
 */
export function buildWatchAlertCardData(
  access: KeyedAccess,
  ctx: WatchMessageContext,
): WatchCardData {
  const { t } = ctx.messages;
  const action = accessAction(access.record);
  const facts = [
    { title: t('watch.fact.who'), value: who(access.record, ctx.messages) },
    { title: t('watch.fact.what'), value: t(`watch.action.${action}`) },
    { title: t('watch.fact.when'), value: whenOf(access, ctx) },
    {
      title: t('watch.fact.organisation'),
      value: t(ctx.external(access.record.email) ? 'watch.org.external' : 'watch.org.internal'),
    },
  ];
  return {
    title: escapeCardText(
      t(`watch.alert.title.${action}`, { topic: recordingLabel(ctx, ctx.messages) }),
      TOPIC,
    ),
    text: '',
    facts,
    hasFacts: true,
    ...cardBase(ctx),
  };
}

/** The card of many new accesses at once: counts, the first few, and an Audit button. */
export function buildWatchSummaryCardData(
  accesses: readonly KeyedAccess[],
  ctx: WatchMessageContext,
): WatchCardData {
  const { t } = ctx.messages;
  const counts = summaryCounts(accesses, ctx.external);
  const shown = accesses.slice(0, WATCH_SUMMARY_SHOWN);
  const facts = shown.map((access) => {
    const details = [t(`watch.action.${accessAction(access.record)}`), whenOf(access, ctx)];
    if (ctx.external(access.record.email)) details.push(t('watch.external'));
    return { title: who(access.record, ctx.messages), value: details.join(' · ') };
  });
  const more = accesses.length - shown.length;
  const text = [
    t('watch.summary.text', {
      views: counts.views,
      downloads: counts.downloads,
      external: counts.external,
    }),
    ...(more > 0 ? [t('watch.summary.more', { count: more })] : []),
  ].join(' ');
  return {
    title: escapeCardText(
      t('watch.summary.title', { count: counts.total, topic: recordingLabel(ctx, ctx.messages) }),
      TOPIC,
    ),
    text,
    facts,
    hasFacts: facts.length > 0,
    ...cardBase(ctx),
  };
}

/**
 * The text of a watch card for clients that show no cards (and for notifications). Card text
 * is escaped for cards; the same escaping holds in message markdown.
 */
export function watchCardMarkdown(data: WatchCardData): string {
  const lines = [`**${data.title}**`];
  if (data.text) lines.push(data.text);
  for (const fact of data.facts) lines.push(`${fact.title}: ${fact.value}`);
  lines.push(data.footer);
  return lines.join('\n\n');
}
