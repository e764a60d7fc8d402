/**
 * The sandbox's Recording Report API, as described in Webex's webex-meeting.json:
 * `GET /recordingReport/accessDetail` and `GET /recordingReport/accessSummary`.
 * Mounted under `/v1` by the sandbox server.
 */
import express, { type Request, type Response, type Router } from 'express';
import { callerOf, hasAnyScope, parseMax, requireAuth, sendWebexError } from '../http';
import {
  ADMIN_RECORDINGS_SCOPE,
  RECORDING_READ_SCOPES,
  decodeCursor,
  encodeCursor,
  formatInZone,
  pageOf,
  parseSummaryWindow,
  resolveTimezone,
  summaryIncludes,
  canReadRecording,
  type ReportReader,
} from '../recording-report';
import type { SandboxAccessRecord, SandboxRecording, SandboxState } from '../state';

/** Spec: `max` defaults to 10 and must be within 1..100 on both endpoints. */
export const RECORDING_REPORT_DEFAULT_MAX = 10;
export const RECORDING_REPORT_MAX_LIMIT = 100;

/** Query parameters each endpoint understands (besides our paging `cursor`). */
export const ACCESS_DETAIL_QUERY_PARAMS = ['recordingId', 'hostEmail', 'max'] as const;
export const ACCESS_SUMMARY_QUERY_PARAMS = ['max', 'from', 'to', 'hostEmail', 'siteUrl'] as const;

export interface RecordingsRouterOptions {
  /** Clock for accessSummary's window, epoch ms. Default Date.now. */
  now?: () => number;
}

/** A single-valued query parameter; `ok: false` means a 400 has already been sent. */
type Param = { ok: true; value?: string } | { ok: false };

function queryParam(req: Request, res: Response, name: string): Param {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return { ok: true };
  if (typeof raw !== 'string') {
    sendWebexError(res, 400, `${name} must be given once, as a string.`);
    return { ok: false };
  }
  return { ok: true, value: raw };
}

/** Reads the paging cursor; 400 for one we did not issue. */
function cursorOffset(req: Request, res: Response): number | undefined {
  const param = queryParam(req, res, 'cursor');
  if (!param.ok) return undefined;
  if (param.value === undefined) return 0;
  const offset = decodeCursor(param.value);
  if (offset === undefined) sendWebexError(res, 400, 'The paging cursor is invalid.');
  return offset;
}

/** Sends a page; when more remain, `Link` repeats this request's URL with the next cursor. */
function sendItems<T>(req: Request, res: Response, page: T[], max: number, next?: number): void {
  if (next !== undefined) {
    const url = new URL(`${req.protocol}://${req.get('host')}${req.originalUrl}`);
    url.searchParams.set('max', String(max));
    url.searchParams.set('cursor', encodeCursor(next));
    res.setHeader('Link', `<${url.toString()}>; rel="next"`);
  }
  res.json({ items: page });
}

/** The caller as the access rules see them; admin needs the scope and an admin person. */
function readerOf(res: Response): ReportReader {
  const { person, token } = callerOf(res);
  return {
    emails: person.emails,
    isAdmin: person.admin && hasAnyScope(token, [ADMIN_RECORDINGS_SCOPE]),
  };
}

/** 403 unless an admin: `hostEmail` is for admin on-behalf-of tokens only. */
function hostEmailAllowed(res: Response, reader: ReportReader, hostEmail?: string): boolean {
  if (hostEmail === undefined || reader.isAdmin) return true;
  sendWebexError(
    res,
    403,
    `hostEmail requires the ${ADMIN_RECORDINGS_SCOPE} scope held by an administrator.`,
  );
  return false;
}

function isSorted(records: readonly SandboxAccessRecord[]): boolean {
  for (let i = 1; i < records.length; i++) {
    if (records[i - 1].accessTime > records[i].accessTime) return false;
  }
  return true;
}

/** Sorted views of record lists, so paging a big report does not re-check the order per page. */
const inOrder = new WeakMap<
  readonly SandboxAccessRecord[],
  { length: number; sorted: readonly SandboxAccessRecord[] }
>();

/** Records oldest first; computed once per list (again only if records were added). */
function accessRecordsInOrder(recording: SandboxRecording): readonly SandboxAccessRecord[] {
  const records = recording.accessRecords;
  const known = inOrder.get(records);
  if (known && known.length === records.length) return known.sorted;
  const sorted = isSorted(records)
    ? records
    : [...records].sort((a, b) => Date.parse(a.accessTime) - Date.parse(b.accessTime));
  inOrder.set(records, { length: records.length, sorted });
  return sorted;
}

/**
 * Routes for `/recordingReport/accessDetail` and `/recordingReport/accessSummary`.
 * @example app.use('/v1', recordingsRouter(state));
 */
export function recordingsRouter(
  state: SandboxState,
  options: RecordingsRouterOptions = {},
): Router {
  const now = options.now ?? Date.now;
  const router = express.Router();
  const auth = requireAuth(state, RECORDING_READ_SCOPES);

  router.get('/recordingReport/accessDetail', auth, (req, res) => {
    const recordingId = queryParam(req, res, 'recordingId');
    if (!recordingId.ok) return;
    if (recordingId.value === undefined) {
      sendWebexError(res, 400, 'recordingId is required.');
      return;
    }
    const hostEmail = queryParam(req, res, 'hostEmail');
    if (!hostEmail.ok) return;
    const max = parseMax(req, res, RECORDING_REPORT_DEFAULT_MAX, RECORDING_REPORT_MAX_LIMIT);
    if (max === undefined) return;
    const offset = cursorOffset(req, res);
    if (offset === undefined) return;
    const reader = readerOf(res);
    if (!hostEmailAllowed(res, reader, hostEmail.value)) return;

    const recording = state.recordings.get(recordingId.value);
    if (!recording) {
      sendWebexError(res, 404, 'The requested recording could not be found.');
      return;
    }
    if (!canReadRecording(recording, reader, hostEmail.value)) {
      sendWebexError(res, 403, 'The recording is not hosted by or shared with the caller.');
      return;
    }

    const zone = resolveTimezone(req.get('timezone'));
    const { page, nextOffset } = pageOf(accessRecordsInOrder(recording), offset, max);
    const items = page.map((record) => ({
      recordingId: recording.id,
      topic: recording.topic,
      name: record.name,
      email: record.email,
      accessTime: formatInZone(record.accessTime, zone),
      viewed: record.viewed,
      downloaded: record.downloaded,
    }));
    sendItems(req, res, items, max, nextOffset);
  });

  router.get('/recordingReport/accessSummary', auth, (req, res) => {
    const params: Record<string, string | undefined> = {};
    for (const name of ['from', 'to', 'hostEmail', 'siteUrl']) {
      const param = queryParam(req, res, name);
      if (!param.ok) return;
      params[name] = param.value;
    }
    const max = parseMax(req, res, RECORDING_REPORT_DEFAULT_MAX, RECORDING_REPORT_MAX_LIMIT);
    if (max === undefined) return;
    const offset = cursorOffset(req, res);
    if (offset === undefined) return;
    const reader = readerOf(res);
    if (!hostEmailAllowed(res, reader, params.hostEmail)) return;

    const zone = resolveTimezone(req.get('timezone'));
    const window = parseSummaryWindow({ from: params.from, to: params.to }, now(), zone);
    if (!window.ok) {
      sendWebexError(res, 400, window.message);
      return;
    }

    const siteUrl = params.siteUrl?.toLowerCase();
    // Which summaries fall in the window: the spec words `from`/`to` ("for recording audit
    // report summaries to return") as it does for the recordings list, and sorts by when the
    // recordings were made, so a recording is in when it was made in the window; its counts
    // are its totals (the spec's viewCount: "the number of times the recording was viewed").
    const recordings = [...state.recordings.values()]
      .filter((recording) => {
        const recordedMs = Date.parse(recording.timeRecorded);
        return (
          recordedMs >= window.fromMs &&
          recordedMs < window.toMs &&
          (siteUrl === undefined || recording.siteUrl.toLowerCase() === siteUrl) &&
          summaryIncludes(recording, reader, params.hostEmail)
        );
      })
      // Spec: "sorted in descending order by the date and time that the recordings were created".
      .sort((a, b) => Date.parse(b.timeRecorded) - Date.parse(a.timeRecorded));

    const { page, nextOffset } = pageOf(recordings, offset, max);
    const items = page.map((recording) => ({
      recordingId: recording.id,
      topic: recording.topic,
      timeRecorded: formatInZone(recording.timeRecorded, zone),
      siteUrl: recording.siteUrl,
      hostEmail: recording.hostEmail,
      viewCount: recording.accessRecords.filter((r) => r.viewed).length,
      downloadCount: recording.accessRecords.filter((r) => r.downloaded).length,
    }));
    sendItems(req, res, items, max, nextOffset);
  });

  return router;
}
