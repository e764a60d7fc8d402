/**
 * Recording references typed by people: a bare recording ID or a Webex recording link.
 * Pure; no network. Anything that is not clearly a webex.com link or a plausible ID is
 * refused, so a look-alike link never reaches the API.
 */

export type RecordingRefResult =
  { ok: true; id: string; from: 'id' | 'link' } | { ok: false; reason: string };

/** Hex IDs (32 chars), UUIDs and Webex base64url IDs, bounded. */
const ID_RE = /^[A-Za-z0-9_-]{16,128}$/;
const MAX_INPUT = 2048;
/** Query parameters that carry a recording ID in Webex links (compared case-insensitively). */
const ID_PARAMS = ['recordingid', 'rcid', 'recordid', 'id'];

/**
 * Parses a recording ID or a Webex recording link.
 *
 * @example
 * parseRecordingRef('https://acme.webex.com/recordingservice/sites/acme/recording/playback/0123456789abcdef0123456789abcdef');
 * // { ok: true, id: '0123456789abcdef0123456789abcdef', from: 'link' }
 * parseRecordingRef('https://webex.com.evil.example/x'); // { ok: false, reason: '...' }
 */
export function parseRecordingRef(input: string): RecordingRefResult {
  if (typeof input !== 'string') return fail('Give a recording ID or a Webex recording link.');
  let s = input.trim();
  if (s === '') return fail('Give a recording ID or a Webex recording link.');
  if (s.length > MAX_INPUT) return fail('That is too long to be a recording ID or link.');
  s = unwrap(s);

  if (ID_RE.test(s)) return { ok: true, id: s, from: 'id' };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[^/\s]+\.webex\.com\//i.test(s)) {
    return fail(
      'That does not look like a recording ID (16 to 128 letters, digits, - or _) or a Webex recording link.',
    );
  }
  return parseLink(/^https?:/i.test(s) ? s : `https://${s}`);
}

function parseLink(s: string): RecordingRefResult {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return fail('That link could not be read.');
  }
  if (url.protocol !== 'https:') return fail('Only https:// Webex recording links are accepted.');
  if (url.username || url.password) return fail('Links with a user name or password are refused.');
  if (url.port) return fail('That is not a Webex recording link (unexpected port).');
  const host = url.hostname.toLowerCase();
  if (host !== 'webex.com' && !/^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+webex\.com$/.test(host)) {
    return fail(`Only links on webex.com are accepted, not ${truncate(host, 80)}.`);
  }

  const fromPath = idFromPath(url.pathname) ?? idFromPath(url.hash.replace(/^#/, ''));
  if (fromPath) return { ok: true, id: fromPath, from: 'link' };
  for (const [key, value] of [...url.searchParams, ...hashParams(url.hash)]) {
    if (ID_PARAMS.includes(key.toLowerCase()) && ID_RE.test(value.trim())) {
      return { ok: true, id: value.trim(), from: 'link' };
    }
  }
  return fail('I could not find a recording ID in that link. Paste the recording ID instead.');
}

/**
 * Finds the ID after a `recording` path segment:
 * `/recording/playback/<id>`, `/recording/<id>/playback`, `/recording/<id>`,
 * also `/recordings/<id>` and `/share/<id>` under recordingservice or webappng.
 */
function idFromPath(pathname: string): string | null {
  const segments = pathname
    .split(/[/?]/)
    .filter(Boolean)
    .map((p) => safeDecode(p));
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i].toLowerCase();
    if (seg !== 'recording' && seg !== 'recordings') continue;
    let j = i + 1;
    while (
      j < segments.length &&
      ['playback', 'share', 'download'].includes(segments[j].toLowerCase())
    )
      j++;
    if (j < segments.length && ID_RE.test(segments[j])) return segments[j];
  }
  return null;
}

/** Query parameters inside a fragment such as `#/playback?recordingID=...`. */
function hashParams(hash: string): Array<[string, string]> {
  const q = hash.indexOf('?');
  if (q < 0) return [];
  return [...new URLSearchParams(hash.slice(q + 1))];
}

/** Removes wrappers that Webex and people add: `<url>`, backticks, quotes, markdown links. */
function unwrap(s: string): string {
  let out = s;
  for (let i = 0; i < 3; i++) {
    const md = /^\[[^\]]*\]\(([^()\s]+)\)$/.exec(out);
    if (md) out = md[1];
    out = trimEnd(trimEnd(trimStart(out.replace(/^<(.*)>$/s, '$1'), QUOTES), QUOTES), CLOSERS);
    out = out.trim();
  }
  return out;
}

const QUOTES = new Set(['`', '"', "'", '“', '”', '‘', '’', '*']);
const CLOSERS = new Set(['.', ',', ';', ':', '!', '?', ')']);

// Loops rather than `[…]+$` patterns, which are quadratic on a long run of these characters.
function trimStart(s: string, chars: ReadonlySet<string>): string {
  let start = 0;
  while (start < s.length && chars.has(s[start])) start++;
  return s.slice(start);
}

function trimEnd(s: string, chars: ReadonlySet<string>): string {
  let end = s.length;
  while (end > 0 && chars.has(s[end - 1])) end--;
  return s.slice(0, end);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function fail(reason: string): RecordingRefResult {
  return { ok: false, reason };
}
