/**
 * Who is inside the organisation: judged by the email domain alone, never by a display name
 * (anyone can call themselves anything). Pure.
 *
 * The organisation is ORG_EMAIL_DOMAINS (a comma list); when that is empty, the requester's
 * own email domain. A subdomain of an organisation domain is inside (`eu.example.com` is
 * `example.com`'s), a look-alike is not (`notexample.com`, `example.com.evil.test`). Case does
 * not matter. An address without a readable domain cannot be shown to be inside, so it counts
 * as external: the marking errs towards drawing attention.
 */

/**
 * The domain of an address, lowercased, without a trailing dot; undefined when there is none.
 * @example emailDomain('Joe.Doe@EU.Example.com') // "eu.example.com"
 * @example emailDomain('no-at-sign') // undefined
 */
export function emailDomain(email: string | null | undefined): string | undefined {
  if (typeof email !== 'string') return undefined;
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return undefined;
  return normaliseDomain(trimmed.slice(at + 1));
}

/**
 * A domain as configured or typed, in the form {@link emailDomain} gives: lowercased, without
 * a leading `@` or `.` and a trailing `.`; undefined when nothing usable is left.
 * @example normaliseDomain(' @Example.COM. ') // "example.com"
 */
export function normaliseDomain(domain: string): string | undefined {
  const cleaned = domain
    .trim()
    .toLowerCase()
    .replace(/^[@.]+/, '')
    .replace(/\.+$/, '');
  if (cleaned === '' || /[\s@/\\]/.test(cleaned) || cleaned.includes('..')) return undefined;
  return cleaned;
}

/**
 * The domains that count as the organisation: the configured ones, or else the requester's.
 * @example organisationDomains([], 'hana@example.com') // ['example.com']
 * @example organisationDomains(['Example.com', 'example.org'], 'x@other.test') // ['example.com', 'example.org']
 */
export function organisationDomains(
  orgDomains: readonly string[],
  requesterEmail: string,
): string[] {
  const configured = orgDomains.map(normaliseDomain).filter((d): d is string => d !== undefined);
  if (configured.length > 0) return [...new Set(configured)];
  const own = emailDomain(requesterEmail);
  return own ? [own] : [];
}

/**
 * A test for many addresses against one organisation (the domains are worked out once).
 * @example const outside = externalTest([], 'hana@example.com'); outside('eve@outside.example') // true
 */
export function externalTest(
  orgDomains: readonly string[],
  requesterEmail: string,
): (email: string) => boolean {
  const inside = organisationDomains(orgDomains, requesterEmail);
  return (email) => {
    const domain = emailDomain(email);
    if (domain === undefined) return true;
    return !inside.some((org) => domain === org || domain.endsWith(`.${org}`));
  };
}

/**
 * Whether `email` is outside the organisation (see the top of this file).
 * @example isExternal('brenda@eu.example.com', [], 'hana@example.com') // false
 * @example isExternal('eve@example.com.evil.test', ['example.com'], 'hana@example.com') // true
 */
export function isExternal(
  email: string,
  orgDomains: readonly string[],
  requesterEmail: string,
): boolean {
  return externalTest(orgDomains, requesterEmail)(email);
}
