/**
 * Who is outside the organisation (ORG_EMAIL_DOMAINS). Decided by the email's domain alone,
 * never by a display name. Pure.
 */

/** The domain of an address, lower case without a trailing dot; '' when there is none. */
function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase()
        .replace(/\.$/, '');
}

/**
 * True when `email` is outside the organisation: its domain is none of `orgDomains` nor a
 * subdomain of one (case-insensitive). With no `orgDomains`, the requester's own domain is
 * the organisation. An address without a domain cannot be shown to be inside, so it counts
 * as external.
 * @example isExternal('eve@outside.example', ['corp.example'], 'ann@corp.example') // true
 * @example isExternal('bob@eu.corp.example', ['corp.example'], 'ann@corp.example') // false
 * @example isExternal('bob@Corp.Example', [], 'ann@corp.example') // false
 */
export function isExternal(
  email: string,
  orgDomains: readonly string[],
  requesterEmail: string,
): boolean {
  const domain = domainOf(email);
  if (!domain) return true;
  const inside = (orgDomains.length > 0 ? orgDomains : [domainOf(requesterEmail)])
    .map((d) => d.trim().toLowerCase().replace(/\.$/, ''))
    .filter(Boolean);
  return !inside.some((org) => domain === org || domain.endsWith(`.${org}`));
}
