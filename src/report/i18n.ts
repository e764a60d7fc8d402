/**
 * Message catalogues: the fixed words of cards and replies in the person's language. Pure: the
 * catalogues are handed in (src/locales.ts reads them from cards/locales/*.json).
 *
 * Messages use a small subset of ICU MessageFormat:
 * - `{name}` puts a parameter in (numbers are formatted for the locale);
 * - `{count, plural, =0 {none} one {# person} other {# people}}` picks a branch with
 *   Intl.PluralRules (`=n` matches exactly first); `#` is the formatted number.
 * Apostrophes are plain text (French and English need them), so no ICU quoting.
 */
import { LRUCache } from 'lru-cache';
import { numberFormat, safeLocale } from './time';

/** One language: message key → message. */
export type Catalogue = Readonly<Record<string, string>>;
/** Catalogues by language tag (`en`, `de`, `pt-BR`, …); `en` must be there. */
export type Catalogues = Readonly<Record<string, Catalogue>>;
export type MessageParams = Readonly<Record<string, string | number>>;

export const FALLBACK_LANGUAGE = 'en';

export interface Translator {
  /** The locale numbers and plurals follow (the person's, if Intl knows it). */
  readonly locale: string;
  /** The catalogue in use (`de` for `de-DE`); `en` when there is none for the locale. */
  readonly language: string;
  /**
   * The message for `key` with `params` put in; English when the language lacks it, and the
   * key itself when English lacks it too (a test keeps that from happening).
   */
  t(key: string, params?: MessageParams): string;
}

type Part =
  | string
  | { kind: 'arg'; name: string }
  | { kind: 'number' }
  | { kind: 'plural'; name: string; branches: Map<string, Part[]> };

/**
 * A translator for `locale` over `catalogues`.
 *
 * @example
 * const { t } = createTranslator({ en: { people: '{n, plural, one {# person} other {# people}}' } }, 'en-US');
 * t('people', { n: 2500 }); // "2,500 people"
 */
export function createTranslator(catalogues: Catalogues, locale: string): Translator {
  const safe = safeLocale(locale);
  const language = pickLanguage(Object.keys(catalogues), safe);
  const own = catalogues[language] ?? {};
  const fallback = catalogues[FALLBACK_LANGUAGE] ?? {};
  const plurals = pluralRules(safe);
  const num = numberFormat(safe);
  return {
    locale: safe,
    language,
    t: (key, params = {}) => {
      const message = own[key] ?? fallback[key];
      if (message === undefined) return key;
      return format(parseMessage(message), params, { plurals, num });
    },
  };
}

/**
 * The catalogue for a locale: the exact tag, then its language, else English.
 * @example pickLanguage(['en', 'de'], 'de-AT') // "de"
 */
export function pickLanguage(available: readonly string[], locale: string): string {
  const lower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  const subtags = locale.toLowerCase().split('-');
  for (let n = subtags.length; n > 0; n--) {
    const found = lower.get(subtags.slice(0, n).join('-'));
    if (found) return found;
  }
  return FALLBACK_LANGUAGE;
}

/**
 * The parameter names a message uses, sorted (plural parameters included): they must be the
 * same in every language.
 * @example messageParams('Page {page} of {pages}') // ["page", "pages"]
 */
export function messageParams(message: string): string[] {
  const names = new Set<string>();
  const walk = (parts: Part[]): void => {
    for (const part of parts) {
      if (typeof part === 'string' || part.kind === 'number') continue;
      names.add(part.name);
      if (part.kind === 'plural') for (const branch of part.branches.values()) walk(branch);
    }
  };
  walk(parseMessage(message));
  return [...names].sort();
}

/** What is wrong with `catalogue` compared with English: missing keys, differing parameters. */
export interface CatalogueProblems {
  missing: string[];
  /** Keys whose parameters differ from English's. */
  mismatched: Array<{ key: string; expected: string[]; actual: string[] }>;
  /** Keys English does not have (left over from a rename). */
  extra: string[];
}

/**
 * Compares a catalogue with the English one.
 * @example compareCatalogue(en, de).missing // [] when German has every key
 */
export function compareCatalogue(english: Catalogue, catalogue: Catalogue): CatalogueProblems {
  const problems: CatalogueProblems = { missing: [], mismatched: [], extra: [] };
  for (const [key, message] of Object.entries(english)) {
    const own = catalogue[key];
    if (own === undefined) {
      problems.missing.push(key);
      continue;
    }
    const expected = messageParams(message);
    const actual = messageParams(own);
    if (expected.join() !== actual.join()) problems.mismatched.push({ key, expected, actual });
  }
  problems.extra = Object.keys(catalogue).filter((key) => !(key in english));
  return problems;
}

function format(
  parts: Part[],
  params: MessageParams,
  env: { plurals: Intl.PluralRules; num: Intl.NumberFormat },
  count?: number,
): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if (part.kind === 'number') out += count === undefined ? '#' : env.num.format(count);
    else if (part.kind === 'arg') {
      const value = params[part.name];
      out += value === undefined ? `{${part.name}}` : formatValue(value, env.num);
    } else {
      const value = Number(params[part.name]);
      const branch =
        part.branches.get(`=${value}`) ??
        part.branches.get(env.plurals.select(value)) ??
        part.branches.get('other') ??
        [];
      out += format(branch, params, env, value);
    }
  }
  return out;
}

function formatValue(value: string | number, num: Intl.NumberFormat): string {
  return typeof value === 'number' ? num.format(value) : value;
}

const pluralRuleSets = new LRUCache<string, Intl.PluralRules>({
  max: 100,
  memoMethod: (locale) => new Intl.PluralRules(locale),
});
function pluralRules(locale: string): Intl.PluralRules {
  return pluralRuleSets.memo(locale);
}

/** Parsed once per message text: a card asks for the same few dozen messages every time. */
const parsed = new LRUCache<string, Part[]>({ max: 2_000, memoMethod: (m) => parse(m) });
function parseMessage(message: string): Part[] {
  return parsed.memo(message);
}

/**
 * Parses one message. Malformed syntax (an unclosed brace) is a catalogue bug: it throws, and
 * the catalogue tests parse every message.
 */
function parse(message: string): Part[] {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`Message "${message}": ${what} at ${pos}`);
  };
  const parts = (inPlural: boolean, closing: boolean): Part[] => {
    const out: Part[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push(text);
      text = '';
    };
    while (pos < message.length) {
      const ch = message[pos];
      if (ch === '}') {
        if (!closing) fail('unexpected "}"');
        flush();
        return out;
      }
      if (ch === '#' && inPlural) {
        flush();
        out.push({ kind: 'number' });
        pos++;
      } else if (ch === '{') {
        flush();
        pos++;
        out.push(placeholder());
      } else {
        text += ch;
        pos++;
      }
    }
    if (closing) fail('missing "}"');
    flush();
    return out;
  };
  const word = (): string => {
    const match = /^\s*([^\s,{}]+)\s*/.exec(message.slice(pos));
    if (!match) return fail('expected a name');
    pos += match[0].length;
    return match[1];
  };
  const placeholder = (): Part => {
    const name = word();
    if (message[pos] === '}') {
      pos++;
      return { kind: 'arg', name };
    }
    if (message[pos] !== ',') fail('expected "," or "}"');
    pos++;
    if (word() !== 'plural') fail('only "plural" is supported');
    if (message[pos] !== ',') fail('expected ","');
    pos++;
    const branches = new Map<string, Part[]>();
    for (;;) {
      while (/\s/.test(message[pos] ?? '')) pos++;
      if (message[pos] === '}') break;
      const selector = word();
      if (message[pos] !== '{') fail(`expected "{" after ${selector}`);
      pos++;
      branches.set(selector, parts(true, true));
      pos++; // the branch's "}"
    }
    pos++; // the plural's "}"
    if (!branches.has('other')) fail('a plural needs an "other" branch');
    return { kind: 'plural', name, branches };
  };
  return parts(false, false);
}
