import LinkHeader from 'http-link-header';

/**
 * The target of `rel="next"` in an RFC 8288 `Link` header, if any; parsing is http-link-header's
 * (several links, unquoted or multiple rel values, commas inside the `<…>` URL). A header it
 * cannot parse counts as "no next page": paging then ends instead of failing the listing.
 *
 * @example
 * nextLink('<https://webexapis.com/v1/x?cursor=abc>; rel="next"') // 'https://webexapis.com/v1/x?cursor=abc'
 * nextLink(undefined) // undefined
 */
export function nextLink(header?: string | null): string | undefined {
  if (!header) return undefined;
  try {
    return LinkHeader.parse(header).rel('next')[0]?.uri;
  } catch {
    return undefined;
  }
}
