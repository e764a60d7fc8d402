/**
 * One item of `GET /v1/recordingReport/accessDetail`: one access (view or download) of a
 * recording by one person. The report is built from exactly what the API returns; the
 * Webex client (src/webex/) returns this type, so the dependency points at the report.
 */
export interface AccessRecord {
  recordingId: string;
  topic: string;
  name: string;
  email: string;
  /** ISO 8601, in the zone asked for with the `timezone` header. */
  accessTime: string;
  viewed: boolean;
  downloaded: boolean;
}

/**
 * Everything one person did with the recording. Times are epoch milliseconds (UTC instants),
 * so the report is plain data; localise with `formatAccessTime`. `null` means no parsable time.
 */
export interface PersonAccess {
  /** Grouping key: lowercased email, or `name:<lowercased name>` when the email is empty. */
  key: string;
  /** Most recent non-empty name (may be empty when the API never gave one). */
  name: string;
  /** First non-empty email seen, as the API spelled it (may be empty). */
  email: string;
  viewed: boolean;
  downloaded: boolean;
  /** This person's records with `viewed: true` / `downloaded: true`. */
  views: number;
  downloads: number;
  accesses: number;
  firstAccess: number | null;
  lastAccess: number | null;
}

export interface AccessTotals {
  people: number;
  /** Records with `viewed: true`. */
  views: number;
  /** Records with `downloaded: true`. */
  downloads: number;
  /** All records. */
  accesses: number;
  /** People who viewed at least once. */
  viewers: number;
  /** People who downloaded at least once. */
  downloaders: number;
  firstAccess: number | null;
  lastAccess: number | null;
  /** Records whose `accessTime` could not be parsed (counted, but left out of first/last). */
  invalidTimes: number;
}

export interface AccessReport {
  /** From the records (first non-empty); empty when there are no records. */
  recordingId: string;
  topic: string;
  /** Most recent last access first; people without a valid time last; ties by name. */
  people: PersonAccess[];
  totals: AccessTotals;
}

export type PeopleFilter = 'everyone' | 'viewed' | 'downloaded' | 'external';

/** Whether an email is outside the organisation (see organisation.ts externalTest). */
export type ExternalTest = (email: string) => boolean;

export interface PeoplePage {
  rows: PersonAccess[];
  /** 1-based, clamped to 1..pageCount. */
  page: number;
  pageCount: number;
  pageSize: number;
  /** People in the whole (filtered) list. */
  total: number;
  /** Index in the whole list of `rows[0]`. */
  offset: number;
  hasPrev: boolean;
  hasNext: boolean;
}
