import axios from 'axios';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import {
  OAuthGrantError,
  WebexApiError,
  asWebexError,
  exchangeCode,
  getMe,
  refreshAccessToken,
  sendFile,
  sendMessage,
  type WebexHttp,
} from '../../src/webex';
import { TOKEN, expectNoToken, startFakeWebexClient, type FakeWebex } from './fake-webex';

/** Short retry delays keep the retry tests fast. */
const CLIENT_OPTIONS = {
  retry: { budgetMs: 3000, baseDelayMs: 10, maxDelayMs: 30 },
};

let fake: FakeWebex;
let http: WebexHttp;

beforeAll(async () => ({ fake, http } = await startFakeWebexClient(CLIENT_OPTIONS)));
afterAll(() => fake.close());

describe('getMe', () => {
  it('returns id, emails, displayName and timezone when set', async () => {
    fake.script((_req, res) =>
      res.json({ id: 'P1', emails: ['a@example.com'], displayName: 'A', timezone: 'Asia/Tokyo' }),
    );
    await expect(getMe(http, TOKEN)).resolves.toEqual({
      id: 'P1',
      emails: ['a@example.com'],
      displayName: 'A',
      timezone: 'Asia/Tokyo',
    });
    expect(fake.seen[0]?.path).toBe('/v1/people/me');
    expect(fake.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('omits timezone when Webex has none', async () => {
    fake.script((_req, res) => res.json({ id: 'P1', emails: [], displayName: 'A' }));
    expect(await getMe(http, TOKEN)).not.toHaveProperty('timezone');
  });
});

describe('messages', () => {
  it('sendMessage posts JSON and retries a 503', async () => {
    fake.script((req, res, n) => {
      if (n === 0) res.status(503).json({ message: 'busy' });
      else res.json({ id: 'M1', roomId: 'R1', ...(req.body as object) });
    });
    const sent = await sendMessage(http, TOKEN, {
      toPersonId: 'P1',
      markdown: '**hi**',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { a: 1 } }],
    });
    expect(sent).toEqual({ id: 'M1', roomId: 'R1' });
    expect(fake.seen).toHaveLength(2);
    expect(fake.seen[1]?.body).toEqual({
      toPersonId: 'P1',
      markdown: '**hi**',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { a: 1 } }],
    });
  });

  it('sendFile uploads multipart with the files field, also after a retry', async () => {
    fake.script((_req, res, n) => {
      if (n === 0) res.status(503).json({ message: 'busy' });
      else res.json({ id: 'M2', roomId: 'R1' });
    });
    const sent = await sendFile(http, TOKEN, {
      roomId: 'R1',
      parentId: 'M0',
      markdown: 'Here is the CSV',
      filename: 'audit.csv',
      contentType: 'text/csv',
      data: Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]),
    });
    expect(sent.id).toBe('M2');
    expect(fake.seen).toHaveLength(2);
    const last = fake.seen[1]!;
    expect(String(last.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const raw = (last.body as Buffer).toString('utf8');
    expect(raw).toMatch(/name="files"; filename="audit.csv"/);
    expect(raw).toContain('Content-Type: text/csv');
    expect(raw).toContain('a,b\n1,2\n');
    expect(raw).toMatch(/name="roomId"\r\n\r\nR1/);
    expect(raw).toMatch(/name="parentId"\r\n\r\nM0/);
    expect(raw).toMatch(/name="markdown"\r\n\r\nHere is the CSV/);
  });

  it('a POST whose connection was reset is not repeated (it could duplicate a message)', async () => {
    fake.script((req) => req.socket.destroy());
    const err = await sendMessage(http, TOKEN, { roomId: 'R', markdown: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'webex_network_error' });
    expect(fake.seen).toHaveLength(1);
    expectNoToken(err);
  });
});

describe('oauth', () => {
  const secret = 'CLIENT-SECRET-xyz';
  const code = 'AUTH-CODE-123';
  const verifier = 'VERIFIER-456';

  it('exchangeCode posts the form and returns tokens with absolute expiries', async () => {
    fake.script((_req, res) =>
      res.json({
        access_token: 'AT',
        expires_in: 1209600,
        refresh_token: 'RT',
        refresh_token_expires_in: 7776000,
        token_type: 'Bearer',
        scope: 'spark:people_read meeting:recordings_read',
      }),
    );
    const before = Date.now();
    const tokens = await exchangeCode(http, {
      clientId: 'CID',
      clientSecret: secret,
      code,
      redirectUri: 'https://bot.example/oauth/callback',
      codeVerifier: verifier,
    });
    expect(fake.seen[0]?.path).toBe('/v1/access_token');
    expect(String(fake.seen[0]?.headers['content-type'])).toMatch(
      /application\/x-www-form-urlencoded/,
    );
    expect(fake.seen[0]?.body).toEqual({
      grant_type: 'authorization_code',
      client_id: 'CID',
      client_secret: secret,
      code,
      redirect_uri: 'https://bot.example/oauth/callback',
      code_verifier: verifier,
    });
    expect(tokens.accessToken).toBe('AT');
    expect(tokens.refreshToken).toBe('RT');
    expect(tokens.scopes).toEqual(['spark:people_read', 'meeting:recordings_read']);
    expect(tokens.accessExpiresAt.getTime()).toBeGreaterThanOrEqual(before + 1209600_000);
    expect(tokens.refreshExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 7776000_000);
  });

  it('invalid_grant → OAuthGrantError without secrets', async () => {
    fake.script((_req, res) =>
      res.status(400).json({
        error: 'invalid_grant',
        error_description: `code ${code} is invalid`,
        trackingId: 'T_OAUTH',
      }),
    );
    const err = await exchangeCode(http, {
      clientId: 'CID',
      clientSecret: secret,
      code,
      redirectUri: 'https://x',
      codeVerifier: verifier,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthGrantError);
    expect(err).toMatchObject({ code: 'invalid_grant', status: 400, trackingId: 'T_OAUTH' });
    for (const s of [secret, code, verifier]) expectNoToken(err, s);
  });

  it('refreshAccessToken: other errors → WebexApiError; form has refresh_token', async () => {
    fake.script((_req, res) => res.status(400).json({ message: 'bad client', trackingId: 'T2' }));
    const err = await refreshAccessToken(http, {
      clientId: 'CID',
      clientSecret: secret,
      refreshToken: 'REFRESH-789',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebexApiError);
    expect(err).not.toBeInstanceOf(OAuthGrantError);
    expect(fake.seen[0]?.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'REFRESH-789',
    });
    for (const s of [secret, 'REFRESH-789']) expectNoToken(err, s);
  });
});

describe('asWebexError', () => {
  it('the leak check is meaningful: a raw axios error does contain the token', async () => {
    fake.script((_req, res) => res.status(404).json({}));
    const raw = await axios
      .get(`${fake.baseUrl}/x`, { headers: { Authorization: `Bearer ${TOKEN}` } })
      .catch((e: unknown) => e);
    expect(inspect(raw, { depth: Infinity })).toContain(TOKEN);
    const converted = asWebexError(raw);
    expect(converted).toMatchObject({ code: 'webex_api_error', status: 404 });
    expectNoToken(converted);
  });

  it('wraps unknown values', () => {
    expect(asWebexError('boom').message).toContain('boom');
    expect(asWebexError(new Error('Bearer abc')).message).not.toContain('abc');
  });
});
