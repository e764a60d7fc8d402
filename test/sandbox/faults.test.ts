import { routeKey, routeMatches } from '../../src/sandbox/faults';
import { SEED_EMAILS } from '../../src/sandbox/seed';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { call, startSeededSandbox, type Seeded } from './helpers';

describe('fault rules (pure)', () => {
  it.each([
    ['*', 'GET', '/v1/people/me', true],
    ['GET /v1/recordingReport/accessDetail', 'GET', '/v1/recordingReport/accessDetail', true],
    ['GET /v1/recordingReport', 'GET', '/v1/recordingReport/accessDetail', true],
    ['GET /v1/recordingReport', 'POST', '/v1/recordingReport/accessDetail', false],
    ['/v1/messages', 'DELETE', '/v1/messages/abc', true],
    ['GET /v1/messages/:id', 'GET', '/v1/messages/abc', true],
    ['GET /v1/messages/:id', 'GET', '/v1/messages', false],
    ['GET /v1/people/*', 'GET', '/v1/people/me', true],
    ['GET /v1/people', 'GET', '/v1/peoplex', false],
  ])('%s covers %s %s: %s', (route, method, path, expected) => {
    expect(routeMatches(route, method, path)).toBe(expected);
  });

  it('groups IDs in counting keys', () => {
    expect(routeKey('get', '/v1/messages/Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMQ')).toBe(
      'GET /v1/messages/:id',
    );
    expect(routeKey('GET', '/v1/people/me')).toBe('GET /v1/people/me');
  });
});

describe('sandbox fault injection and control API', () => {
  let sandbox: Sandbox;
  let s: Seeded;

  beforeAll(async () => ({ sandbox, s } = await startSeededSandbox()));
  afterAll(() => sandbox.close());
  afterEach(() => {
    sandbox.faults.clear();
    sandbox.faults.resetCounts();
  });

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.baseUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('fails the next N calls with 429 and Retry-After, then recovers', async () => {
    sandbox.faults.set({ route: 'GET /v1/people/me', failNext: 2, retryAfterSeconds: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(sandbox, s.host.token, 'GET', '/people/me');
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('7');
        expect(res.body.errors).toEqual([{ description: res.body.message }]);
        expect(res.body.trackingId).toBe(res.headers.get('trackingid'));
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
    // Other routes are untouched.
    sandbox.faults.set({ route: 'GET /v1/people/me', failNext: 1 });
    expect((await call(sandbox, s.host.token, 'GET', '/rooms')).status).toBe(200);
  });

  it('fails a reproducible share of calls with a configurable 5xx', async () => {
    const run = async () => {
      sandbox.faults.set({ route: '/v1/rooms', rate5xx: 0.5, status5xx: 504 }, { seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await call(sandbox, s.host.token, 'GET', '/rooms')).status);
      }
      return statuses;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 504]));
    const failures = first.filter((status) => status === 504).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(17);
    expect(await run()).toEqual(first);
  });

  it('adds latency to matching routes only', async () => {
    sandbox.faults.set({ route: 'GET /v1/people/me', latencyMs: 150 });
    let started = Date.now();
    await call(sandbox, s.host.token, 'GET', '/people/me');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    started = Date.now();
    await call(sandbox, s.host.token, 'GET', '/rooms');
    expect(Date.now() - started).toBeLessThan(140);
  });

  it('counts calls per route, token and person, faulted ones included', async () => {
    sandbox.faults.set({ route: 'GET /v1/messages/:id', failNext: 1, failNextStatus: 503 });
    await call(sandbox, sandbox.botToken, 'GET', '/people/me');
    await call(sandbox, sandbox.botToken, 'GET', '/messages/Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMQ');
    await call(sandbox, s.host.token, 'GET', '/people/me');
    await call(sandbox, undefined, 'GET', '/people/me');
    expect(sandbox.faults.counts()).toEqual({
      total: 4,
      faulted: 1,
      byRoute: { 'GET /v1/people/me': 3, 'GET /v1/messages/:id': 1 },
      byToken: { [sandbox.botToken]: 2, [s.host.token]: 1, none: 1 },
      byPerson: { [SEED_EMAILS.bot]: 2, [SEED_EMAILS.host]: 1, unknown: 1 },
    });
  });

  it('is driven over HTTP under /_sandbox', async () => {
    const facts = await (await control('GET', '/facts')).json();
    expect(facts).toEqual(sandbox.facts());

    const put = await control('PUT', '/faults', {
      seed: 3,
      rules: [{ route: 'GET /v1/rooms', failNext: 1, retryAfterSeconds: 2 }],
    });
    expect(put.status).toBe(200);
    const limited = await call(sandbox, s.host.token, 'GET', '/rooms');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await control('PUT', '/faults', { rules: [{ rate429: 2 }] })).status).toBe(400);

    const calls = await (await control('GET', '/calls')).json();
    expect(calls).toMatchObject({ total: 1, faulted: 1, webhookDeliveries: { attempted: 0 } });
    expect((await control('DELETE', '/calls')).status).toBe(204);
    expect(sandbox.faults.counts().total).toBe(0);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect(sandbox.faults.config().rules).toEqual([]);
  });

  it('expires a token on request', async () => {
    const other = await startSandbox({ port: 0 });
    try {
      const token = other.facts().users[2].token;
      expect((await call(other, token, 'GET', '/people/me')).status).toBe(200);
      const expire = await fetch(`${other.baseUrl}/_sandbox/tokens/expire`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      expect(expire.status).toBe(204);
      expect((await call(other, token, 'GET', '/people/me')).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('revokes every integration token of a person on request, and keeps their own', async () => {
    const other = await startSandbox({ port: 0 });
    try {
      const person = other.facts().users[1];
      const issued = { personId: person.id, scopes: ['meeting:recordings_read'] };
      other.state.tokens.set('oauth-access', { token: 'oauth-access', kind: 'oauth', ...issued });
      other.state.refreshTokens.set('oauth-refresh', {
        token: 'oauth-refresh',
        clientId: 'c',
        expiresAt: Date.now() + 60_000,
        ...issued,
      });
      expect((await call(other, 'oauth-access', 'GET', '/people/me')).status).toBe(200);
      const revoke = (email: string) =>
        fetch(`${other.baseUrl}/_sandbox/tokens/revoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email }),
        });
      const answer = await revoke(person.email.toUpperCase());
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ revoked: 2 });
      expect((await call(other, 'oauth-access', 'GET', '/people/me')).status).toBe(401);
      expect(other.state.refreshTokens.has('oauth-refresh')).toBe(false);
      expect((await call(other, person.token, 'GET', '/people/me')).status).toBe(200);
      expect((await revoke('nobody@example.com')).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});
