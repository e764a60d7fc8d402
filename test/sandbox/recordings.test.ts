/**
 * The sandbox's Recording Report routes and recordings seed, on a minimal Express app (the
 * full sandbox server is not needed to test them).
 */
import {
  decodeCursor,
  encodeCursor,
  formatInZone,
  pageOf,
  parseSummaryWindow,
  resolveTimezone,
} from '../../src/sandbox/recording-report';
import { recordingsRouter } from '../../src/sandbox/routes/recordings';
import {
  HOSTILE_VIEWER_NAMES,
  SEED_RECORDING_COUNTS,
  SEED_RECORDING_IDS,
  addRecording,
  generateAccessRecords,
  seedRecordings,
} from '../../src/sandbox/seed-recordings';
import { SandboxState } from '../../src/sandbox/state';
import { addSandboxPerson, serveRouters, type MiniApp } from './mini-app';

const NOW = Date.parse('2024-06-15T12:34:56Z');
const DAY = 86_400_000;

interface Person {
  id: string;
  token: string;
}

function addPerson(
  state: SandboxState,
  email: string,
  displayName: string,
  opts: { admin?: boolean; scopes?: string[]; timezone?: string } = {},
): Person {
  const id = addSandboxPerson(state, email, displayName, opts);
  const token = `token-${email}-${state.tokens.size}`;
  state.tokens.set(token, {
    token,
    personId: id,
    scopes: opts.scopes ?? ['spark:all'],
    kind: 'personal',
  });
  return { id, token };
}

/** A token for an existing person with other scopes. */
function addToken(
  state: SandboxState,
  person: Person,
  scopes: string[],
  expiresAt?: number,
): string {
  const token = `extra-${state.tokens.size}`;
  state.tokens.set(token, { token, personId: person.id, scopes, kind: 'oauth', expiresAt });
  return token;
}

let app: MiniApp;
let base: string;
let state: SandboxState;
let host: Person;
let admin: Person;
let colleague: Person;
let otherHost: Person;

beforeAll(async () => {
  state = new SandboxState();
  host = addPerson(state, 'host@example.com', 'Hana Host', { timezone: 'America/Los_Angeles' });
  admin = addPerson(state, 'admin@example.com', 'Ada Admin', {
    admin: true,
    timezone: 'Europe/Berlin',
  });
  colleague = addPerson(state, 'colleague@example.com', 'Cole League');
  otherHost = addPerson(state, 'other.host@example.com', 'Otto Other');
  seedRecordings(state, { now: NOW });

  app = await serveRouters(recordingsRouter(state, { now: () => NOW }));
  base = app.base;
});

afterAll(() => app.close());

async function get(
  path: string,
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; link: string | null }> {
  const url = path.startsWith('http') ? path : `${base}${path}`;
  const res = await fetch(url, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    link: res.headers.get('link'),
  };
}

const detail = (query: string) => `/recordingReport/accessDetail?${query}`;
const summary = (query = '') => `/recordingReport/accessSummary?${query}`;

function items(body: Record<string, unknown>): Array<Record<string, unknown>> {
  return body.items as Array<Record<string, unknown>>;
}

function nextLink(link: string | null): string | undefined {
  return link ? /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
}

function expectWebexError(body: Record<string, unknown>): void {
  expect(typeof body.message).toBe('string');
  expect(body.errors).toEqual([{ description: body.message }]);
  expect(typeof body.trackingId).toBe('string');
}

describe('generateAccessRecords', () => {
  const range = { fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 2, 1) };

  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateAccessRecords(250, { ...range, seed: 'bench' });
    expect(generateAccessRecords(250, { ...range, seed: 'bench' })).toEqual(a);
    expect(generateAccessRecords(250, { ...range, seed: 'other' })).not.toEqual(a);
  });

  it('makes sorted records inside the range, with every distinct person and repeats', () => {
    const records = generateAccessRecords(10_000, { ...range, seed: 3, distinctPeople: 1200 });
    expect(records).toHaveLength(10_000);
    expect(new Set(records.map((r) => r.email)).size).toBe(1200);
    // Plain checks in the loop: 40,000 expect() calls would make this test slow.
    const unsorted = records.filter((r, i) => i > 0 && records[i - 1].accessTime > r.accessTime);
    const outside = records.filter((r) => {
      const ms = Date.parse(r.accessTime);
      return ms < range.fromMs || ms >= range.toMs;
    });
    const malformed = records.filter(
      (r) => !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.accessTime) || !(r.viewed || r.downloaded),
    );
    expect({ unsorted, outside, malformed }).toEqual({ unsorted: [], outside: [], malformed: [] });
  });

  it('rejects a bad count or range', () => {
    expect(() => generateAccessRecords(-1, range)).toThrow(RangeError);
    expect(() => generateAccessRecords(1, { fromMs: 5, toMs: 5 })).toThrow(RangeError);
  });
});

describe('seedRecordings', () => {
  it('is deterministic for a clock and uses 32-hex IDs', () => {
    const a = new SandboxState();
    const b = new SandboxState();
    seedRecordings(a, { now: NOW });
    seedRecordings(b, { now: NOW });
    expect([...a.recordings.values()]).toEqual([...b.recordings.values()]);
    for (const id of Object.values(SEED_RECORDING_IDS)) {
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(a.recordings.has(id)).toBe(true);
    }
    expect(a.recordings.size).toBe(6);
  });

  it('keeps recordings in the last 60 days with accesses after recording and before now', () => {
    for (const rec of state.recordings.values()) {
      expect(rec.accessRecords).toHaveLength(
        SEED_RECORDING_COUNTS[
          (Object.keys(SEED_RECORDING_IDS) as Array<keyof typeof SEED_RECORDING_IDS>).find(
            (k) => SEED_RECORDING_IDS[k] === rec.id,
          ) as keyof typeof SEED_RECORDING_COUNTS
        ],
      );
      if (rec.id === SEED_RECORDING_IDS.example) continue;
      const recorded = Date.parse(rec.timeRecorded);
      expect(recorded).toBeGreaterThan(NOW - 60 * DAY);
      for (const r of rec.accessRecords) {
        expect(Date.parse(r.accessTime)).toBeGreaterThan(recorded);
        expect(Date.parse(r.accessTime)).toBeLessThan(NOW);
      }
    }
  });

  it('seeds "Weekly sync" with repeat and hostile viewers, "All-hands Q3" with ~300 people', () => {
    const weekly = state.recordings.get(SEED_RECORDING_IDS.weekly)!;
    const names = weekly.accessRecords.map((r) => r.name);
    for (const hostile of Object.values(HOSTILE_VIEWER_NAMES)) expect(names).toContain(hostile);
    expect(new Set(names).size).toBeLessThan(names.length);

    const allHands = state.recordings.get(SEED_RECORDING_IDS.allHands)!;
    expect(new Set(allHands.accessRecords.map((r) => r.email)).size).toBe(300);
    const kinds = new Set(allHands.accessRecords.map((r) => `${r.viewed}/${r.downloaded}`));
    expect(kinds).toEqual(new Set(['true/false', 'false/true', 'true/true']));
    const times = allHands.accessRecords.map((r) => Date.parse(r.accessTime));
    expect(times[times.length - 1] - times[0]).toBeGreaterThan(50 * DAY);

    const shared = state.recordings.get(SEED_RECORDING_IDS.shared)!;
    expect(shared.sharedWith).toEqual(['host@example.com']);
    expect(state.recordings.get(SEED_RECORDING_IDS.confidential)!.hostEmail).toBe(
      'other.host@example.com',
    );
  });

  it('addRecording derives a stable ID and replaces on re-add', () => {
    const s = new SandboxState();
    const one = addRecording(s, {
      topic: 'Bench',
      hostEmail: 'host@example.com',
      count: 250,
      seed: 9,
      now: NOW,
    });
    const two = addRecording(s, {
      topic: 'Bench',
      hostEmail: 'host@example.com',
      count: 250,
      seed: 9,
      now: NOW,
    });
    expect(two).toEqual(one);
    expect(s.recordings.size).toBe(1);
    expect(one.id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('pure report rules', () => {
  it('resolves and applies time zones', () => {
    expect(resolveTimezone(undefined)).toBe('UTC');
    expect(resolveTimezone('Not/AZone')).toBe('UTC');
    expect(resolveTimezone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(formatInZone('2020-07-13T17:05:35Z', 'UTC')).toBe('2020-07-13T17:05:35Z');
    expect(formatInZone('2020-07-13T17:05:35Z', 'Asia/Kolkata')).toBe('2020-07-13T22:35:35+05:30');
  });

  it('round-trips cursors and rejects foreign ones', () => {
    expect(decodeCursor(encodeCursor(300))).toBe(300);
    expect(decodeCursor('300')).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"v":1,"o":-1}').toString('base64url'))).toBeUndefined();
  });

  it('pages', () => {
    expect(pageOf([1, 2, 3], 0, 2)).toEqual({ page: [1, 2], nextOffset: 2 });
    expect(pageOf([1, 2, 3], 2, 2)).toEqual({ page: [3] });
  });

  it('applies the accessSummary window rules', () => {
    expect(parseSummaryWindow({}, NOW)).toEqual({ ok: true, fromMs: NOW - 7 * DAY, toMs: NOW });
    const to = '2024-06-10T00:00:00Z';
    expect(parseSummaryWindow({ to }, NOW)).toEqual({
      ok: true,
      fromMs: Date.parse(to) - 7 * DAY,
      toMs: Date.parse(to),
    });
    const from = '2024-06-01T00:00:00+02:00';
    expect(parseSummaryWindow({ from }, NOW)).toEqual({
      ok: true,
      fromMs: Date.parse(from),
      toMs: Date.parse(from) + 7 * DAY,
    });
    // No offset: read in the request's zone.
    expect(parseSummaryWindow({ from: '2024-06-01T00:00:00' }, NOW, 'Asia/Kolkata')).toMatchObject({
      fromMs: Date.parse('2024-06-01T00:00:00+05:30'),
    });
    expect(parseSummaryWindow({ from: 'yesterday' }, NOW)).toMatchObject({ ok: false });
    expect(
      parseSummaryWindow({ from: '2024-06-10T00:00:00Z', to: '2024-06-01T00:00:00Z' }, NOW),
    ).toEqual({
      ok: false,
      message: '`from` cannot be after `to`.',
    });
    expect(
      parseSummaryWindow({ from: '2024-01-01T00:00:00Z', to: '2024-06-01T00:00:00Z' }, NOW),
    ).toEqual({
      ok: false,
      message: 'The interval between `to` and `from` cannot exceed 90 days.',
    });
    expect(
      parseSummaryWindow({ from: '2023-06-01T00:00:00Z', to: '2023-06-05T00:00:00Z' }, NOW),
    ).toEqual({
      ok: false,
      message: 'The interval between the current time and `from` cannot exceed 365 days.',
    });
  });
});

describe('GET /recordingReport/accessDetail', () => {
  it("returns the spec's example exactly", async () => {
    const res = await get(detail(`recordingId=${SEED_RECORDING_IDS.example}`), host.token);
    expect(res.status).toBe(200);
    expect(res.link).toBeNull();
    expect(res.body).toEqual({
      items: [
        {
          recordingId: '4f914b1dfe3c4d11a61730f18c0f5387',
          topic: 'Example Topic',
          name: 'John Andersen',
          email: 'john.andersen@example.com',
          accessTime: '2020-07-13T17:05:35Z',
          viewed: true,
          downloaded: false,
        },
        {
          recordingId: '4f914b1dfe3c4d11a61730f18c0f5387',
          topic: 'Example Topic',
          name: 'Brenda Song',
          email: 'brenda.song@example.com',
          accessTime: '2020-07-18T19:05:35Z',
          viewed: false,
          downloaded: true,
        },
        {
          recordingId: '4f914b1dfe3c4d11a61730f18c0f5387',
          topic: 'Example Topic',
          name: 'Joe Doe',
          email: 'joeDoe@example.com',
          accessTime: '2020-08-18T19:08:33Z',
          viewed: true,
          downloaded: true,
        },
      ],
    });
  });

  it('pages 2,500 records with max=100 by following Link to the end', async () => {
    let url: string | undefined =
      `${base}${detail(`recordingId=${SEED_RECORDING_IDS.allHands}&max=100`)}`;
    const all: Array<Record<string, unknown>> = [];
    let pages = 0;
    while (url) {
      const res = await get(url, host.token);
      expect(res.status).toBe(200);
      expect(items(res.body).length).toBeLessThanOrEqual(100);
      all.push(...items(res.body));
      pages++;
      url = nextLink(res.link);
    }
    expect(pages).toBe(25);
    expect(all).toHaveLength(2500);
    const times = all.map((i) => Date.parse(i.accessTime as string));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const stored = state.recordings.get(SEED_RECORDING_IDS.allHands)!.accessRecords;
    expect(all.map((i) => i.email)).toEqual(stored.map((r) => r.email));
  });

  it('defaults max to 10 and keeps the query (and timezone) on the next link', async () => {
    const res = await get(detail(`recordingId=${SEED_RECORDING_IDS.weekly}`), host.token);
    expect(items(res.body)).toHaveLength(10);
    const next = nextLink(res.link)!;
    expect(new URL(next).pathname).toBe('/v1/recordingReport/accessDetail');
    expect(new URL(next).searchParams.get('recordingId')).toBe(SEED_RECORDING_IDS.weekly);
    const page2 = await get(next, host.token);
    expect(items(page2.body)).toHaveLength(10);
    expect(items(page2.body)[0]).not.toEqual(items(res.body)[0]);
  });

  it.each(['0', '101', 'abc', '-1', '1.5', ''])('rejects max=%j with 400', async (max) => {
    const res = await get(
      detail(`recordingId=${SEED_RECORDING_IDS.example}&max=${max}`),
      host.token,
    );
    expect(res.status).toBe(400);
    expectWebexError(res.body);
  });

  it('rejects a cursor it did not issue', async () => {
    const res = await get(
      detail(`recordingId=${SEED_RECORDING_IDS.example}&cursor=10`),
      host.token,
    );
    expect(res.status).toBe(400);
  });

  it('applies the timezone header to accessTime', async () => {
    const q = detail(`recordingId=${SEED_RECORDING_IDS.example}`);
    const la = await get(q, host.token, { timezone: 'America/Los_Angeles' });
    expect(items(la.body).map((i) => i.accessTime)).toEqual([
      '2020-07-13T10:05:35-07:00',
      '2020-07-18T12:05:35-07:00',
      '2020-08-18T12:08:33-07:00',
    ]);
    const berlin = await get(q, host.token, { timezone: 'Europe/Berlin' });
    expect(items(berlin.body)[0].accessTime).toBe('2020-07-13T19:05:35+02:00');
    const bogus = await get(q, host.token, { timezone: 'Mars/Olympus_Mons' });
    expect(bogus.status).toBe(200);
    expect(items(bogus.body)[0].accessTime).toBe('2020-07-13T17:05:35Z');
  });

  it('400 without recordingId, 404 for an unknown one', async () => {
    const missing = await get(detail(''), host.token);
    expect(missing.status).toBe(400);
    expectWebexError(missing.body);
    const unknown = await get(detail('recordingId=00000000000000000000000000000000'), host.token);
    expect(unknown.status).toBe(404);
    expectWebexError(unknown.body);
  });

  it('401 without a valid token; 403 without a recordings scope', async () => {
    const q = detail(`recordingId=${SEED_RECORDING_IDS.example}`);
    expect((await get(q, undefined)).status).toBe(401);
    expect((await get(q, 'nope')).status).toBe(401);
    expect((await get(q, addToken(state, host, ['meeting:recordings_read'], NOW - 1))).status).toBe(
      401,
    );
    const noScope = await get(q, addToken(state, host, ['spark:people_read']));
    expect(noScope.status).toBe(403);
    expectWebexError(noScope.body);
    expect((await get(q, addToken(state, host, ['meeting:recordings_read']))).status).toBe(200);
  });

  it('reads own and shared recordings; 403 for recordings not shared with the caller', async () => {
    expect((await get(detail(`recordingId=${SEED_RECORDING_IDS.shared}`), host.token)).status).toBe(
      200,
    );
    expect(
      (await get(detail(`recordingId=${SEED_RECORDING_IDS.board}`), otherHost.token)).status,
    ).toBe(200);
    const confidential = await get(
      detail(`recordingId=${SEED_RECORDING_IDS.confidential}`),
      host.token,
    );
    expect(confidential.status).toBe(403);
    expectWebexError(confidential.body);
    expect(
      (await get(detail(`recordingId=${SEED_RECORDING_IDS.weekly}`), colleague.token)).status,
    ).toBe(403);
  });

  it('hostEmail needs the admin scope held by an admin', async () => {
    const q = detail(`recordingId=${SEED_RECORDING_IDS.board}&hostEmail=other.host@example.com`);
    const nonAdmin = await get(q, host.token);
    expect(nonAdmin.status).toBe(403);
    expectWebexError(nonAdmin.body);
    // The admin scope on a non-admin person is not enough.
    expect((await get(q, addToken(state, host, ['meeting:admin_recordings_read']))).status).toBe(
      403,
    );
    // An admin without the admin scope is not enough either.
    expect((await get(q, addToken(state, admin, ['meeting:recordings_read']))).status).toBe(403);

    const adminToken = addToken(state, admin, ['meeting:admin_recordings_read']);
    const ok = await get(q, adminToken);
    expect(ok.status).toBe(200);
    expect(items(ok.body)).toHaveLength(10);
    // hostEmail must be the recording's host; and without hostEmail admins read only their own.
    const wrongHost = detail(`recordingId=${SEED_RECORDING_IDS.board}&hostEmail=host@example.com`);
    expect((await get(wrongHost, adminToken)).status).toBe(403);
    expect((await get(detail(`recordingId=${SEED_RECORDING_IDS.board}`), adminToken)).status).toBe(
      403,
    );
  });
});

describe('GET /recordingReport/accessSummary', () => {
  it('lists own and shared recordings of the last 7 days by default, newest first', async () => {
    const res = await get(summary(), host.token);
    expect(res.status).toBe(200);
    expect(items(res.body).map((i) => i.recordingId)).toEqual([
      SEED_RECORDING_IDS.weekly,
      SEED_RECORDING_IDS.shared,
    ]);
    const weekly = state.recordings.get(SEED_RECORDING_IDS.weekly)!;
    expect(items(res.body)[0]).toEqual({
      recordingId: weekly.id,
      topic: 'Weekly sync',
      timeRecorded: weekly.timeRecorded,
      siteUrl: weekly.siteUrl,
      hostEmail: 'host@example.com',
      viewCount: weekly.accessRecords.filter((r) => r.viewed).length,
      downloadCount: weekly.accessRecords.filter((r) => r.downloaded).length,
    });
  });

  it('honours from/to and pages with Link', async () => {
    const from = new Date(NOW - 89 * DAY).toISOString();
    const first = await get(
      summary(`from=${from}&to=${new Date(NOW).toISOString()}&max=1`),
      host.token,
    );
    expect(first.status).toBe(200);
    const ids = items(first.body).map((i) => i.recordingId);
    let url = nextLink(first.link);
    while (url) {
      const page = await get(url, host.token);
      ids.push(...items(page.body).map((i) => i.recordingId));
      url = nextLink(page.link);
    }
    expect(ids).toEqual([
      SEED_RECORDING_IDS.weekly,
      SEED_RECORDING_IDS.shared,
      SEED_RECORDING_IDS.allHands,
    ]);
  });

  it('applies the timezone header to timeRecorded', async () => {
    const res = await get(summary(), host.token, { timezone: 'America/Los_Angeles' });
    expect(items(res.body)[0].timeRecorded).toMatch(/-0[78]:00$/);
    expect(Date.parse(items(res.body)[0].timeRecorded as string)).toBe(
      Date.parse(state.recordings.get(SEED_RECORDING_IDS.weekly)!.timeRecorded),
    );
  });

  it.each([
    ['from=2024-06-10T00:00:00Z&to=2024-06-01T00:00:00Z', '`from` cannot be after `to`.'],
    ['from=2024-01-01T00:00:00Z&to=2024-06-01T00:00:00Z', 'cannot exceed 90 days'],
    ['from=2023-05-01T00:00:00Z&to=2023-05-08T00:00:00Z', 'cannot exceed 365 days'],
    ['from=not-a-date', 'ISO 8601'],
    ['max=0', 'max'],
    ['max=101', 'max'],
  ])('rejects %s with 400', async (query, message) => {
    const res = await get(summary(query), host.token);
    expect(res.status).toBe(400);
    expectWebexError(res.body);
    expect(res.body.message).toContain(message);
  });

  it('hostEmail: 403 for non-admins; an admin may list one host or all', async () => {
    expect((await get(summary('hostEmail=other.host@example.com'), host.token)).status).toBe(403);
    const adminToken = addToken(state, admin, ['meeting:admin_recordings_read']);
    const from = new Date(NOW - 60 * DAY).toISOString();
    const one = await get(
      summary(`hostEmail=other.host@example.com&from=${from}&to=${new Date(NOW).toISOString()}`),
      adminToken,
    );
    expect(one.status).toBe(200);
    expect(items(one.body).map((i) => i.recordingId)).toEqual([
      SEED_RECORDING_IDS.shared,
      SEED_RECORDING_IDS.board,
      SEED_RECORDING_IDS.confidential,
    ]);
    const all = await get(
      summary(`hostEmail=all&from=${from}&to=${new Date(NOW).toISOString()}&max=100`),
      adminToken,
    );
    expect(items(all.body)).toHaveLength(5);
  });

  it('filters by siteUrl', async () => {
    const res = await get(summary('siteUrl=elsewhere.webex.com'), host.token);
    expect(res.status).toBe(200);
    expect(items(res.body)).toEqual([]);
  });
});
