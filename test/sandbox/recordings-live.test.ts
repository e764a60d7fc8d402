/**
 * The sandbox's recordings while it runs, on the full server with its clock injected: access
 * records added through the control API show in accessDetail and in accessSummary's counts at
 * once; bad input gets a Webex-style 400; accessSummary's `from`/`to` rules at their edges.
 */
import { SEED_RECORDING_EMAILS, SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { call } from './helpers';

const NOW = Date.parse('2024-11-04T09:30:00Z');
const DAY = 86_400_000;

let sandbox: Sandbox;
let hostToken: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined, now: () => NOW });
  const host = sandbox.facts().users.find((u) => u.email === SEED_RECORDING_EMAILS.host);
  if (!host) throw new Error('no seeded host');
  hostToken = host.token;
});

afterAll(() => sandbox.close());

const addAccess = (recordingId: string, body: unknown) =>
  call(
    sandbox,
    undefined,
    'POST',
    `${sandbox.baseUrl}/_sandbox/recordings/${recordingId}/access`,
    body,
  );

interface DetailItem {
  recordingId: string;
  name: string;
  email: string;
  accessTime: string;
  viewed: boolean;
  downloaded: boolean;
}
interface SummaryItem {
  recordingId: string;
  viewCount: number;
  downloadCount: number;
}

/** Every accessDetail item of a recording, following `Link` to the end. */
async function accessDetail(recordingId: string, timezone?: string): Promise<DetailItem[]> {
  const items: DetailItem[] = [];
  let url: string | undefined =
    `${sandbox.apiUrl}/recordingReport/accessDetail?recordingId=${recordingId}&max=100`;
  while (url) {
    const res: Response = await fetch(url, {
      headers: { authorization: `Bearer ${hostToken}`, ...(timezone ? { timezone } : {}) },
    });
    expect(res.status).toBe(200);
    items.push(...((await res.json()) as { items: DetailItem[] }).items);
    url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  }
  return items;
}

async function summaryOf(recordingId: string): Promise<SummaryItem | undefined> {
  const res = await call<{ items: SummaryItem[] }>(
    sandbox,
    hostToken,
    'GET',
    '/recordingReport/accessSummary?max=100',
  );
  expect(res.status).toBe(200);
  return res.body.items.find((i) => i.recordingId === recordingId);
}

function expectWebexError(body: Record<string, unknown>, message: string | RegExp): void {
  expect(body.message).toEqual(expect.stringMatching(message));
  expect(body.errors).toEqual([{ description: body.message }]);
  expect(String(body.trackingId)).toMatch(/^SANDBOX_/);
}

describe('POST /_sandbox/recordings/:recordingId/access', () => {
  it('adds accesses that accessDetail and accessSummary show at once', async () => {
    const id = SEED_RECORDING_IDS.weekly;
    const before = await accessDetail(id);
    const summaryBefore = await summaryOf(id);
    if (!summaryBefore) throw new Error('the weekly recording is not in the default window');

    const res = await addAccess(id, [
      {
        email: 'eve@outside.example',
        name: 'Eve Outsider',
        action: 'download',
        accessTime: '2024-11-04T18:15:00+09:00',
      },
      { email: 'dan@example.com', name: 'Dan Viewer', action: 'view' },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      recordingId: id,
      added: 2,
      items: [
        {
          recordingId: id,
          name: 'Eve Outsider',
          email: 'eve@outside.example',
          accessTime: '2024-11-04T09:15:00Z',
          viewed: false,
          downloaded: true,
        },
        {
          recordingId: id,
          name: 'Dan Viewer',
          email: 'dan@example.com',
          accessTime: '2024-11-04T09:30:00Z', // the sandbox's now
          viewed: true,
          downloaded: false,
        },
      ],
      viewCount: summaryBefore.viewCount + 1,
      downloadCount: summaryBefore.downloadCount + 1,
    });

    const after = await accessDetail(id);
    expect(after).toHaveLength(before.length + 2);
    expect(after.slice(-2).map((i) => [i.name, i.accessTime, i.viewed, i.downloaded])).toEqual([
      ['Eve Outsider', '2024-11-04T09:15:00Z', false, true],
      ['Dan Viewer', '2024-11-04T09:30:00Z', true, false],
    ]);
    // In the reader's zone, like every other record.
    const inTokyo = await accessDetail(id, 'Asia/Tokyo');
    expect(inTokyo.at(-1)?.accessTime).toBe('2024-11-04T18:30:00+09:00');
    expect(await summaryOf(id)).toMatchObject({
      viewCount: summaryBefore.viewCount + 1,
      downloadCount: summaryBefore.downloadCount + 1,
    });
  });

  it('keeps accessDetail in time order when an earlier access is added later', async () => {
    const id = SEED_RECORDING_IDS.shared;
    const before = await accessDetail(id);
    const first = Date.parse(before[0].accessTime);
    const res = await addAccess(id, {
      records: [
        {
          email: 'early@example.com',
          name: 'Early Bird',
          action: 'view',
          accessTime: new Date(first - 1000).toISOString(),
        },
      ],
    });
    expect(res.status).toBe(201);
    const after = await accessDetail(id);
    expect(after[0].name).toBe('Early Bird');
    const times = after.map((i) => Date.parse(i.accessTime));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it.each([
    [[], /body must hold at least one access/],
    [{ records: 'no' }, /records must be a list of \{email, name, action, accessTime\?\}/],
    [{ visits: [] }, /records must be a list of/],
    [[{ email: 'not-an-email', name: 'X', action: 'view' }], /\[0\]\.email must be an email/],
    [
      [{ email: 'a@example.com', name: 'X', action: 'share' }],
      /\[0\]\.action must be "view" or "download"/,
    ],
    [[{ email: 'a@example.com', name: '  ', action: 'view' }], /\[0\]\.name must not be empty/],
    [
      [{ email: 'a@example.com', name: 'A', action: 'view', accessTime: '2024-11-04T09:00:00' }],
      /records\[0\]\.accessTime must be an ISO 8601 time with an offset/,
    ],
    [
      [{ email: 'a@example.com', name: 'A', action: 'view', accessTime: 'yesterday' }],
      /records\[0\]\.accessTime must be an ISO 8601 time/,
    ],
    [
      [{ email: 'a@example.com', name: 'A', action: 'view', accessTime: '2024-11-04T09:31:00Z' }],
      /accessTime cannot be in the future/,
    ],
    [
      [{ email: 'a@example.com', name: 'A', action: 'view', accessTime: '2019-01-01T00:00:00Z' }],
      /accessTime cannot be before the recording was made/,
    ],
  ])('refuses %j with a 400 saying what is wrong, adding nothing', async (body, message) => {
    const id = SEED_RECORDING_IDS.board;
    const before = sandbox.state.recordings.get(id)?.accessRecords.length;
    const res = await addAccess(id, body);
    expect(res.status).toBe(400);
    expectWebexError(res.body, message);
    expect(sandbox.state.recordings.get(id)?.accessRecords.length).toBe(before);
  });

  it('refuses a body that is not JSON, and answers 404 for an unknown recording', async () => {
    const res = await fetch(
      `${sandbox.baseUrl}/_sandbox/recordings/${SEED_RECORDING_IDS.board}/access`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '[{"email":',
      },
    );
    expect(res.status).toBe(400);
    const missing = await addAccess('nope', [
      { email: 'a@example.com', name: 'A', action: 'view' },
    ]);
    expect(missing.status).toBe(404);
    expectWebexError(missing.body, 'The requested recording could not be found.');
  });
});

describe('accessSummary from/to, at the edges the spec states', () => {
  const summary = (query: string) =>
    call<{ items: SummaryItem[] }>(
      sandbox,
      hostToken,
      'GET',
      `/recordingReport/accessSummary?${query}`,
    );
  const at = (ms: number) => new Date(ms).toISOString();

  it('accepts exactly 90 days, and refuses a second more', async () => {
    const to = NOW;
    expect((await summary(`from=${at(to - 90 * DAY)}&to=${at(to)}`)).status).toBe(200);
    const over = await summary(`from=${at(to - 90 * DAY - 1000)}&to=${at(to)}`);
    expect(over.status).toBe(400);
    expectWebexError(over.body, 'The interval between `to` and `from` cannot exceed 90 days.');
  });

  it('accepts `from` exactly 365 days back, and refuses a second more', async () => {
    const from = NOW - 365 * DAY;
    expect((await summary(`from=${at(from)}&to=${at(from + DAY)}`)).status).toBe(200);
    const over = await summary(`from=${at(from - 1000)}&to=${at(from + DAY)}`);
    expect(over.status).toBe(400);
    expectWebexError(over.body, /current time and `from` cannot exceed 365 days/);
    // With only `to`, `from` defaults to 7 days before it, and the same rule applies to that.
    const onlyTo = await summary(`to=${at(NOW - 360 * DAY)}`);
    expect(onlyTo.status).toBe(400);
    expectWebexError(onlyTo.body, /cannot exceed 365 days/);
  });

  it('counts `from` inclusive and `to` exclusive, with 7-day defaults on either side', async () => {
    const weekly = sandbox.state.recordings.get(SEED_RECORDING_IDS.weekly);
    if (!weekly) throw new Error('no weekly recording');
    const recorded = Date.parse(weekly.timeRecorded);
    const ids = async (query: string) => {
      const res = await summary(`${query}&max=100`);
      expect(res.status).toBe(200);
      return res.body.items.map((i) => i.recordingId);
    };
    expect(await ids(`from=${at(recorded)}&to=${at(recorded + 1000)}`)).toEqual([weekly.id]);
    expect(await ids(`from=${at(recorded - 1000)}&to=${at(recorded)}`)).toEqual([]);
    // Only `from`: `to` is 7 days after it. Only `to`: `from` is 7 days before it.
    expect(await ids(`from=${at(recorded - 7 * DAY + 1000)}`)).toContain(weekly.id);
    expect(await ids(`from=${at(recorded - 7 * DAY)}`)).not.toContain(weekly.id);
    expect(await ids(`to=${at(recorded + 7 * DAY)}`)).toContain(weekly.id);
    expect(await ids(`to=${at(recorded + 7 * DAY + 1000)}`)).not.toContain(weekly.id);
  });

  it('reads a time without an offset in the `timezone` header’s zone', async () => {
    const weekly = sandbox.state.recordings.get(SEED_RECORDING_IDS.weekly);
    if (!weekly) throw new Error('no weekly recording');
    // The recording's time, written as Tokyo wall time without an offset.
    const tokyoWall = new Date(Date.parse(weekly.timeRecorded) + 9 * 3_600_000)
      .toISOString()
      .slice(0, 19);
    const res = await fetch(
      `${sandbox.apiUrl}/recordingReport/accessSummary?from=${tokyoWall}&to=${at(NOW)}&max=100`,
      { headers: { authorization: `Bearer ${hostToken}`, timezone: 'Asia/Tokyo' } },
    );
    const body = (await res.json()) as { items: SummaryItem[] };
    expect(body.items.map((i) => i.recordingId)).toEqual([weekly.id]);
  });
});
