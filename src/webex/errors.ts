import axios, { type AxiosError, type AxiosRequestConfig } from 'axios';

/**
 * Typed errors for calls to the Webex REST API.
 *
 * Security rule: these errors carry only what is safe to log or show (status, trackingId,
 * Webex's own message, method and path). They never keep the request config, headers, body
 * or the axios error itself, because those hold the bearer token, client secret or codes.
 */

/** Fields common to every Webex error, safe to log. */
export interface WebexErrorDetails {
  status?: number;
  trackingId?: string;
  /** Seconds Webex asked us to wait (Retry-After), when it said. */
  retryAfter?: number;
  method?: string;
  /** URL path only (no query string, no host): the query may carry e-mail addresses. */
  path?: string;
}

/** Base class: every Webex error has a stable `code` for callers and logs. */
export abstract class WebexError extends Error {
  abstract readonly code: string;
  readonly status?: number;
  readonly trackingId?: string;
  readonly retryAfter?: number;
  readonly method?: string;
  readonly path?: string;

  protected constructor(message: string, details: WebexErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.status = details.status;
    this.trackingId = details.trackingId;
    this.retryAfter = details.retryAfter;
    this.method = details.method;
    this.path = details.path;
  }

  /** Explicit, whitelisted serialisation so `JSON.stringify(err)` is safe and useful. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      trackingId: this.trackingId,
      retryAfter: this.retryAfter,
      method: this.method,
      path: this.path,
    };
  }
}

/**
 * A non-success answer from Webex (4xx/5xx), after any retries.
 *
 * @example
 * catch (e) { if (e instanceof WebexApiError && e.status === 404) reply(`Not found (${e.trackingId})`); }
 */
export class WebexApiError extends WebexError {
  readonly code: string = 'webex_api_error';
  constructor(message: string, details: WebexErrorDetails = {}) {
    super(message, details);
  }
}

/** 401: the token is invalid or expired; the caller should refresh or ask to re-link. */
export class WebexUnauthorizedError extends WebexApiError {
  override readonly code = 'webex_unauthorized';
}

/** Rate limiting (429, or 423 locked) outlasted the retry budget or maxRetryAfterMs. */
export class WebexRateLimitedError extends WebexApiError {
  override readonly code = 'webex_rate_limited';
}

/** Every attempt timed out. */
export class WebexTimeoutError extends WebexError {
  readonly code = 'webex_timeout';
  constructor(message: string, details: WebexErrorDetails = {}) {
    super(message, details);
  }
}

/** Webex could not be reached (connection reset/refused, DNS…) within the retry budget. */
export class WebexNetworkError extends WebexError {
  readonly code = 'webex_network_error';
  /** Node's error code, e.g. ECONNRESET. */
  readonly errno?: string;
  constructor(message: string, details: WebexErrorDetails & { errno?: string } = {}) {
    super(message, details);
    this.errno = details.errno;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errno: this.errno };
  }
}

/**
 * The OAuth token endpoint refused a grant (`{error: 'invalid_grant'}`): the code was used or
 * expired, or the refresh token was revoked. The person has to link their account again.
 */
export class OAuthGrantError extends WebexError {
  readonly code = 'invalid_grant';
  constructor(message: string, details: WebexErrorDetails = {}) {
    super(message, details);
  }
}

/** Webex's JSON error body: `{message, errors: [{description}], trackingId}`. */
interface WebexErrorBody {
  message?: unknown;
  errors?: unknown;
  trackingId?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** Human-readable message from a Webex error body, or undefined when it has none. */
export function messageFromBody(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as WebexErrorBody;
  const descriptions = Array.isArray(b.errors)
    ? b.errors
        .map((e: unknown) =>
          e && typeof e === 'object' ? (e as { description?: unknown }).description : undefined,
        )
        .filter((d): d is string => typeof d === 'string' && d.length > 0)
    : [];
  const main = typeof b.message === 'string' && b.message ? b.message : undefined;
  const extra = descriptions.filter((d) => d !== main);
  const parts = [main, ...extra].filter((p): p is string => !!p);
  if (parts.length > 0) return parts.join('; ');
  if (typeof b.error_description === 'string' && b.error_description) return b.error_description;
  if (typeof b.error === 'string' && b.error) return b.error;
  return undefined;
}

/** trackingId from the body, else undefined (the header is read by the caller). */
export function trackingIdFromBody(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const t = (body as WebexErrorBody).trackingId;
  return typeof t === 'string' && t ? t : undefined;
}

/**
 * Normalises anything thrown by a Webex call into a WebexError. Non-Webex errors become a
 * WebexNetworkError carrying only their message and code (never the original object).
 *
 * @example
 * try { await getMe(http, token); } catch (e) { const err = asWebexError(e); log.warn(err.toJSON()); }
 */
export function asWebexError(err: unknown): WebexError {
  if (err instanceof WebexError) return err;
  if (axios.isAxiosError(err)) return fromAxiosError(err);
  const errno =
    err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string'
      ? (err as { code: string }).code
      : undefined;
  const raw = err instanceof Error ? err.message : String(err);
  // A foreign error message could in theory echo a header; strip anything that looks like one.
  const message = raw.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
  return new WebexNetworkError(`Webex request failed: ${message}`, { errno });
}

/** Timeout codes axios uses (ETIMEDOUT with transitional.clarifyTimeoutError). */
export const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ECONNABORTED', 'ETIMEDOUT']);

export function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const v = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
  if (Array.isArray(v)) return v.length ? String(v[0]) : undefined;
  return v === undefined || v === null ? undefined : String(v);
}

export function trackingIdOf(error: AxiosError): string | undefined {
  return (
    trackingIdFromBody(error.response?.data) ?? headerValue(error.response?.headers, 'trackingid')
  );
}

/** Method and URL path (no host, no query) of a request, for logs and error messages. */
export function describeRequest(config: AxiosRequestConfig): { method: string; path?: string } {
  const method = (config.method ?? 'get').toUpperCase();
  const url = config.url ?? '';
  const full =
    isAbsoluteUrl(url) || !config.baseURL
      ? url
      : `${config.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  try {
    return { method, path: new URL(full, 'http://relative.invalid').pathname };
  } catch {
    return { method };
  }
}

/**
 * Converts a failed attempt into our typed error, copying only safe fields. The axios error
 * (and its config with the Authorization header) is deliberately not kept as `cause`.
 */
export function fromAxiosError(error: unknown, config?: AxiosRequestConfig): WebexError {
  if (!axios.isAxiosError(error)) {
    if (error instanceof WebexError) return error;
    return new WebexNetworkError('Webex request failed before it was sent');
  }
  const where = describeRequest(config ?? error.config ?? {});
  const base: WebexErrorDetails = { method: where.method, path: where.path };
  const response = error.response;
  if (!response) {
    const code = error.code ?? 'unknown';
    if (TIMEOUT_CODES.has(code)) {
      return new WebexTimeoutError(`Webex ${where.method} ${where.path ?? ''} timed out`, base);
    }
    return new WebexNetworkError(
      `Webex ${where.method} ${where.path ?? ''} failed: network error ${code}`,
      { ...base, errno: code },
    );
  }
  const status = response.status;
  const trackingId = trackingIdOf(error);
  const retryAfter = retryAfterSeconds(error);
  const details: WebexErrorDetails = {
    ...base,
    status,
    trackingId,
    retryAfter: Number.isNaN(retryAfter) ? undefined : retryAfter,
  };
  const webexMessage = messageFromBody(response.data) ?? response.statusText ?? 'no message';
  const suffix = trackingId ? ` (trackingId ${trackingId})` : '';
  const message = `Webex ${where.method} ${where.path ?? ''} failed with ${status}: ${webexMessage}${suffix}`;
  if (status === 401) return new WebexUnauthorizedError(message, details);
  if (status === 429 || status === 423) return new WebexRateLimitedError(message, details);
  return new WebexApiError(message, details);
}

/** Retry-After in seconds (delta-seconds or HTTP date); NaN when absent or unreadable. */
export function retryAfterSeconds(error: AxiosError): number {
  const raw = headerValue(error.response?.headers, 'retry-after');
  if (raw === undefined || raw.trim() === '') return NaN;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Number(raw.trim());
  const date = Date.parse(raw);
  return Number.isNaN(date) ? NaN : Math.max(0, (date - Date.now()) / 1000);
}

export function isAbsoluteUrl(url: string): boolean {
  return /^[a-z][a-z\d+\-.]*:\/\//i.test(url);
}
