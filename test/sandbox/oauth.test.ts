/**
 * The sandbox's OAuth endpoints: consent page, code flow with PKCE, token and refresh
 * grants, and the errors a client must handle. Mounted on a minimal Express app.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../../src/sandbox/oauth-consent-page';
import { isValidVerifier, pkceChallenge, verifyPkce } from '../../src/sandbox/pkce';
import {
  oauthRouter,
  registerIntegration,
  setTokenLifetimes,
} from '../../src/sandbox/routes/oauth';
import { recordingsRouter } from '../../src/sandbox/routes/recordings';
import { SEED_RECORDING_IDS, seedRecordings } from '../../src/sandbox/seed-recordings';
import { SandboxState } from '../../src/sandbox/state';
import { addSandboxPerson, serveRouters, type MiniApp } from './mini-app';

const CLIENT_ID = 'C0ffee1234';
const CLIENT_SECRET = 'sandbox-secret';
const REDIRECT_URI = 'https://bot.example/oauth/callback';
const USER_SCOPES = 'spark:people_read meeting:recordings_read';

let app: MiniApp;
let base: string;
let state: SandboxState;
let clock = Date.now();
let hostId: string;
let adminId: string;

beforeAll(async () => {
  state = new SandboxState();
  hostId = addSandboxPerson(state, 'host@example.com', 'Hana Host');
  adminId = addSandboxPerson(state, 'admin@example.com', 'Ada <Admin>', { admin: true });
  addSandboxPerson(state, 'colleague@example.com', 'Cole League');
  addSandboxPerson(state, 'bot@webex.bot', 'Audit Bot', { type: 'bot' });
  seedRecordings(state);
  registerIntegration(state, {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    scopes: ['spark:people_read', 'meeting:recordings_read', 'meeting:admin_recordings_read'],
    name: 'Recording <Audit> Bot',
  });

  app = await serveRouters(oauthRouter(state, { now: () => clock }), recordingsRouter(state));
  base = app.base;
});

afterAll(() => app.close());

beforeEach(() => {
  clock = Date.now();
  setTokenLifetimes(state, {
    accessSeconds: 1_209_600,
    refreshSeconds: 7_776_000,
    codeSeconds: 300,
  });
});

function newVerifier(): string {
  return randomBytes(32).toString('base64url');
}

function authorizeUrl(
  overrides: Record<string, string | undefined> = {},
  verifier = newVerifier(),
): string {
  const params: Record<string, string | undefined> = {
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: USER_SCOPES,
    state: 'st-123',
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: 'S256',
    ...overrides,
  };
  const url = new URL(`${base}/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface ConsentForm {
  action: string;
  hidden: Record<string, string>;
  people: Array<{ id: string; checked: boolean }>;
  html: string;
}

async function openConsent(
  url: string,
  headers: Record<string, string> = {},
): Promise<ConsentForm> {
  const res = await fetch(url, { headers, redirect: 'manual' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const html = await res.text();
  const action = unescapeHtml(/<form method="post" action="([^"]*)"/.exec(html)![1]);
  const hidden: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    hidden[unescapeHtml(m[1])] = unescapeHtml(m[2]);
  }
  const people = [
    ...html.matchAll(/<input type="radio" name="personId" value="([^"]*)"( checked)?/g),
  ].map((m) => ({ id: unescapeHtml(m[1]), checked: m[2] !== undefined }));
  return { action, hidden, people, html };
}

async function submit(
  form: ConsentForm,
  personId: string,
  decision: 'accept' | 'decline',
): Promise<Response> {
  const origin = new URL(base).origin;
  return fetch(`${origin}${form.action}`, {
    method: 'POST',
    body: new URLSearchParams({ ...form.hidden, personId, decision }),
    redirect: 'manual',
  });
}

async function token(
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/access_token`, {
    method: 'POST',
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Runs consent and returns the code and the verifier. */
async function getCode(
  personId = hostId,
  scope = USER_SCOPES,
): Promise<{ code: string; verifier: string }> {
  const verifier = newVerifier();
  const form = await openConsent(authorizeUrl({ scope }, verifier));
  const res = await submit(form, personId, 'accept');
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  expect(location.searchParams.get('state')).toBe('st-123');
  return { code: location.searchParams.get('code')!, verifier };
}

function exchange(code: string, verifier: string, extra: Record<string, string> = {}) {
  return token({
    grant_type: 'authorization_code',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    ...extra,
  });
}

async function accessDetail(accessToken: string): Promise<number> {
  const res = await fetch(
    `${base}/recordingReport/accessDetail?recordingId=${SEED_RECORDING_IDS.example}`,
    {
      headers: { authorization: `Bearer ${accessToken}` },
    },
  );
  return res.status;
}

describe('pkce', () => {
  it('matches the RFC 7636 test vector', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(pkceChallenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifyPkce(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(verifyPkce(newVerifier(), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    expect(isValidVerifier('short')).toBe(false);
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});

describe('GET /authorize', () => {
  it('shows an escaped consent page with scopes, people and hidden params', async () => {
    const form = await openConsent(authorizeUrl({ state: '"><script>alert(1)</script>' }));
    expect(form.html).toContain(
      '<title>Recording &lt;Audit&gt; Bot would like to access your Webex account</title>',
    );
    expect(form.html).not.toContain('<script>');
    expect(form.html).toContain('Ada &lt;Admin&gt;');
    expect(form.html).toContain('See your meeting recordings and who viewed or downloaded them');
    expect(form.action).toBe('/v1/authorize');
    expect(form.hidden.state).toBe('"><script>alert(1)</script>');
    expect(form.hidden.client_id).toBe(CLIENT_ID);
    expect(form.people.map((p) => p.id)).toHaveLength(3); // persons only, not the bot
    expect(form.people.filter((p) => p.checked)).toHaveLength(1);
  });

  it('preselects the sandbox_user cookie, or login_hint', async () => {
    const byCookie = await openConsent(authorizeUrl(), {
      cookie: `other=1; sandbox_user=${adminId}`,
    });
    expect(byCookie.people.find((p) => p.checked)?.id).toBe(adminId);
    const byHint = await openConsent(authorizeUrl({ login_hint: 'ADMIN@example.com' }));
    expect(byHint.people.find((p) => p.checked)?.id).toBe(adminId);
  });

  it.each([
    ['an unknown client', { client_id: 'nope' }],
    ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/cb' }],
    ['a missing redirect_uri', { redirect_uri: undefined }],
  ])('answers %s with a 400 HTML page, never a redirect', async (_label, overrides) => {
    const res = await fetch(authorizeUrl(overrides), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('Authorization error');
  });

  it.each([
    ['response_type', { response_type: 'token' }, 'unsupported_response_type'],
    ['an unregistered scope', { scope: 'spark:all' }, 'invalid_scope'],
    ['a missing challenge', { code_challenge: undefined }, 'invalid_request'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
  ])('redirects back with an error for %s', async (_label, overrides, error) => {
    const res = await fetch(authorizeUrl(overrides), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('state')).toBe('st-123');
  });
});

describe('code flow', () => {
  it('issues a working token for consent + code + verifier', async () => {
    const { code, verifier } = await getCode();
    const res = await exchange(code, verifier);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      expires_in: 1_209_600,
      refresh_token: expect.any(String),
      refresh_token_expires_in: 7_776_000,
      token_type: 'Bearer',
      scope: USER_SCOPES,
    });
    const accessToken = res.body.access_token as string;
    expect(accessToken).toMatch(/^[A-Za-z0-9]{40,}$/);
    expect(state.tokens.get(accessToken)).toMatchObject({
      personId: hostId,
      kind: 'oauth',
      clientId: CLIENT_ID,
      scopes: USER_SCOPES.split(' '),
    });
    expect(state.refreshTokens.get(res.body.refresh_token as string)).toMatchObject({
      personId: hostId,
    });
    expect(await accessDetail(accessToken)).toBe(200);
  });

  it('remembers the chosen person in the sandbox_user cookie', async () => {
    const form = await openConsent(authorizeUrl());
    const res = await submit(form, adminId, 'accept');
    expect(res.headers.get('set-cookie')).toContain(`sandbox_user=${encodeURIComponent(adminId)}`);
  });

  it('refuses a reused code', async () => {
    const { code, verifier } = await getCode();
    expect((await exchange(code, verifier)).status).toBe(200);
    const again = await exchange(code, verifier);
    expect(again).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: expect.any(String) },
    });
  });

  it('refuses a wrong verifier (and the code is spent)', async () => {
    const { code, verifier } = await getCode();
    expect((await exchange(code, newVerifier())).body.error).toBe('invalid_grant');
    expect((await exchange(code, verifier)).body.error).toBe('invalid_grant');
  });

  it('refuses a missing verifier and a different redirect_uri', async () => {
    const first = await getCode();
    expect((await exchange(first.code, '')).body.error).toBe('invalid_grant');
    const second = await getCode();
    const res = await exchange(second.code, second.verifier, {
      redirect_uri: 'https://bot.example/other',
    });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses an expired code (after 5 minutes)', async () => {
    const { code, verifier } = await getCode();
    clock += 5 * 60_000 + 1;
    const res = await exchange(code, verifier);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('answers a bad client secret or unknown client with 401 invalid_client', async () => {
    const { code, verifier } = await getCode();
    const bad = await exchange(code, verifier, { client_secret: 'wrong' });
    expect(bad).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: expect.any(String) },
    });
    expect((await exchange(code, verifier, { client_id: 'nope' })).status).toBe(401);
  });

  it('rejects unknown grant types and missing ones', async () => {
    expect(
      (await token({ grant_type: 'password', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }))
        .body.error,
    ).toBe('unsupported_grant_type');
    expect((await token({ client_id: CLIENT_ID })).body.error).toBe('invalid_request');
  });

  it('decline → access_denied with state', async () => {
    const form = await openConsent(authorizeUrl());
    const res = await submit(form, hostId, 'decline');
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('admin scopes: access_denied for a non-admin, granted to an admin', async () => {
    const scope = 'spark:people_read meeting:admin_recordings_read';
    const form = await openConsent(authorizeUrl({ scope }));
    const denied = await submit(form, hostId, 'accept');
    const location = new URL(denied.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toMatch(/administrator/);

    const { code, verifier } = await getCode(adminId, scope);
    const res = await exchange(code, verifier);
    expect(res.body.scope).toBe(scope);
    const board = await fetch(
      `${base}/recordingReport/accessDetail?recordingId=${SEED_RECORDING_IDS.board}&hostEmail=other.host@example.com`,
      { headers: { authorization: `Bearer ${res.body.access_token as string}` } },
    );
    expect(board.status).toBe(200);
  });

  it('a tampered form (unknown person) gets a 400 page', async () => {
    const form = await openConsent(authorizeUrl());
    const res = await submit(form, 'not-a-person', 'accept');
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('refresh and lifetimes', () => {
  it('refresh issues a new working token and keeps the refresh token', async () => {
    const { code, verifier } = await getCode();
    const first = (await exchange(code, verifier)).body;
    clock += 1000;
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      refresh_token: first.refresh_token as string,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.access_token);
    expect(refreshed.body.refresh_token).toBe(first.refresh_token);
    expect(refreshed.body.refresh_token_expires_in).toBe(7_776_000 - 1);
    expect(await accessDetail(refreshed.body.access_token as string)).toBe(200);
  });

  it('refuses an unknown, foreign-client or expired refresh token', async () => {
    const refresh = (refreshToken: string, clientId = CLIENT_ID, clientSecret = CLIENT_SECRET) =>
      token({
        grant_type: 'refresh_token',
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: refreshToken,
      });
    expect((await refresh('nope')).body.error).toBe('invalid_grant');

    registerIntegration(state, {
      clientId: 'Other',
      clientSecret: 'x',
      redirectUris: [REDIRECT_URI],
      scopes: [],
    });
    const { code, verifier } = await getCode();
    const body = (await exchange(code, verifier)).body;
    expect((await refresh(body.refresh_token as string, 'Other', 'x')).body.error).toBe(
      'invalid_grant',
    );
    clock += 7_776_000_000;
    expect((await refresh(body.refresh_token as string)).body.error).toBe('invalid_grant');
  });

  it('setTokenLifetimes makes tokens expire (accessSeconds: 0 → already expired)', async () => {
    setTokenLifetimes(state, { accessSeconds: 0 });
    const { code, verifier } = await getCode();
    const res = await exchange(code, verifier);
    expect(res.body.expires_in).toBe(0);
    expect(await accessDetail(res.body.access_token as string)).toBe(401);
  });
});
