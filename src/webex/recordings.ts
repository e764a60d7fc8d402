import type { WebexHttp } from './client';
import { iterateItems } from './paging';
import type { AccessRecord, AccessSummary } from './types';

export interface AccessDetailQuery {
  /** The requesting person's own OAuth access token. */
  token: string;
  recordingId: string;
  /** Only with admin scopes: read another host's recording. */
  hostEmail?: string;
  /** IANA zone for `accessTime` (sent as the `timezone` header). */
  timezone?: string;
  /** Page size, 1..100. Default 100. */
  max?: number;
  signal?: AbortSignal;
  /** Called after each page with the number of records read so far (for progress), and the page. */
  onPage?: (readSoFar: number, page: readonly AccessRecord[]) => void;
}

export interface AccessSummaryQuery {
  token: string;
  /** ISO 8601 date-time (or Date). */
  from: string | Date;
  to: string | Date;
  hostEmail?: string;
  timezone?: string;
  max?: number;
  signal?: AbortSignal;
}

/**
 * Streams the access records of a recording, one page at a time.
 *
 * @example
 * for await (const page of iterateAccessDetail(http, { token, recordingId })) render(page);
 */
export async function* iterateAccessDetail(
  http: WebexHttp,
  query: AccessDetailQuery,
): AsyncGenerator<AccessRecord[], void, undefined> {
  const pages = iterateItems(http, {
    token: query.token,
    path: '/recordingReport/accessDetail',
    params: { recordingId: query.recordingId, max: query.max ?? 100, hostEmail: query.hostEmail },
    headers: { timezone: query.timezone },
    signal: query.signal,
  });
  for await (const items of pages) yield items.map(toAccessRecord);
}

/**
 * All access records of a recording, every page, in Webex's order.
 *
 * @example
 * const records = await fetchAccessDetail(http, { token, recordingId: 'abc', timezone: 'Europe/Paris' });
 */
export async function fetchAccessDetail(
  http: WebexHttp,
  query: AccessDetailQuery,
): Promise<AccessRecord[]> {
  const all: AccessRecord[] = [];
  for await (const page of iterateAccessDetail(http, query)) {
    all.push(...page);
    query.onPage?.(all.length, page);
  }
  return all;
}

/**
 * Streams recording summaries (view and download counts) between `from` and `to`.
 *
 * @example
 * for await (const page of iterateAccessSummary(http, { token, from: '2024-01-01T00:00:00Z', to: new Date() })) …
 */
export async function* iterateAccessSummary(
  http: WebexHttp,
  query: AccessSummaryQuery,
): AsyncGenerator<AccessSummary[], void, undefined> {
  const pages = iterateItems(http, {
    token: query.token,
    path: '/recordingReport/accessSummary',
    params: {
      from: isoOf(query.from),
      to: isoOf(query.to),
      max: query.max ?? 100,
      hostEmail: query.hostEmail,
    },
    headers: { timezone: query.timezone },
    signal: query.signal,
  });
  for await (const items of pages) yield items.map(toAccessSummary);
}

/**
 * All recording summaries between `from` and `to`, every page.
 *
 * @example
 * const summaries = await fetchAccessSummary(http, { token, from: '2024-01-01T00:00:00Z', to: '2024-01-31T00:00:00Z' });
 */
export async function fetchAccessSummary(
  http: WebexHttp,
  query: AccessSummaryQuery,
): Promise<AccessSummary[]> {
  const all: AccessSummary[] = [];
  for await (const page of iterateAccessSummary(http, query)) all.push(...page);
  return all;
}

function isoOf(d: string | Date): string {
  return typeof d === 'string' ? d : d.toISOString();
}

// Webex is the source of truth, but a missing field should not crash the report: default it.
function toAccessRecord(item: unknown): AccessRecord {
  const o = (item ?? {}) as Record<string, unknown>;
  return {
    recordingId: str(o.recordingId),
    topic: str(o.topic),
    name: str(o.name),
    email: str(o.email),
    accessTime: str(o.accessTime),
    viewed: o.viewed === true,
    downloaded: o.downloaded === true,
  };
}

function toAccessSummary(item: unknown): AccessSummary {
  const o = (item ?? {}) as Record<string, unknown>;
  return {
    recordingId: str(o.recordingId),
    topic: str(o.topic),
    timeRecorded: str(o.timeRecorded),
    siteUrl: str(o.siteUrl),
    hostEmail: str(o.hostEmail),
    viewCount: num(o.viewCount),
    downloadCount: num(o.downloadCount),
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}
