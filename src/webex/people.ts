import { bearer, type WebexHttp } from './client';
import type { Me } from './types';

/**
 * The person who owns `token` (`GET /people/me`; needs `spark:people_read`).
 *
 * @example
 * const me = await getMe(http, accessToken); // { id, emails, displayName, timezone? }
 */
export async function getMe(http: WebexHttp, token: string): Promise<Me> {
  const { data } = await http.get<Record<string, unknown>>('/people/me', {
    headers: bearer(token),
  });
  const me: Me = {
    id: String(data.id ?? ''),
    emails: Array.isArray(data.emails) ? data.emails.map(String) : [],
    displayName: String(data.displayName ?? ''),
  };
  if (typeof data.timezone === 'string' && data.timezone) me.timezone = data.timezone;
  return me;
}
