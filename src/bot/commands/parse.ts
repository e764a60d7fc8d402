/**
 * Parses what a person typed to the bot (mention already stripped) into a command.
 * Pure: no I/O. Keywords are case-insensitive; extra spaces, newlines, a leading `/` and
 * trailing punctuation are tolerated. Mistakes come back as `{ kind: 'error' }` with a
 * message that can be shown as is.
 */
import { canonicalZone, zoneError } from '../../report/time';
import { WATCH_DEFAULT_DAYS, WATCH_MAX_DAYS, type WatchFilter } from '../../report/watch';
import { parseRecordingRef } from './recording-ref';

export type ParseErrorCode =
  | 'missing-recording'
  | 'bad-recording'
  | 'bad-email'
  | 'missing-email'
  | 'missing-zone'
  | 'bad-zone'
  | 'unknown-option'
  | 'duplicate-option'
  | 'bad-locale';

export interface ParseError {
  code: ParseErrorCode;
  /** Friendly, complete sentence(s) for the person. Plain text: escape it before rendering. */
  message: string;
  /** The offending input, when there is one (already truncated). */
  value?: string;
}

export type ParsedCommand =
  | {
      kind: 'audit';
      /** The recording ID (taken out of a link if a link was given). */
      recordingId: string;
      /** `host <email>` (admins auditing someone else's recording). */
      hostEmail?: string;
      /** `tz <zone>`, canonical IANA name. */
      zone?: string;
    }
  | { kind: 'connect'; admin: boolean }
  | { kind: 'disconnect' }
  /** `timezone <zone>` → set; `timezone auto` → use the Webex profile; bare `timezone` → show. */
  | { kind: 'timezone'; mode: 'set'; zone: string }
  | { kind: 'timezone'; mode: 'auto' }
  | { kind: 'timezone'; mode: 'show' }
  /** `recordings [days] [all | host <email>]`: recent recordings to pick from. */
  | { kind: 'recordings'; days: number; host?: string }
  /** `locale <tag>` → set; `locale auto` → the bot's default; bare `locale` → show. */
  | { kind: 'locale'; mode: 'set'; locale: string }
  | { kind: 'locale'; mode: 'auto' }
  | { kind: 'locale'; mode: 'show' }
  | { kind: 'settings' }
  | { kind: 'help' }
  /** `digest weekly [all] [always]` → subscribe; `digest off` → stop; bare `digest` → show. */
  | { kind: 'digest'; mode: 'weekly'; always: boolean; allHosts: boolean }
  | { kind: 'digest'; mode: 'off' }
  | { kind: 'digest'; mode: 'show' }
  /** `usage [days]`: the bot's usage log as a CSV (admins). */
  | { kind: 'usage'; days: number }
  /** `watch <recording> [downloads | external] [for <days>] [host <email>]`. */
  | {
      kind: 'watch';
      recordingId: string;
      hostEmail?: string;
      filter: WatchFilter;
      days: number;
    }
  | { kind: 'watches' }
  /** `unwatch <recording>` or `unwatch all`. */
  | { kind: 'unwatch'; recordingId: string }
  | { kind: 'unwatch'; all: true }
  | { kind: 'error'; command: string; error: ParseError }
  /** Anything else; `text` is the cleaned input, at most 200 characters. */
  | { kind: 'unknown'; text: string };

const MAX_TOKENS = 50;
const EMAIL_RE =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const AUDIT_USAGE = 'Usage: audit <recording ID or link> [host <email>] [tz <time zone>]';

/**
 * Parses one message.
 *
 * @example
 * parseCommand('Audit https://acme.webex.com/.../playback/0123456789abcdef0123456789abcdef tz Europe/Berlin');
 * // { kind: 'audit', recordingId: '0123456789abcdef0123456789abcdef', zone: 'Europe/Berlin' }
 * parseCommand('audit'); // { kind: 'error', command: 'audit', error: { code: 'missing-recording', ... } }
 */
export function parseCommand(text: string): ParsedCommand {
  const raw = typeof text === 'string' ? text : '';
  // "?" alone would be eaten by the trailing-punctuation rule below.
  if (/^\s*\/?\s*\?+\s*$/.test(raw)) return { kind: 'help' };
  const cleaned = clean(raw);
  const tokens = cleaned.split(' ').filter(Boolean).slice(0, MAX_TOKENS);
  if (tokens.length === 0) return { kind: 'unknown', text: '' };
  const [word, ...args] = tokens;

  switch (stripWrappers(word).toLowerCase()) {
    case 'audit':
      return parseAudit(args);
    case 'connect':
      if (args.length === 0) return { kind: 'connect', admin: false };
      if (args.length === 1 && stripWrappers(args[0]).toLowerCase() === 'admin') {
        return { kind: 'connect', admin: true };
      }
      return unknownOption('connect', args[0], 'Use "connect" or "connect admin".');
    case 'disconnect':
      // Extra words could be a typo for something else; disconnect deletes tokens, so refuse.
      if (args.length > 0) return unknownOption('disconnect', args[0], 'Use "disconnect" alone.');
      return { kind: 'disconnect' };
    case 'timezone':
    case 'tz':
      return parseTimezone(args);
    case 'recordings':
      return parseRecordings(args);
    case 'locale':
      return parseLocale(args);
    case 'settings':
      if (args.length > 0) return unknownOption('settings', args[0], 'Use "settings" alone.');
      return { kind: 'settings' };
    case 'help':
      return { kind: 'help' };
    case 'digest':
      return parseDigest(args);
    case 'usage':
      return parseUsage(args);
    case 'watch':
      return parseWatch(args);
    case 'watches':
      if (args.length > 0) return unknownOption('watches', args[0], 'Use "watches" alone.');
      return { kind: 'watches' };
    case 'unwatch':
      return parseUnwatch(args);
    default:
      return { kind: 'unknown', text: cleaned.slice(0, 200) };
  }
}

function parseAudit(args: string[]): ParsedCommand {
  const err = (error: ParseError): ParsedCommand => ({ kind: 'error', command: 'audit', error });
  let recording: string | undefined;
  let hostEmail: string | undefined;
  let zone: string | undefined;

  for (let i = 0; i < args.length; i++) {
    const keyword = stripWrappers(args[i]).toLowerCase();
    if (keyword === 'host') {
      if (hostEmail !== undefined) return err(duplicate('host'));
      const value = args[i + 1];
      if (value === undefined || isKeyword(value)) {
        return err({
          code: 'missing-email',
          message: `Put the host's email after "host", e.g. "host alice@example.com". ${AUDIT_USAGE}`,
        });
      }
      const email = stripWrappers(value).replace(/^mailto:/i, '');
      if (!isEmailAddress(email)) {
        return err({
          code: 'bad-email',
          message: `“${short(value)}” is not an email address. Use "host alice@example.com".`,
          value: short(value),
        });
      }
      hostEmail = email;
      i++;
    } else if (keyword === 'tz' || keyword === 'timezone') {
      if (zone !== undefined) return err(duplicate('tz'));
      const value = args[i + 1];
      if (value === undefined || isKeyword(value)) {
        return err({
          code: 'missing-zone',
          message: `Put a time zone after "tz", e.g. "tz Europe/Berlin" or "tz America/New_York".`,
        });
      }
      const canonical = canonicalZone(stripWrappers(value));
      if (!canonical) {
        return err({
          code: 'bad-zone',
          message: zoneError(stripWrappers(value)),
          value: short(value),
        });
      }
      zone = canonical;
      i++;
    } else if (recording === undefined) {
      recording = args[i];
    } else {
      return err({
        code: 'unknown-option',
        message: `I don't know the option “${short(args[i])}”. ${AUDIT_USAGE}`,
        value: short(args[i]),
      });
    }
  }

  return auditFromFields({ recording, hostEmail, zone });
}

/**
 * Checks the parts of an audit request wherever they came from (typed, or a card button)
 * and gives the command, or the error to show.
 * @example auditFromFields({ recording: '4f914b1dfe3c4d11a61730f18c0f5387' }) // { kind: 'audit', recordingId: '4f91…' }
 */
export function auditFromFields(fields: {
  recording?: string;
  hostEmail?: string;
  zone?: string;
}): ParsedCommand {
  const err = (error: ParseError): ParsedCommand => ({ kind: 'error', command: 'audit', error });
  const { recording, hostEmail } = fields;
  if (recording === undefined || recording === '') {
    return err({
      code: 'missing-recording',
      message: `Which recording? Give its ID or paste its link. ${AUDIT_USAGE}`,
    });
  }
  const ref = parseRecordingRef(recording);
  if (!ref.ok) {
    return err({
      code: 'bad-recording',
      message: `${ref.reason} ${AUDIT_USAGE}`,
      value: short(recording),
    });
  }
  if (hostEmail !== undefined && !isEmailAddress(hostEmail)) {
    return err({
      code: 'bad-email',
      message: `“${short(hostEmail)}” is not an email address. Use "host alice@example.com".`,
      value: short(hostEmail),
    });
  }
  const zone = fields.zone === undefined ? undefined : canonicalZone(fields.zone);
  if (zone === null) {
    const given = fields.zone ?? '';
    return err({ code: 'bad-zone', message: zoneError(given), value: short(given) });
  }
  return {
    kind: 'audit',
    recordingId: ref.id,
    ...(hostEmail !== undefined ? { hostEmail } : {}),
    ...(zone !== undefined ? { zone } : {}),
  };
}

function parseTimezone(args: string[]): ParsedCommand {
  if (args.length === 0) return { kind: 'timezone', mode: 'show' };
  const value = stripWrappers(args.join(' '));
  if (value.toLowerCase() === 'auto') return { kind: 'timezone', mode: 'auto' };
  const zone = args.length === 1 ? canonicalZone(value) : null;
  if (!zone) {
    return {
      kind: 'error',
      command: 'timezone',
      error: { code: 'bad-zone', message: zoneError(value), value: short(value) },
    };
  }
  return { kind: 'timezone', mode: 'set', zone };
}

/** Default and longest look-back of `recordings`: Webex keeps report data for a year. */
export const RECORDINGS_DEFAULT_DAYS = 30;
export const RECORDINGS_MAX_DAYS = 365;
const RECORDINGS_USAGE =
  'Usage: recordings [days] [all | host <email>], e.g. "recordings 60" or "recordings all".';

function parseRecordings(args: string[]): ParsedCommand {
  const err = (code: ParseErrorCode, message: string, value?: string): ParsedCommand => ({
    kind: 'error',
    command: 'recordings',
    error: { code, message, ...(value !== undefined ? { value: short(value) } : {}) },
  });
  let days: number | undefined;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const token = stripWrappers(args[i]);
    if (token.toLowerCase() === 'all') {
      // "recordings all" reads as people type it; "recordings host all" says the same.
      if (host !== undefined)
        return { kind: 'error', command: 'recordings', error: duplicate('host') };
      host = 'all';
    } else if (token.toLowerCase() === 'host') {
      if (host !== undefined)
        return { kind: 'error', command: 'recordings', error: duplicate('host') };
      const value = args[i + 1] === undefined ? undefined : stripWrappers(args[i + 1]);
      if (!value)
        return err('missing-email', `Put an email or "all" after "host". ${RECORDINGS_USAGE}`);
      const email = value.replace(/^mailto:/i, '');
      if (email.toLowerCase() === 'all') host = 'all';
      else if (isEmailAddress(email)) host = email;
      else
        return err(
          'bad-email',
          `“${short(value)}” is not an email address or "all". ${RECORDINGS_USAGE}`,
          value,
        );
      i++;
    } else if (/^\d+$/.test(token) && days === undefined) {
      days = Number(token);
      if (days < 1 || days > RECORDINGS_MAX_DAYS) {
        return err(
          'unknown-option',
          `Give a number of days from 1 to ${RECORDINGS_MAX_DAYS}. ${RECORDINGS_USAGE}`,
          token,
        );
      }
    } else {
      return err(
        'unknown-option',
        `I don't know “${short(args[i])}” after "recordings". ${RECORDINGS_USAGE}`,
        args[i],
      );
    }
  }
  return {
    kind: 'recordings',
    days: days ?? RECORDINGS_DEFAULT_DAYS,
    ...(host !== undefined ? { host } : {}),
  };
}

const DIGEST_USAGE =
  'Use "digest weekly", "digest weekly always" (even in a quiet week), "digest weekly all" (admins: every host) or "digest off".';

function parseDigest(args: string[]): ParsedCommand {
  const words = args.map((a) => stripWrappers(a).toLowerCase());
  if (words.length === 0) return { kind: 'digest', mode: 'show' };
  const [first, ...rest] = words;
  if (first === 'off' || first === 'stop') {
    if (rest.length > 0) return unknownOption('digest', args[1], DIGEST_USAGE);
    return { kind: 'digest', mode: 'off' };
  }
  if (first !== 'weekly') return unknownOption('digest', args[0], DIGEST_USAGE);
  let always = false;
  let allHosts = false;
  for (const [i, word] of rest.entries()) {
    const seen = word === 'always' ? always : word === 'all' ? allHosts : undefined;
    if (seen === undefined) return unknownOption('digest', args[i + 1], DIGEST_USAGE);
    if (seen) return { kind: 'error', command: 'digest', error: duplicate(word) };
    if (word === 'always') always = true;
    else allHosts = true;
  }
  return { kind: 'digest', mode: 'weekly', always, allHosts };
}

/** Default look-back of `usage`; the command caps it at USAGE_RETENTION_DAYS. */
export const USAGE_DEFAULT_DAYS = 30;
/** The longest USAGE_RETENTION_DAYS allows. */
export const USAGE_MAX_DAYS = 3650;

function parseUsage(args: string[]): ParsedCommand {
  if (args.length === 0) return { kind: 'usage', days: USAGE_DEFAULT_DAYS };
  const token = stripWrappers(args[0]);
  const days = /^\d+$/.test(token) ? Number(token) : NaN;
  if (args.length > 1 || !(days >= 1 && days <= USAGE_MAX_DAYS)) {
    return {
      kind: 'error',
      command: 'usage',
      error: {
        code: 'unknown-option',
        message: `Give a number of days from 1 to ${USAGE_MAX_DAYS}, e.g. "usage 7", or "usage" alone for the last ${USAGE_DEFAULT_DAYS} days.`,
        value: short(args.join(' ')),
      },
    };
  }
  return { kind: 'usage', days };
}

/** Makes `command`'s parse errors; `value` is the offending input, shortened. */
function errorOf(command: string) {
  return (code: ParseErrorCode, message: string, value?: string): ParsedCommand => ({
    kind: 'error',
    command,
    error: { code, message, ...(value !== undefined ? { value: short(value) } : {}) },
  });
}

const WATCH_USAGE =
  'Usage: watch <recording ID or link> [downloads | external] [for <days>] [host <email>]';

/** The words that choose what a watch reports (several spellings people use). */
const WATCH_FILTER_WORDS: Record<string, WatchFilter> = {
  all: 'all',
  everything: 'all',
  downloads: 'downloads',
  download: 'downloads',
  downloaded: 'downloads',
  external: 'external',
  externals: 'external',
  outside: 'external',
};

function parseWatch(args: string[]): ParsedCommand {
  const err = errorOf('watch');
  let recording: string | undefined;
  let hostEmail: string | undefined;
  let filter: WatchFilter | undefined;
  let days: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = stripWrappers(args[i]).toLowerCase();
    if (word === 'host') {
      if (hostEmail !== undefined) {
        return { kind: 'error', command: 'watch', error: duplicate('host') };
      }
      const value = args[i + 1] === undefined ? '' : stripWrappers(args[i + 1]);
      if (!value) return err('missing-email', `Put the host's email after "host". ${WATCH_USAGE}`);
      hostEmail = value.replace(/^mailto:/i, '');
      i++;
    } else if (word === 'for') {
      if (days !== undefined) return { kind: 'error', command: 'watch', error: duplicate('for') };
      const value = args[i + 1] === undefined ? '' : stripWrappers(args[i + 1]).toLowerCase();
      const unit = args[i + 2] === undefined ? '' : stripWrappers(args[i + 2]).toLowerCase();
      const match = /^(\d{1,4})(d|days?)?$/.exec(value);
      if (!match) {
        return err(
          'unknown-option',
          `Put a number of days after "for", e.g. "for 7". ${WATCH_USAGE}`,
          value || undefined,
        );
      }
      days = Number(match[1]);
      if (days < 1 || days > WATCH_MAX_DAYS) {
        return err(
          'unknown-option',
          `A watch lasts from 1 to ${WATCH_MAX_DAYS} days. ${WATCH_USAGE}`,
          value,
        );
      }
      i++;
      // "for 7 days" reads as people type it.
      if (!match[2] && (unit === 'days' || unit === 'day' || unit === 'd')) i++;
    } else if (word in WATCH_FILTER_WORDS) {
      if (filter !== undefined) {
        return err(
          'duplicate-option',
          `Choose one of "downloads" or "external" (or neither, for every access). ${WATCH_USAGE}`,
          args[i],
        );
      }
      filter = WATCH_FILTER_WORDS[word];
    } else if (recording === undefined) {
      recording = args[i];
    } else {
      return err(
        'unknown-option',
        `I don't know “${short(args[i])}” after "watch". ${WATCH_USAGE}`,
        args[i],
      );
    }
  }
  return watchFromFields({ recording, hostEmail, filter, days });
}

/**
 * Checks the parts of a watch request wherever they came from (typed, or a card button).
 * @example watchFromFields({ recording: '4f914b1dfe3c4d11a61730f18c0f5387' }) // { kind: 'watch', filter: 'all', days: 30, … }
 */
export function watchFromFields(fields: {
  recording?: string;
  hostEmail?: string;
  filter?: WatchFilter;
  days?: number;
}): ParsedCommand {
  const err = errorOf('watch');
  const { recording, hostEmail } = fields;
  if (recording === undefined || recording === '') {
    return err(
      'missing-recording',
      `Which recording? Give its ID or paste its link. ${WATCH_USAGE}`,
    );
  }
  const ref = parseRecordingRef(recording);
  if (!ref.ok) return err('bad-recording', `${ref.reason} ${WATCH_USAGE}`, recording);
  if (hostEmail !== undefined && !isEmailAddress(hostEmail)) {
    return err(
      'bad-email',
      `“${short(hostEmail)}” is not an email address. Use "host alice@example.com".`,
      hostEmail,
    );
  }
  return {
    kind: 'watch',
    recordingId: ref.id,
    ...(hostEmail !== undefined ? { hostEmail } : {}),
    filter: fields.filter ?? 'all',
    days: fields.days ?? WATCH_DEFAULT_DAYS,
  };
}

const UNWATCH_USAGE = 'Usage: unwatch <recording ID or link>, or "unwatch all".';

function parseUnwatch(args: string[]): ParsedCommand {
  const err = errorOf('unwatch');
  if (args.length === 0) {
    return err('missing-recording', `Which watch should I stop? ${UNWATCH_USAGE}`);
  }
  if (args.length > 1) {
    return err(
      'unknown-option',
      `I don't know “${short(args[1])}” after "unwatch". ${UNWATCH_USAGE}`,
      args[1],
    );
  }
  if (stripWrappers(args[0]).toLowerCase() === 'all') return { kind: 'unwatch', all: true };
  const ref = parseRecordingRef(args[0]);
  if (!ref.ok) return err('bad-recording', `${ref.reason} ${UNWATCH_USAGE}`, args[0]);
  return { kind: 'unwatch', recordingId: ref.id };
}

function parseLocale(args: string[]): ParsedCommand {
  if (args.length === 0) return { kind: 'locale', mode: 'show' };
  const value = stripWrappers(args.join(' '));
  if (value.toLowerCase() === 'auto') return { kind: 'locale', mode: 'auto' };
  const locale = args.length === 1 ? canonicalLocale(value) : null;
  if (!locale) {
    return {
      kind: 'error',
      command: 'locale',
      error: {
        code: 'bad-locale',
        message: `“${short(value)}” is not a language tag I know. Use one like en-US, en-GB, de-DE or fr-FR, or "locale auto".`,
        value: short(value),
      },
    };
  }
  return { kind: 'locale', mode: 'set', locale };
}

/** The canonical BCP 47 form of a tag Intl can format dates in, or null. */
function canonicalLocale(tag: string): string | null {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0 ? canonical : null;
  } catch {
    return null;
  }
}

function isKeyword(token: string): boolean {
  return ['host', 'tz', 'timezone'].includes(stripWrappers(token).toLowerCase());
}

function duplicate(option: string): ParseError {
  return {
    code: 'duplicate-option',
    message: `"${option}" was given twice; give it once.`,
    value: option,
  };
}

function unknownOption(command: string, value: string, hint: string): ParsedCommand {
  return {
    kind: 'error',
    command,
    error: {
      code: 'unknown-option',
      message: `I don't know “${short(value)}” after "${command}". ${hint}`,
      value: short(value),
    },
  };
}

/** One line, single spaces, no leading `/`, no trailing sentence punctuation. */
function clean(text: string): string {
  const folded = text
    .slice(0, 10_000)
    // Word joiners join: the bot puts them in links and emails on its cards (so Webex does not
    // link them), and text copied from a card must read as it looks.
    .replace(/[\u2060\ufeff]/g, '')
    .replace(
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      /[\u0000-\u001f\u007f\u00a0\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]/g,
      ' ',
    )
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\/+\s*/, '');
  return trimEndOf(folded, TRAILING_PUNCTUATION);
}

const TRAILING_PUNCTUATION = new Set([' ', '.', '!', '?', ',', ';', ':']);
const OPENING_WRAPPERS = new Set(['`', '*', '_', '"', "'", '“', '”', '‘', '’', '<']);
const CLOSING_WRAPPERS = new Set(['`', '*', '_', '"', "'", '“', '”', '‘', '’', '>']);

/**
 * `text` without the characters of `chars` at its end. A loop, not a `[…]+$` pattern: the
 * pattern is retried from every position of a long run, which is quadratic.
 */
function trimEndOf(text: string, chars: ReadonlySet<string>): string {
  let end = text.length;
  while (end > 0 && chars.has(text[end - 1])) end--;
  return text.slice(0, end);
}

function trimStartOf(text: string, chars: ReadonlySet<string>): string {
  let start = 0;
  while (start < text.length && chars.has(text[start])) start++;
  return text.slice(start);
}

/** Markdown and quoting people add around words: `code`, **bold**, "quotes", <links>. */
function stripWrappers(token: string): string {
  return trimEndOf(trimStartOf(token, OPENING_WRAPPERS), CLOSING_WRAPPERS);
}

/**
 * A plausible email address (what `host` accepts), at most 254 characters.
 * @example isEmailAddress('alice@example.com') // true
 */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && EMAIL_RE.test(text);
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
