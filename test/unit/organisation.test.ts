/**
 * Who is outside the organisation: by email domain only, configured or the requester's own,
 * subdomains inside, look-alikes outside, case never mattering.
 */
import {
  emailDomain,
  externalTest,
  isExternal,
  normaliseDomain,
  organisationDomains,
} from '../../src/report/organisation';

describe('emailDomain', () => {
  it.each([
    ['joe@example.com', 'example.com'],
    ['Joe.Doe@EU.Example.COM', 'eu.example.com'],
    ['  joe@example.com  ', 'example.com'],
    ['joe@example.com.', 'example.com'],
    // The last @ decides: the part before it may be quoted and hold one.
    ['"odd@local"@example.org', 'example.org'],
  ])('%s → %s', (email, domain) => {
    expect(emailDomain(email)).toBe(domain);
  });

  it.each(['', 'no-at-sign', '@example.com', 'joe@', 'joe@exa mple.com', 'joe@a..b'])(
    'finds none in %j',
    (email) => {
      expect(emailDomain(email)).toBeUndefined();
    },
  );

  it('finds none in what is not a string', () => {
    expect(emailDomain(undefined)).toBeUndefined();
    expect(emailDomain(null)).toBeUndefined();
  });
});

describe('normaliseDomain', () => {
  it('takes domains as operators type them', () => {
    expect(normaliseDomain(' @Example.COM. ')).toBe('example.com');
    expect(normaliseDomain('.corp.example')).toBe('corp.example');
    expect(normaliseDomain('  ')).toBeUndefined();
    expect(normaliseDomain('a/b')).toBeUndefined();
  });
});

describe('organisationDomains', () => {
  it('is the configured list, cleaned and without repeats', () => {
    expect(
      organisationDomains(['Example.com', 'example.COM', ' corp.example '], 'x@y.test'),
    ).toEqual(['example.com', 'corp.example']);
  });

  it("is the requester's own domain when none is configured", () => {
    expect(organisationDomains([], 'Hana@Example.com')).toEqual(['example.com']);
    // Blank entries are no configuration.
    expect(organisationDomains(['', ' '], 'hana@example.com')).toEqual(['example.com']);
  });

  it('is empty when neither says anything', () => {
    expect(organisationDomains([], 'not an address')).toEqual([]);
  });
});

describe('isExternal', () => {
  const host = 'hana@example.com';

  it("with no ORG_EMAIL_DOMAINS, counts the requester's domain and its subdomains as inside", () => {
    expect(isExternal('joe@example.com', [], host)).toBe(false);
    expect(isExternal('brenda@eu.example.com', [], host)).toBe(false);
    expect(isExternal('a@deep.eu.example.com', [], host)).toBe(false);
    expect(isExternal('eve@outside.example', [], host)).toBe(true);
  });

  it('ignores case on both sides', () => {
    expect(isExternal('JOE@EXAMPLE.COM', [], 'Hana@Example.Com')).toBe(false);
    expect(isExternal('joe@Corp.Example', ['CORP.example'], host)).toBe(false);
  });

  it('refuses look-alike domains', () => {
    expect(isExternal('eve@notexample.com', [], host)).toBe(true);
    expect(isExternal('eve@example.com.evil.test', [], host)).toBe(true);
    expect(isExternal('eve@example.co', [], host)).toBe(true);
    expect(isExternal('eve@xample.com', [], host)).toBe(true);
  });

  it('uses the configured domains instead of the requester’s when there are some', () => {
    const org = ['corp.example', 'example.org'];
    expect(isExternal('joe@corp.example', org, host)).toBe(false);
    expect(isExternal('joe@sales.example.org', org, host)).toBe(false);
    // The requester's own domain is not inside unless it is listed.
    expect(isExternal('joe@example.com', org, host)).toBe(true);
  });

  it('never looks at a display name: only the address counts', () => {
    // An access whose name claims the organisation but whose address is outside is outside.
    expect(isExternal('eve@outside.example', [], host)).toBe(true);
    expect(isExternal('Hana Host <eve@outside.example>', [], host)).toBe(true);
  });

  it('counts an address without a domain as external (it cannot be shown to be inside)', () => {
    expect(isExternal('', [], host)).toBe(true);
    expect(isExternal('joe', [], host)).toBe(true);
  });

  it('counts everyone as external when there is no organisation to compare with', () => {
    expect(isExternal('joe@example.com', [], '')).toBe(true);
  });

  it('agrees with externalTest, which works the domains out once', () => {
    const outside = externalTest(['example.com'], host);
    for (const email of ['a@example.com', 'b@x.example.com', 'c@other.test', '']) {
      expect(outside(email)).toBe(isExternal(email, ['example.com'], host));
    }
  });
});
