import type { AxiosRequestConfig } from 'axios';
import { bearer, type WebexHttp } from './client';
import { WebexApiError } from './errors';
import { nextLink } from './link-header';

/** First request of a paged listing. */
export interface PageRequest {
  token: string;
  path: string;
  params: Record<string, string | number | undefined>;
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/**
 * Yields the `items` of each page, following `Link: <…>; rel="next"` until there is none.
 * The next URL is absolute and used as given (never rebuilt from offsets). It must stay on the
 * client's origin: we do not send a person's token to another host.
 */
export async function* iterateItems(
  http: WebexHttp,
  request: PageRequest,
): AsyncGenerator<unknown[], void, undefined> {
  const headers = { ...definedOnly(request.headers ?? {}), ...bearer(request.token) };
  let config: AxiosRequestConfig = {
    url: request.path,
    params: definedOnly(request.params),
    headers,
    signal: request.signal,
  };
  for (;;) {
    const response = await http.request<{ items?: unknown }>({ ...config, method: 'GET' });
    const items = response.data?.items;
    if (!Array.isArray(items)) {
      throw new WebexApiError(`Webex GET ${request.path} returned no items array`, {
        status: response.status,
        method: 'GET',
        path: request.path,
      });
    }
    yield items;
    const next = nextLink(headerString(response.headers, 'link'));
    if (!next) return;
    assertSameOrigin(next, http.defaults.baseURL, request.path);
    config = { url: next, headers, signal: request.signal };
  }
}

function assertSameOrigin(next: string, baseUrl: string | undefined, path: string): void {
  let ok = false;
  try {
    ok = !!baseUrl && new URL(next).origin === new URL(baseUrl).origin;
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new WebexApiError(
      `Webex GET ${path}: refusing to follow a next-page link to another host`,
      { method: 'GET', path },
    );
  }
}

function headerString(headers: unknown, name: string): string | undefined {
  const h = headers as { get?: (n: string) => unknown } | undefined;
  const v = typeof h?.get === 'function' ? h.get(name) : undefined;
  return typeof v === 'string' ? v : undefined;
}

function definedOnly<T>(o: Record<string, T | undefined>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<
    string,
    T
  >;
}
