import {
  WebexApiError,
  WebexRateLimitedError,
  WebexUnauthorizedError,
  createWebexHttp,
  fetchAccessDetail,
  fetchAccessSummary,
  iterateAccessDetail,
  type AccessRecord,
  type WebexHttp,
} from '../../src/webex';
import { TOKEN, expectNoToken, startFakeWebexClient, type FakeWebex } from './fake-webex';

/** A 2 s timeout and short retry delays keep the timeout and retry tests fast. */
const CLIENT_OPTIONS = {
  timeoutMs: 2000,
  retry: { budgetMs: 5000, maxRetryAfterMs: 3000, baseDelayMs: 10, maxDelayMs: 50 },
};

let fake: FakeWebex;
let http: WebexHttp;

beforeAll(async () => ({ fake, http } = await startFakeWebexClient(CLIENT_OPTIONS)));
afterAll(() => fake.close());

function record(i: number): AccessRecord {
  return {
    recordingId: 'rec1',
    topic: 'Weekly sync',
    name: `Person ${i}`,
    email: `p${i}@example.com`,
    accessTime: `2024-05-0${(i % 9) + 1}T10:00:00+02:00`,
    viewed: i % 2 === 0,
    downloaded: i % 3 === 0,
  };
}

/** Three pages of two records, linked with absolute `Link` URLs using an opaque cursor. */
function threePages(origin: string) {
  return (req: import('express').Request, res: import('express').Response) => {
    const page = Number(req.query.cursor ?? 0);
    if (page < 2) {
      const next = `${origin}/v1/recordingReport/accessDetail?recordingId=rec1&max=${req.query.max}&cursor=${page + 1}`;
      res.set('Link', `<${next}>; rel="next"`);
    }
    res.json({ items: [record(page * 2), record(page * 2 + 1)] });
  };
}

describe('fetchAccessDetail paging', () => {
  it('follows Link rel="next" through 3 pages and returns all records in order', async () => {
    fake.script(threePages(fake.origin));
    const records = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'rec1' });
    expect(records).toEqual([0, 1, 2, 3, 4, 5].map(record));
    expect(fake.seen).toHaveLength(3);
    expect(fake.seen.map((r) => r.query.cursor)).toEqual([undefined, '1', '2']);
    for (const r of fake.seen) {
      expect(r.path).toBe('/v1/recordingReport/accessDetail');
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    expect(fake.seen[0]?.query).toEqual({ recordingId: 'rec1', max: '100' });
  });

  it('streams pages with iterateAccessDetail', async () => {
    fake.script(threePages(fake.origin));
    const sizes: number[] = [];
    for await (const page of iterateAccessDetail(http, { token: TOKEN, recordingId: 'rec1' })) {
      sizes.push(page.length);
    }
    expect(sizes).toEqual([2, 2, 2]);
  });

  it('sends the timezone header, and hostEmail only when given', async () => {
    fake.script((_req, res) => res.json({ items: [] }));
    await fetchAccessDetail(http, { token: TOKEN, recordingId: 'r', timezone: 'Europe/Paris' });
    expect(fake.seen[0]?.headers.timezone).toBe('Europe/Paris');
    expect(fake.seen[0]?.query).not.toHaveProperty('hostEmail');

    fake.script((_req, res) => res.json({ items: [] }));
    await fetchAccessDetail(http, { token: TOKEN, recordingId: 'r', hostEmail: 'h@example.com' });
    expect(fake.seen[0]?.query.hostEmail).toBe('h@example.com');
    expect(fake.seen[0]?.headers).not.toHaveProperty('timezone');
  });

  it('refuses to send the token to a next link on another host', async () => {
    fake.script((_req, res) => {
      res.set('Link', '<http://evil.invalid/v1/x?cursor=1>; rel="next"');
      res.json({ items: [record(0)] });
    });
    await expect(fetchAccessDetail(http, { token: TOKEN, recordingId: 'r' })).rejects.toThrow(
      /another host/,
    );
    expect(fake.seen).toHaveLength(1);
  });

  it('fetchAccessSummary follows links too', async () => {
    fake.script((req, res) => {
      if (!req.query.cursor) {
        res.set('Link', `<${fake.origin}/v1/recordingReport/accessSummary?cursor=2>; rel="next"`);
      }
      res.json({
        items: [{ recordingId: `r${req.query.cursor ?? 1}`, viewCount: 3, downloadCount: 1 }],
      });
    });
    const out = await fetchAccessSummary(http, {
      token: TOKEN,
      from: '2024-01-01T00:00:00Z',
      to: new Date('2024-02-01T00:00:00Z'),
    });
    expect(out.map((s) => s.recordingId)).toEqual(['r1', 'r2']);
    expect(out[0]?.viewCount).toBe(3);
    expect(fake.seen[0]?.query).toMatchObject({
      from: '2024-01-01T00:00:00Z',
      to: '2024-02-01T00:00:00.000Z',
      max: '100',
    });
  });
});

describe('retries', () => {
  it('waits Retry-After on 429, then succeeds', async () => {
    fake.script((_req, res, n) => {
      if (n === 0) res.status(429).set('Retry-After', '1').json({ message: 'slow down' });
      else res.json({ items: [record(1)] });
    });
    const started = Date.now();
    const records = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'rec1' });
    expect(records).toEqual([record(1)]);
    expect(fake.seen).toHaveLength(2);
    expect(fake.seen[1]!.at - fake.seen[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After on 423 too', async () => {
    fake.script((_req, res, n) => {
      if (n === 0) res.status(423).set('Retry-After', '1').json({ message: 'locked' });
      else res.json({ items: [record(2)] });
    });
    const records = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'rec1' });
    expect(records).toEqual([record(2)]);
    expect(fake.seen[1]!.at - fake.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('backs off on 503 twice, then succeeds', async () => {
    fake.script((_req, res, n) => {
      if (n < 2) res.status(503).json({ message: 'unavailable' });
      else res.json({ items: [record(3)] });
    });
    const records = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'rec1' });
    expect(records).toEqual([record(3)]);
    expect(fake.seen).toHaveLength(3);
  });

  it('halves max on 504 and still returns everything', async () => {
    fake.script((req, res) => {
      if (req.query.max === '100') {
        res.status(504).json({ message: 'timeout, lower max' });
        return;
      }
      threePages(fake.origin)(req, res);
    });
    const records = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'rec1' });
    expect(records).toEqual([0, 1, 2, 3, 4, 5].map(record));
    expect(fake.seen.map((r) => r.query.max)).toEqual(['100', '50', '50', '50']);
  });

  it('halves max inside an absolute Link URL on 504', async () => {
    fake.script((req, res) => {
      if (!req.query.cursor) {
        res.set(
          'Link',
          `<${fake.origin}/v1/recordingReport/accessDetail?max=100&cursor=1>; rel="next"`,
        );
        res.json({ items: [record(0)] });
      } else if (req.query.max === '100') {
        res.status(504).json({ message: 'lower max' });
      } else {
        res.json({ items: [record(1)] });
      }
    });
    const records = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'rec1' });
    expect(records).toEqual([record(0), record(1)]);
    expect(fake.seen.map((r) => [r.query.cursor, r.query.max])).toEqual([
      [undefined, '100'],
      ['1', '100'],
      ['1', '50'],
    ]);
  });

  it('retries a reset connection', async () => {
    fake.script((req, res, n) => {
      if (n === 0) req.socket.destroy();
      else res.json({ items: [record(4)] });
    });
    const records = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'rec1' });
    expect(records).toEqual([record(4)]);
    expect(fake.seen).toHaveLength(2);
  });

  it('gives up with WebexRateLimitedError and the last trackingId when the budget runs out', async () => {
    const tight = createWebexHttp({
      baseUrl: fake.baseUrl,
      retry: { budgetMs: 1500, maxRetryAfterMs: 3000, baseDelayMs: 10 },
    });
    fake.script((_req, res, n) =>
      res
        .status(429)
        .set('Retry-After', '1')
        .json({ message: 'Too many requests', trackingId: `TRACK_${n}` }),
    );
    const err = await fetchAccessDetail(tight, { token: TOKEN, recordingId: 'rec1' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WebexRateLimitedError);
    expect(err).toBeInstanceOf(WebexApiError);
    const e = err as WebexRateLimitedError;
    expect(e.code).toBe('webex_rate_limited');
    expect(e.status).toBe(429);
    expect(e.trackingId).toBe('TRACK_1');
    expect(e.retryAfter).toBe(1);
    expect(fake.seen).toHaveLength(2);
    expectNoToken(err);
  });

  it('stops waiting to retry as soon as the caller gives up', async () => {
    fake.script((_req, res) =>
      res.status(429).set('Retry-After', '2').json({ message: 'slow down', trackingId: 'T' }),
    );
    const caller = new AbortController();
    let waitStartedAt = 0;
    // The client logs a retry just before it starts waiting: the caller gives up right then.
    const patient = createWebexHttp({
      ...CLIENT_OPTIONS,
      baseUrl: fake.baseUrl,
      logger: {
        warn: () => {
          waitStartedAt = Date.now();
          caller.abort();
        },
      },
    });
    const err = await fetchAccessDetail(patient, {
      token: TOKEN,
      recordingId: 'r',
      signal: caller.signal,
    }).catch((e: unknown) => e);
    expect(waitStartedAt).toBeGreaterThan(0);
    expect(Date.now() - waitStartedAt).toBeLessThan(1_000);
    expect(fake.seen).toHaveLength(1);
    expect(err).toMatchObject({ code: 'webex_network_error' });
    expectNoToken(err);
  });

  it('fails at once when Retry-After is longer than maxRetryAfterMs', async () => {
    fake.script((_req, res) =>
      res.status(429).set('Retry-After', '3600').json({ message: 'later', trackingId: 'T' }),
    );
    const started = Date.now();
    const err = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'r' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WebexRateLimitedError);
    expect((err as WebexRateLimitedError).retryAfter).toBe(3600);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('times out per request and ends with WebexTimeoutError', async () => {
    const quick = createWebexHttp({
      baseUrl: fake.baseUrl,
      timeoutMs: 100,
      retry: { budgetMs: 400, baseDelayMs: 10, maxDelayMs: 20 },
    });
    fake.script((_req, res) => {
      setTimeout(() => res.json({ items: [] }), 600).unref();
    });
    const err = await fetchAccessDetail(quick, { token: TOKEN, recordingId: 'r' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'webex_timeout' });
    expect(fake.seen.length).toBeGreaterThanOrEqual(2);
    expectNoToken(err);
  });
});

describe('errors', () => {
  it('404 → WebexApiError with status, trackingId and Webex message, no token anywhere', async () => {
    fake.script((_req, res) =>
      res.status(404).json({
        message: 'The requested resource could not be found.',
        errors: [{ description: 'The requested resource could not be found.' }],
        trackingId: 'ROUTER_ABC',
      }),
    );
    const err = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'nope' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WebexApiError);
    const e = err as WebexApiError;
    expect(e.code).toBe('webex_api_error');
    expect(e.status).toBe(404);
    expect(e.trackingId).toBe('ROUTER_ABC');
    expect(e.message).toContain('could not be found');
    expect(e.message).toContain('ROUTER_ABC');
    expect(e.path).toBe('/v1/recordingReport/accessDetail');
    expect(fake.seen).toHaveLength(1);
    expectNoToken(err);
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      status: 404,
      trackingId: 'ROUTER_ABC',
    });
  });

  it('401 → WebexUnauthorizedError', async () => {
    fake.script((_req, res) => res.status(401).json({ message: 'invalid token' }));
    const err = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'r' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WebexUnauthorizedError);
    expect((err as WebexUnauthorizedError).code).toBe('webex_unauthorized');
    expectNoToken(err);
  });

  it('a trackingId header is used when the body has none', async () => {
    fake.script((_req, res) => res.status(400).set('TrackingID', 'HDR_1').send('bad'));
    const err = await fetchAccessDetail(http, { token: TOKEN, recordingId: 'r' }).catch(
      (e: unknown) => e,
    );
    expect((err as WebexApiError).trackingId).toBe('HDR_1');
  });

  it('a network failure that outlasts the budget is a WebexNetworkError without the token', async () => {
    const dead = createWebexHttp({
      baseUrl: 'http://127.0.0.1:1/v1',
      retry: { budgetMs: 200, baseDelayMs: 10, maxDelayMs: 20 },
    });
    const err = await fetchAccessDetail(dead, { token: TOKEN, recordingId: 'r' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'webex_network_error', errno: 'ECONNREFUSED' });
    expectNoToken(err);
  });
});
