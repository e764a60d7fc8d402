/**
 * Parses an RFC 8288 `Link` header and returns the target of `rel="next"`, if any.
 * Handles several links, unquoted `rel=next`, multiple rel values (`rel="next last"`),
 * other parameters, and commas inside the `<…>` URL.
 *
 * @example
 * nextLink('<https://webexapis.com/v1/x?cursor=abc>; rel="next"') // 'https://webexapis.com/v1/x?cursor=abc'
 * nextLink(undefined) // undefined
 */
export function nextLink(header?: string | null): string | undefined {
  if (!header) return undefined;
  // One link-value: <uri> followed by any number of ;param[=value] (value quoted or token).
  const linkValue = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,\s]*))?)*)/g;
  for (const match of header.matchAll(linkValue)) {
    const [, uri, params] = match;
    if (relValues(params ?? '').includes('next')) return uri;
  }
  return undefined;
}

function relValues(params: string): string[] {
  const param = /;\s*([^;,=\s]+)(?:\s*=\s*(?:"([^"]*)"|([^;,\s]*)))?/g;
  for (const m of params.matchAll(param)) {
    if (m[1]?.toLowerCase() === 'rel') {
      const value = m[2] ?? m[3] ?? '';
      return value.toLowerCase().split(/\s+/).filter(Boolean);
    }
  }
  return [];
}
