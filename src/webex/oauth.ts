import type { AxiosResponse } from 'axios';
import type { WebexHttp } from './client';
import { OAuthGrantError, WebexApiError, messageFromBody, trackingIdFromBody } from './errors';

/** Tokens from `POST /access_token`, with absolute expiry times. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
  /** Granted scopes, when Webex says (space-separated `scope` in the answer). */
  scopes?: string[];
}

export interface ExchangeCodeParams {
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

export interface RefreshParams {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/**
 * Trades an authorization code (+ PKCE verifier) for tokens.
 * Throws OAuthGrantError (code 'invalid_grant') when the code is used/expired.
 *
 * @example
 * const tokens = await exchangeCode(http, { clientId, clientSecret, code, redirectUri, codeVerifier });
 */
export function exchangeCode(http: WebexHttp, p: ExchangeCodeParams): Promise<OAuthTokens> {
  return tokenRequest(
    http,
    {
      grant_type: 'authorization_code',
      client_id: p.clientId,
      client_secret: p.clientSecret,
      code: p.code,
      redirect_uri: p.redirectUri,
      code_verifier: p.codeVerifier,
    },
    [p.clientSecret, p.code, p.codeVerifier],
  );
}

/**
 * Gets a fresh access token. Throws OAuthGrantError when the refresh token is no longer valid
 * (the person must link again).
 *
 * @example
 * const tokens = await refreshAccessToken(http, { clientId, clientSecret, refreshToken });
 */
export function refreshAccessToken(http: WebexHttp, p: RefreshParams): Promise<OAuthTokens> {
  return tokenRequest(
    http,
    {
      grant_type: 'refresh_token',
      client_id: p.clientId,
      client_secret: p.clientSecret,
      refresh_token: p.refreshToken,
    },
    [p.clientSecret, p.refreshToken],
  );
}

async function tokenRequest(
  http: WebexHttp,
  form: Record<string, string>,
  secrets: string[],
): Promise<OAuthTokens> {
  const requestedAt = Date.now();
  // 400/401 are answered here (not by the retry layer) so we can read the OAuth `error` field;
  // 429 and 5xx still go through the retry layer.
  const response: AxiosResponse<Record<string, unknown>> = await http.post(
    '/access_token',
    new URLSearchParams(form),
    { validateStatus: (s) => (s >= 200 && s < 300) || s === 400 || s === 401 },
  );
  const body = response.data ?? {};
  if (response.status >= 400) {
    const details = {
      status: response.status,
      trackingId: trackingIdFromBody(body) ?? headerOf(response, 'trackingid'),
      method: 'POST',
      path: '/access_token',
    };
    const text = scrub(messageFromBody(body) ?? 'token request refused', secrets);
    if (body.error === 'invalid_grant') {
      throw new OAuthGrantError(`Webex OAuth: invalid_grant: ${text}`, details);
    }
    throw new WebexApiError(
      `Webex OAuth token request failed with ${response.status}: ${text}`,
      details,
    );
  }
  const accessToken = body.access_token;
  const refreshToken = body.refresh_token;
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string') {
    throw new WebexApiError('Webex OAuth answer has no access_token/refresh_token', {
      status: response.status,
      method: 'POST',
      path: '/access_token',
    });
  }
  const tokens: OAuthTokens = {
    accessToken,
    refreshToken,
    accessExpiresAt: new Date(requestedAt + seconds(body.expires_in, 14 * 86400) * 1000),
    refreshExpiresAt: new Date(
      requestedAt + seconds(body.refresh_token_expires_in, 90 * 86400) * 1000,
    ),
  };
  if (typeof body.scope === 'string' && body.scope.trim()) {
    tokens.scopes = body.scope.trim().split(/\s+/);
  }
  return tokens;
}

function seconds(v: unknown, fallback: number): number {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Webex should never echo our secrets, but make sure an error message cannot carry them. */
function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}

function headerOf(response: AxiosResponse, name: string): string | undefined {
  const v: unknown = response.headers?.[name];
  return typeof v === 'string' ? v : undefined;
}
