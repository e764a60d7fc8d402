import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';

export type ZoneSource = 'command' | 'setting' | 'profile' | 'default';

export interface ResolvedZone {
  /** Canonical IANA name, e.g. `Europe/Berlin`. */
  zone: string;
  source: ZoneSource;
  /** For the card: "from your command", "from your settings", ... */
  phrase: string;
  /** Candidates that were present but not valid zones (stale setting, odd profile value). */
  ignored: Array<{ source: ZoneSource; zone: string }>;
}

export interface ZoneCandidates {
  /** `tz <zone>` on the command. */
  command?: string | null;
  /** The person's stored `timezone` setting. */
  setting?: string | null;
  /** `timezone` of their Webex profile (`GET /people/me`; only present when set). */
  profile?: string | null;
  /** `DEFAULT_TIMEZONE`; used even if invalid would be a config bug, so it falls back to UTC. */
  defaultZone: string;
}

const PHRASES: Record<ZoneSource, string> = {
  command: 'from your command',
  setting: 'from your settings',
  profile: 'from your Webex profile',
  default: "the bot's default",
};

/**
 * True when luxon (Intl) knows the IANA zone. Case-insensitive, like Intl.
 *
 * @example isValidZone('Europe/Berlin') // true; isValidZone('Mars/Base') // false
 */
export function isValidZone(zone: string | null | undefined): zone is string {
  if (typeof zone !== 'string') return false;
  const z = zone.trim();
  // Intl also accepts offsets such as "+05:00" on some Node versions; we want IANA names.
  if (z === '' || z.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(z)) return false;
  return validZones.memo(z);
}

/** Asked on every report; luxon builds an Intl.DateTimeFormat on each call. */
const validZones = new LRUCache<string, boolean>({
  max: 1_000,
  memoMethod: (zone) => IANAZone.isValidZone(zone),
});

/**
 * A well-spelled name for a valid zone, or null. Intl is case-insensitive but its canonical
 * names are sometimes legacy aliases (Asia/Kolkata → Asia/Calcutta), so the person's own
 * name is kept when it is an alias, with its casing fixed when they typed all lowercase.
 *
 * @example canonicalZone('europe/berlin') // "Europe/Berlin"; canonicalZone('Asia/Kolkata') // "Asia/Kolkata"
 */
export function canonicalZone(zone: string | null | undefined): string | null {
  if (!isValidZone(zone)) return null;
  return canonicalZones.memo(zone.trim()) || null;
}

/**
 * Asked on every report; building an Intl.DateTimeFormat each time costs more than the rest.
 * `''` stands for "no canonical zone" (the cache holds no null).
 */
const canonicalZones = new LRUCache<string, string>({
  max: 1_000,
  memoMethod: (typed) => findCanonicalZone(typed) ?? '',
});

function findCanonicalZone(typed: string): string | null {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: typed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (resolved.toLowerCase() === typed.toLowerCase()) return resolved;
  if (typed !== typed.toLowerCase()) return typed;
  const titled = typed.replace(
    /(^|[/_-])([a-z])/g,
    (_m, sep: string, c: string) => sep + c.toUpperCase(),
  );
  return isValidZone(titled) ? titled : resolved;
}

/**
 * The requester's zone: `tz` on the command, then their setting, then their Webex profile,
 * then the bot's default. Invalid candidates are skipped and listed in `ignored`.
 *
 * @example
 * resolveZone({ setting: 'Asia/Kolkata', defaultZone: 'UTC' });
 * // { zone: 'Asia/Kolkata', source: 'setting', phrase: 'from your settings', ignored: [] }
 */
export function resolveZone(c: ZoneCandidates): ResolvedZone {
  const ignored: ResolvedZone['ignored'] = [];
  const order: Array<[ZoneSource, string | null | undefined]> = [
    ['command', c.command],
    ['setting', c.setting],
    ['profile', c.profile],
    ['default', c.defaultZone],
  ];
  for (const [source, value] of order) {
    if (value === undefined || value === null || value.trim() === '') continue;
    const zone = canonicalZone(value);
    if (zone) return { zone, source, phrase: PHRASES[source], ignored };
    ignored.push({ source, zone: value });
  }
  return { zone: 'UTC', source: 'default', phrase: PHRASES.default, ignored };
}

/**
 * A time for people: luxon DATETIME_MED plus the short zone name, in the given locale.
 * An unknown locale falls back to en-US.
 *
 * @example
 * formatAccessTime(Date.parse('2020-07-13T17:05:35Z'), 'America/Los_Angeles', 'en-US');
 * // "Jul 13, 2020, 10:05 AM PDT"
 */
export function formatAccessTime(
  dt: DateTime | number | null,
  zone: string,
  locale: string,
): string {
  if (dt === null) return '—';
  const millis = typeof dt === 'number' ? dt : dt.isValid ? dt.toMillis() : Number.NaN;
  if (!Number.isFinite(millis) || !isValidZone(zone)) return '—';
  return (
    accessTimeFormat(zone, safeLocale(locale))
      .format(millis)
      // ICU 72+ puts U+202F/U+00A0 before AM/PM; plain spaces keep output stable across Node builds.
      .replace(/[\u202f\u00a0]/g, ' ')
  );
}

/**
 * luxon's DATETIME_MED with the short zone name, as an Intl formatter kept per zone and
 * locale: a card formats a time per row, and building the formatter costs more than using it.
 */
function accessTimeFormat(zone: string, locale: string): Intl.DateTimeFormat {
  return accessTimeFormats.memo(`${zone} ${locale}`);
}

const accessTimeFormats = new LRUCache<string, Intl.DateTimeFormat>({
  max: 1_000,
  memoMethod: (key) => {
    const [zone, locale] = key.split(' ');
    return new Intl.DateTimeFormat(locale, {
      ...DateTime.DATETIME_MED,
      timeZone: zone,
      timeZoneName: 'short',
    });
  },
});

/** The locale if Intl supports it, else en-US. @example safeLocale('de-DE') // "de-DE" */
export function safeLocale(locale: string | null | undefined): string {
  if (!locale) return 'en-US';
  return safeLocales.memo(locale);
}

/** Asked several times per card; Intl's lookup is slow enough to show in profiles. */
const safeLocales = new LRUCache<string, string>({
  max: 1_000,
  memoMethod: (locale) => {
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en-US';
    } catch {
      return 'en-US'; // malformed tag (RangeError)
    }
  },
});

/**
 * A number formatter for a locale (en-US if Intl does not support it), kept per locale:
 * building one costs more than the rest of a small card's facts.
 * @example numberFormat('de-DE').format(2500) // "2.500"
 */
export function numberFormat(locale: string | null | undefined): Intl.NumberFormat {
  return numberFormats.memo(safeLocale(locale));
}

const numberFormats = new LRUCache<string, Intl.NumberFormat>({
  max: 1_000,
  memoMethod: (safe) => new Intl.NumberFormat(safe),
});

let allZones: string[] | undefined;
function zoneNames(): string[] {
  allZones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return allZones;
}

/**
 * A close real zone name for a mistyped one, or null: same name ignoring case/spaces,
 * a city name ("berlin", "new york"), or one or two typos.
 *
 * @example suggestZone('europe/berlinn') // "Europe/Berlin"
 */
export function suggestZone(input: string): string | null {
  const norm = input.trim().toLowerCase().replace(/\s+/g, '_');
  if (norm === '' || norm.length > 64) return null;
  const zones = zoneNames();
  const exact = zones.find((z) => z.toLowerCase() === norm);
  if (exact) return exact;
  const city = zones.find((z) => z.toLowerCase().split('/').pop() === norm);
  if (city) return city;
  let best: string | null = null;
  let bestDistance = 3;
  for (const z of zones) {
    const d = editDistance(norm, z.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = z;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * A friendly message for an unknown zone, with a suggestion when one is close.
 *
 * @example
 * zoneError('Europe/Berln');
 * // "“Europe/Berln” is not a time zone I know. Did you mean Europe/Berlin? ..."
 */
export function zoneError(input: string): string {
  const shown = input.trim().slice(0, 64);
  const suggestion = suggestZone(input);
  const start = shown ? `“${shown}” is not a time zone I know.` : 'Please name a time zone.';
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  return `${start}${hint} Use an IANA zone name such as Europe/Berlin or America/New_York.`;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        prev[j] + 1,
        cur[j - 1] + 1,
        prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return Math.min(prev[b.length], limit);
}
