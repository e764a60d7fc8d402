/**
 * The sandbox's OAuth 2.0 endpoints for integrations, as Webex exposes them under `/v1`:
 * `GET /authorize` (consent page), `POST /authorize` (the page's form) and
 * `POST /access_token` (authorization_code with PKCE S256, and refresh_token grants).
 * Tokens and codes are opaque random strings and are never logged.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { renderConsentPage, renderErrorPage } from '../oauth-consent-page';
import { isValidS256Challenge, isValidVerifier, verifyPkce } from '../pkce';
import type { SandboxIntegration, SandboxPerson, SandboxState } from '../state';

/** Lifetimes in seconds. Webex: access 14 days, refresh 90 days; codes here 5 minutes. */
export interface TokenLifetimes {
  accessSeconds: number;
  refreshSeconds: number;
  codeSeconds: number;
}

export const DEFAULT_TOKEN_LIFETIMES: Readonly<TokenLifetimes> = {
  accessSeconds: 1_209_600,
  refreshSeconds: 7_776_000,
  codeSeconds: 300,
};

/** A pending authorization code, bound to everything the exchange must match. */
interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  personId: string;
  scopes: string[];
  codeChallenge: string;
  expiresAt: number;
}

/** OAuth bookkeeping kept beside SandboxState (its shape is shared with other modules). */
interface OAuthSideState {
  codes: Map<string, AuthorizationCode>;
  lifetimes: TokenLifetimes;
  appNames: Map<string, string>;
}

const sideStates = new WeakMap<SandboxState, OAuthSideState>();

function sideOf(state: SandboxState): OAuthSideState {
  let side = sideStates.get(state);
  if (!side) {
    side = { codes: new Map(), lifetimes: { ...DEFAULT_TOKEN_LIFETIMES }, appNames: new Map() };
    sideStates.set(state, side);
  }
  return side;
}

/**
 * Changes token/code lifetimes for tokens issued from now on (tests use small values).
 * @example setTokenLifetimes(state, { accessSeconds: 1 }) // access tokens expire after 1 s
 */
export function setTokenLifetimes(state: SandboxState, lifetimes: Partial<TokenLifetimes>): void {
  const side = sideOf(state);
  side.lifetimes = { ...side.lifetimes, ...lifetimes };
}

/** What {@link registerIntegration} needs; `name` is shown on the consent page. */
export interface IntegrationRegistration {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string[];
  name?: string;
}

/**
 * Registers (or replaces) an integration, as creating one on developer.webex.com does.
 * @example
 * registerIntegration(state, { clientId: 'C1', clientSecret: 's', redirectUris: ['http://127.0.0.1:3000/oauth/callback'],
 *   scopes: ['spark:people_read', 'meeting:recordings_read'] });
 */
export function registerIntegration(
  state: SandboxState,
  registration: IntegrationRegistration,
): SandboxIntegration {
  const integration: SandboxIntegration = {
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    redirectUris: [...registration.redirectUris],
    scopes: [...registration.scopes],
  };
  state.integrations.set(integration.clientId, integration);
  sideOf(state).appNames.set(integration.clientId, registration.name ?? 'Recording Audit Bot');
  return integration;
}

/** Admin scopes may only be granted by an admin. */
export function isAdminScope(scope: string): boolean {
  return scope.startsWith('spark-admin:') || /:admin_/.test(scope);
}

/** An opaque random string of letters and digits (no `_` or `-`). */
function opaqueToken(bytes: number): string {
  return randomBytes(bytes)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

function secretsEqual(a: string, b: string): boolean {
  // Hash first so lengths match and the compare stays constant-time.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** A single string value from a query or form, or undefined (absent, empty or repeated). */
function single(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The /authorize parameters echoed from the consent page back to its form. */
const AUTHORIZE_PARAMS = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
] as const;

type AuthorizeParams = Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>;

/** Outcome of checking an /authorize request. */
export type AuthorizeCheck =
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; error: string; description: string }
  | { kind: 'ok'; integration: SandboxIntegration; scopes: string[] };

/**
 * Checks /authorize parameters. Unknown client or unregistered redirect_uri → an error page
 * (never redirect to an unverified URI); other problems → redirect with an OAuth error.
 * @example checkAuthorizeRequest(state, { client_id: 'C1', redirect_uri: 'http://x/cb', ... })
 */
export function checkAuthorizeRequest(
  state: SandboxState,
  params: AuthorizeParams,
): AuthorizeCheck {
  const integration = params.client_id ? state.integrations.get(params.client_id) : undefined;
  if (!integration) return { kind: 'page', message: 'The client_id is not a known integration.' };
  if (!params.redirect_uri || !integration.redirectUris.includes(params.redirect_uri)) {
    return { kind: 'page', message: 'The redirect_uri is not registered for this integration.' };
  }
  if (params.response_type !== 'code') {
    return {
      kind: 'redirect',
      error: 'unsupported_response_type',
      description: 'response_type must be code.',
    };
  }
  const scopes = (params.scope ?? '').split(' ').filter((s) => s !== '');
  if (scopes.length === 0) {
    return { kind: 'redirect', error: 'invalid_scope', description: 'scope is required.' };
  }
  const unknown = scopes.filter((s) => !integration.scopes.includes(s));
  if (unknown.length > 0) {
    return {
      kind: 'redirect',
      error: 'invalid_scope',
      description: `The integration is not registered for: ${unknown.join(' ')}.`,
    };
  }
  if (params.code_challenge_method !== 'S256') {
    return {
      kind: 'redirect',
      error: 'invalid_request',
      description: 'code_challenge_method must be S256.',
    };
  }
  if (!params.code_challenge || !isValidS256Challenge(params.code_challenge)) {
    return {
      kind: 'redirect',
      error: 'invalid_request',
      description: 'code_challenge must be base64url(sha256(code_verifier)).',
    };
  }
  return { kind: 'ok', integration, scopes: [...new Set(scopes)] };
}

function readAuthorizeParams(source: Record<string, unknown>): AuthorizeParams {
  const params: AuthorizeParams = {};
  for (const name of AUTHORIZE_PARAMS) params[name] = single(source[name]);
  return params;
}

function sendPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    })
    .send(html);
}

/** 302 to the client's redirect_uri with `extra` and the original `state`. */
function redirectBack(
  res: Response,
  redirectUri: string,
  extra: Record<string, string>,
  state?: string,
): void {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
  if (state !== undefined) url.searchParams.set('state', state);
  res.set('Cache-Control', 'no-store').redirect(302, url.toString());
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function signInCandidates(state: SandboxState): SandboxPerson[] {
  return [...state.people.values()].filter((p) => p.type === 'person');
}

/** The OAuth2 JSON error shape (RFC 6749 §5.2). */
function sendOAuthError(res: Response, status: number, error: string, description: string): void {
  res
    .status(status)
    .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
    .json({ error, error_description: description });
}

export interface OAuthRouterOptions {
  /** Clock, epoch ms. Default Date.now. Tests move it to expire codes and tokens. */
  now?: () => number;
}

/**
 * Routes `GET|POST /authorize` and `POST /access_token`.
 * @example app.use('/v1', oauthRouter(state));
 */
export function oauthRouter(state: SandboxState, options: OAuthRouterOptions = {}): Router {
  const now = options.now ?? Date.now;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/authorize', (req, res) => {
    const params = readAuthorizeParams(req.query);
    const check = checkAuthorizeRequest(state, params);
    if (check.kind === 'page') return sendPage(res, 400, renderErrorPage(check.message));
    if (check.kind === 'redirect') {
      return redirectBack(
        res,
        params.redirect_uri as string,
        { error: check.error, error_description: check.description },
        params.state,
      );
    }

    const people = signInCandidates(state);
    const hint = single(req.query.login_hint) ?? single(req.query.email);
    const fromCookie = cookieValue(req, 'sandbox_user');
    const selected =
      people.find((p) => p.id === fromCookie) ??
      (hint
        ? people.find((p) => p.emails.some((e) => e.toLowerCase() === hint.toLowerCase()))
        : undefined);
    const hidden: Record<string, string> = {};
    for (const name of AUTHORIZE_PARAMS) {
      const value = params[name];
      if (value !== undefined) hidden[name] = value;
    }
    sendPage(
      res,
      200,
      renderConsentPage({
        appName: sideOf(state).appNames.get(check.integration.clientId) ?? 'An integration',
        scopes: check.scopes,
        people: people.map((p) => ({
          id: p.id,
          displayName: p.displayName,
          email: p.emails[0] ?? '',
          admin: p.admin,
        })),
        selectedPersonId: selected?.id,
        action: `${req.baseUrl}/authorize`,
        hidden,
      }),
    );
  });

  router.post('/authorize', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params = readAuthorizeParams(body);
    const check = checkAuthorizeRequest(state, params);
    if (check.kind === 'page') return sendPage(res, 400, renderErrorPage(check.message));
    const redirectUri = params.redirect_uri as string;
    if (check.kind === 'redirect') {
      return redirectBack(
        res,
        redirectUri,
        { error: check.error, error_description: check.description },
        params.state,
      );
    }

    const decision = single(body.decision);
    if (decision === 'decline') {
      return redirectBack(res, redirectUri, { error: 'access_denied' }, params.state);
    }
    const personId = single(body.personId);
    const person = personId ? state.people.get(personId) : undefined;
    if (decision !== 'accept' || !person || person.type !== 'person') {
      return sendPage(
        res,
        400,
        renderErrorPage('Choose a person to sign in as, then Accept or Decline.'),
      );
    }
    res.cookie('sandbox_user', person.id, { httpOnly: true, sameSite: 'lax', path: '/' });
    if (!person.admin && check.scopes.some(isAdminScope)) {
      return redirectBack(
        res,
        redirectUri,
        {
          error: 'access_denied',
          error_description: 'Administrator scopes can only be granted by an administrator.',
        },
        params.state,
      );
    }

    const side = sideOf(state);
    const code = opaqueToken(32);
    side.codes.set(code, {
      clientId: check.integration.clientId,
      redirectUri,
      personId: person.id,
      scopes: check.scopes,
      codeChallenge: params.code_challenge as string,
      expiresAt: now() + side.lifetimes.codeSeconds * 1000,
    });
    redirectBack(res, redirectUri, { code }, params.state);
  });

  router.post('/access_token', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grantType = single(body.grant_type);
    const clientId = single(body.client_id);
    const clientSecret = single(body.client_secret);
    if (!grantType) return sendOAuthError(res, 400, 'invalid_request', 'grant_type is required.');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return sendOAuthError(
        res,
        400,
        'unsupported_grant_type',
        'grant_type must be authorization_code or refresh_token.',
      );
    }
    const integration = clientId ? state.integrations.get(clientId) : undefined;
    if (!integration || !clientSecret || !secretsEqual(clientSecret, integration.clientSecret)) {
      return sendOAuthError(res, 401, 'invalid_client', 'Client authentication failed.');
    }
    const side = sideOf(state);
    const issuedAt = now();

    const issueAccessToken = (personId: string, scopes: string[]) => {
      const token = opaqueToken(48);
      state.tokens.set(token, {
        token,
        personId,
        scopes,
        kind: 'oauth',
        clientId: integration.clientId,
        expiresAt: issuedAt + side.lifetimes.accessSeconds * 1000,
      });
      return token;
    };

    if (grantType === 'authorization_code') {
      const code = single(body.code);
      if (!code) return sendOAuthError(res, 400, 'invalid_request', 'code is required.');
      const pending = side.codes.get(code);
      // Single use: any attempt with a known code spends it, failed or not.
      side.codes.delete(code);
      if (!pending || pending.clientId !== integration.clientId) {
        return sendOAuthError(
          res,
          400,
          'invalid_grant',
          'The code is invalid or was already used.',
        );
      }
      if (pending.expiresAt <= issuedAt) {
        return sendOAuthError(res, 400, 'invalid_grant', 'The code has expired.');
      }
      if (single(body.redirect_uri) !== pending.redirectUri) {
        return sendOAuthError(
          res,
          400,
          'invalid_grant',
          'redirect_uri does not match the authorization request.',
        );
      }
      const verifier = single(body.code_verifier);
      if (!verifier || !isValidVerifier(verifier) || !verifyPkce(verifier, pending.codeChallenge)) {
        return sendOAuthError(
          res,
          400,
          'invalid_grant',
          'code_verifier does not match code_challenge.',
        );
      }
      const accessToken = issueAccessToken(pending.personId, pending.scopes);
      const refreshToken = opaqueToken(48);
      state.refreshTokens.set(refreshToken, {
        token: refreshToken,
        personId: pending.personId,
        scopes: pending.scopes,
        clientId: integration.clientId,
        expiresAt: issuedAt + side.lifetimes.refreshSeconds * 1000,
      });
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({
        access_token: accessToken,
        expires_in: side.lifetimes.accessSeconds,
        refresh_token: refreshToken,
        refresh_token_expires_in: side.lifetimes.refreshSeconds,
        token_type: 'Bearer',
        scope: pending.scopes.join(' '),
      });
      return;
    }

    const refreshToken = single(body.refresh_token);
    if (!refreshToken)
      return sendOAuthError(res, 400, 'invalid_request', 'refresh_token is required.');
    const stored = state.refreshTokens.get(refreshToken);
    if (!stored || stored.clientId !== integration.clientId || stored.expiresAt <= issuedAt) {
      return sendOAuthError(
        res,
        400,
        'invalid_grant',
        'The refresh token is invalid or has expired.',
      );
    }
    // As Webex does: a new access token, the same refresh token with its remaining lifetime.
    const accessToken = issueAccessToken(stored.personId, stored.scopes);
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({
      access_token: accessToken,
      expires_in: side.lifetimes.accessSeconds,
      refresh_token: stored.token,
      refresh_token_expires_in: Math.floor((stored.expiresAt - issuedAt) / 1000),
      token_type: 'Bearer',
      scope: stored.scopes.join(' '),
    });
  });

  return router;
}
