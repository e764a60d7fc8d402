/**
 * One axios instance for every Webex REST call we make ourselves, with retries (a "transformer"
 * in grammY's sense): callers just `await http.get(...)` and get either data or a typed
 * WebexError.
 *
 * axios-retry runs the loop (re-issuing the request, waiting, stopping early on abort); the
 * Webex rules are ours, in {@link planRetry}: Retry-After on 429/423 (a too-long one fails at
 * once), a 504 on a paged listing halves `max` (in `params` or in the absolute Link URL),
 * a POST is not repeated after a 502/504 or a timeout (it may have acted), and one time budget
 * covers all attempts of a logical call. Whatever fails ends as our own typed error, never
 * the axios error (it holds the Authorization header).
 */
import axios, {
  type AxiosError,
  type AxiosInstance,
  type AxiosRequestConfig,
  type InternalAxiosRequestConfig,
} from 'axios';
import axiosRetry from 'axios-retry';
import {
  TIMEOUT_CODES,
  fromAxiosError,
  describeRequest,
  isAbsoluteUrl,
  retryAfterSeconds,
  trackingIdOf,
} from './errors';

/** Bookkeeping for one logical call, carried on the request config across retries. */
interface RetryState {
  startedAt: number;
  retries: number;
  /** What {@link planRetry} decided for the failure being retried now. */
  plan?: RetryDecision;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Internal: retry bookkeeping of the Webex client. */
    webexRetryState?: RetryState;
  }
}

export interface WebexRetryOptions {
  /** Total time one logical call may spend, attempts and waits included. Default 60 s. */
  budgetMs?: number;
  /** Longest Retry-After we accept; a longer one fails at once with WebexRateLimitedError. Default 30 s. */
  maxRetryAfterMs?: number;
  /** First backoff delay for 5xx and network errors (doubles each retry, with jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** Cap of a single backoff delay. Default 8 s. */
  maxDelayMs?: number;
  /** Safety cap on retries, whatever the budget says. Default 10. */
  maxRetries?: number;
}

/** Minimal logger (pino-compatible). */
export interface WebexHttpLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface WebexHttpOptions {
  /** REST base, e.g. `https://webexapis.com/v1` (WEBEX_API_URL). */
  baseUrl: string;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  retry?: WebexRetryOptions;
  logger?: WebexHttpLogger;
}

/** The Webex HTTP client: a plain axios instance with retries and typed errors installed. */
export type WebexHttp = AxiosInstance;

const DEFAULT_RETRY: Required<WebexRetryOptions> = {
  budgetMs: 60_000,
  maxRetryAfterMs: 30_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetries: 10,
};

/** Network failures worth another attempt. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN']);
/** Methods that may be repeated after a failure whose effect on the server is unknown. */
const IDEMPOTENT = new Set(['get', 'head', 'options', 'put', 'delete']);

/**
 * Creates the Webex HTTP client. The token is never stored on it: pass it per call with
 * {@link bearer}.
 *
 * @example
 * const http = createWebexHttp({ baseUrl: 'https://webexapis.com/v1', retry: { budgetMs: 60_000 } });
 * const me = await http.get('/people/me', { headers: bearer(token) });
 */
export function createWebexHttp(options: WebexHttpOptions): WebexHttp {
  const retry = { ...DEFAULT_RETRY, ...stripUndefined(options.retry ?? {}) };
  const instance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    timeout: options.timeoutMs ?? 30_000,
    headers: { Accept: 'application/json' },
    // Error bodies are parsed too, so we can read Webex's message and trackingId.
    responseType: 'json',
    // The REST calls we make are not redirected. Not following redirects keeps a bearer token
    // from ever being sent on to another URL, and skips follow-redirects on every request.
    maxRedirects: 0,
  });

  instance.interceptors.request.use((config: InternalAxiosRequestConfig) => {
    config.webexRetryState ??= { startedAt: Date.now(), retries: 0 };
    return config;
  });

  axiosRetry(instance, {
    retries: retry.maxRetries,
    // The timeout is per attempt; the budget bounds the whole call.
    shouldResetTimeout: true,
    retryCondition: (error) => {
      const config = error.config;
      if (!config) return false;
      const state = (config.webexRetryState ??= { startedAt: Date.now(), retries: 0 });
      state.plan = planRetry(error, state, retry);
      return state.plan.kind === 'retry';
    },
    retryDelay: (_count, error) => retryPlanOf(error.config)?.delayMs ?? 0,
    onRetry: (_count, error, config) => {
      const plan = retryPlanOf(config);
      const state = config.webexRetryState;
      if (!plan || !state) return;
      const details = describeRequest(config);
      options.logger?.warn(
        {
          method: details.method,
          path: details.path,
          status: error.response?.status,
          errno: error.response ? undefined : error.code,
          trackingId: trackingIdOf(error),
          retry: state.retries + 1,
          delayMs: plan.delayMs,
        },
        `Webex call failed; retrying (${plan.reason})`,
      );
      if (plan.halveMax) halveMax(config);
      state.retries += 1;
    },
  });

  // Registered after axios-retry, so it sees only failures that will not be retried.
  instance.interceptors.response.use(undefined, (error: unknown) => {
    throw fromAxiosError(error);
  });

  return instance;
}

/**
 * Authorization header for one call.
 *
 * @example
 * await http.get('/people/me', { headers: bearer(token) });
 */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

interface RetryPlan {
  kind: 'retry';
  delayMs: number;
  reason: string;
  /** A 504 on a page: ask for half as many items next time. */
  halveMax?: boolean;
}
type RetryDecision = RetryPlan | { kind: 'fail' };

function retryPlanOf(config: AxiosRequestConfig | undefined): RetryPlan | undefined {
  const plan = config?.webexRetryState?.plan;
  return plan?.kind === 'retry' ? plan : undefined;
}

/** Whether, when and how to repeat a failed call: the Webex rules, apart from the loop. */
function planRetry(
  error: AxiosError,
  state: RetryState,
  retry: Required<WebexRetryOptions>,
): RetryDecision {
  const config: AxiosRequestConfig = error.config ?? {};
  const remainingMs = retry.budgetMs - (Date.now() - state.startedAt);
  const fail = (): RetryDecision => ({ kind: 'fail' });
  if (config.signal?.aborted || axios.isCancel(error)) return fail();
  if (state.retries >= retry.maxRetries) return fail();
  const backoff = backoffDelay(state.retries, retry);
  const status = error.response?.status;

  if (status === 429 || status === 423) {
    const retryAfterMs = retryAfterSeconds(error) * 1000;
    if (Number.isNaN(retryAfterMs)) {
      // 423 without Retry-After (or an unreadable one): plain backoff.
      return backoff <= remainingMs
        ? { kind: 'retry', delayMs: backoff, reason: `${status} without Retry-After` }
        : fail();
    }
    if (retryAfterMs > retry.maxRetryAfterMs || retryAfterMs > remainingMs) return fail();
    return { kind: 'retry', delayMs: retryAfterMs, reason: `${status} Retry-After` };
  }

  if (status === 504 && hasMaxAbove1(config)) {
    // Webex: 504 means the page was too large to build in time; ask for half as many items.
    const delayMs = Math.min(backoff, retry.baseDelayMs);
    return delayMs <= remainingMs
      ? { kind: 'retry', delayMs, reason: '504, halving max', halveMax: true }
      : fail();
  }

  const method = (config.method ?? 'get').toLowerCase();
  // A 502 or 504 may come after the server acted: repeating a POST could post a message
  // twice or spend a single-use OAuth code. 503 means it was not handled, so it is safe.
  const repeatable = IDEMPOTENT.has(method) || status === 503;
  if ((status === 502 || status === 503 || status === 504) && repeatable) {
    return backoff <= remainingMs
      ? { kind: 'retry', delayMs: backoff, reason: `${status}` }
      : fail();
  }

  if (!error.response) {
    const code = error.code ?? '';
    const isTimeout = TIMEOUT_CODES.has(code);
    // A POST that may have reached the server is not repeated (it could post a message twice);
    // a refused connection never reached it, so that is always safe.
    const retryable =
      code === 'ECONNREFUSED' ||
      ((TRANSIENT_NETWORK_CODES.has(code) || isTimeout) && IDEMPOTENT.has(method));
    return retryable && backoff <= remainingMs
      ? { kind: 'retry', delayMs: backoff, reason: code || 'network error' }
      : fail();
  }

  return fail();
}

/** Exponential backoff with "equal jitter": between half and all of base·2^n, capped. */
function backoffDelay(retries: number, retry: Required<WebexRetryOptions>): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** retries);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function hasMaxAbove1(config: AxiosRequestConfig): boolean {
  const max = readMax(config);
  return max !== undefined && max > 1;
}

function readMax(config: AxiosRequestConfig): number | undefined {
  const fromParams = (config.params as Record<string, unknown> | undefined)?.max;
  if (fromParams !== undefined) return Number(fromParams);
  const fromUrl = urlOf(config)?.searchParams.get('max');
  return fromUrl ? Number(fromUrl) : undefined;
}

/** Halves `max` (at least 1) wherever it is: in `params` or in the (absolute Link) URL. */
function halveMax(config: AxiosRequestConfig): void {
  const max = readMax(config);
  if (max === undefined) return;
  const halved = Math.max(1, Math.floor(max / 2));
  const params = config.params as Record<string, unknown> | undefined;
  if (params?.max !== undefined) {
    config.params = { ...params, max: halved };
    return;
  }
  const url = urlOf(config);
  if (!url || !config.url) return;
  url.searchParams.set('max', String(halved));
  config.url = isAbsoluteUrl(config.url) ? url.toString() : `${url.pathname}${url.search}`;
}

function urlOf(config: AxiosRequestConfig): URL | undefined {
  if (!config.url) return undefined;
  try {
    return new URL(config.url, isAbsoluteUrl(config.url) ? undefined : 'http://relative.invalid');
  } catch {
    return undefined;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
