/**
 * Escaping of untrusted text (names, emails, topics from the API) for Webex:
 * Adaptive Card TextBlocks render a markdown subset and Webex auto-links emails and URLs,
 * so a name like `[click](https://evil.example)` or `*boss*` must show literally.
 *
 * Approach (same for cards and message markdown):
 * 1. Control characters and bidi overrides are removed; line breaks and tabs become spaces
 *    (one line, so nothing can start a list, heading or quote on a new line).
 * 2. Markdown metacharacters get a backslash (CommonMark escapes): `\ ` * _ [ ] ( ) < > # | ~ &`
 *    anywhere, and `-`, `+`, `1.` / `1)` at the start (list markers).
 * 3. Auto-links are broken with U+2060 WORD JOINER (invisible, no line break opportunity):
 *    after every `@`, inside `://`, and before every `.` between letters/digits (domains).
 *    `${` is broken the same way so data can never look like an unbound template binding.
 *
 * An email address shown as such ({@link escapeEmail}) skips step 3 when it is a plain address:
 * people copy it, and an invisible character inside would make the pasted address wrong. At
 * most Webex turns it into a mailto link to that same address.
 */

/** U+2060 WORD JOINER: invisible, and not part of any auto-link pattern. */
export const WORD_JOINER = '\u2060';

export interface EscapeOptions {
  /** Longest result, in grapheme clusters, before escaping; longer text ends with "…". */
  maxLength?: number;
  /**
   * Most bytes the result may take inside JSON (UTF-8, after JSON string escaping);
   * text is cut by graphemes until it fits. Keeps cards under Webex's size limit.
   */
  maxBytes?: number;
}

/**
 * Escapes untrusted text for an Adaptive Card TextBlock.
 *
 * @example
 * escapeCardText('*Joe* <joe@example.com>'); // "\\*Joe\\* \\<joe@⁠example⁠.com\\>" (with U+2060s)
 */
export function escapeCardText(input: unknown, options: EscapeOptions = {}): string {
  return escapeInline(input, options);
}

/**
 * Escapes untrusted text for Webex message markdown (the text fallback of a card message).
 * Also neutralises Webex mentions such as `<@all>` (via the `<` escape).
 *
 * @example escapeMarkdown('# Q3_plan'); // "\\# Q3\\_plan"
 */
export function escapeMarkdown(input: unknown, options: EscapeOptions = {}): string {
  return escapeInline(input, options);
}

/**
 * A plain address: letters, digits and `._%+'-` before the `@`, dot-separated labels after, and
 * no `www.` in front (a linkifier might take that part for a web address). Nothing in it can
 * start markdown that its escapes do not cover, a URL, a mention or `${`.
 */
const PLAIN_EMAIL = /^(?!www\.)[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/iu;
/** RFC 5321's limit on a whole address. */
const MAX_EMAIL_LENGTH = 254;

/**
 * Escapes an email address for a card or message markdown so that it copies as itself: markdown
 * characters are escaped as everywhere, but no invisible characters go inside. Anything that is
 * not a plain address is escaped like any other untrusted text ({@link escapeCardText}).
 *
 * @example escapeEmail('joe.doe@example.com'); // "joe.doe@example.com"
 * @example escapeEmail('first_last@example.com'); // "first\\_last@example.com"
 */
export function escapeEmail(input: unknown, options: EscapeOptions = {}): string {
  const address = sanitizeText(input);
  const plain = address.length <= MAX_EMAIL_LENGTH && PLAIN_EMAIL.test(address);
  return escapeInline(address, options, plain ? escapeMarkdownOnly : escapeSanitized);
}

/**
 * Control characters out, whitespace collapsed to single spaces, trimmed.
 *
 * @example sanitizeText('a\u0000b\nc') // "ab c"
 */
export function sanitizeText(input: unknown): string {
  if (typeof input !== 'string') return input === null || input === undefined ? '' : String(input);
  return (
    input
      // Line/paragraph separators and tabs would start new markdown blocks: make them spaces.
      .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' ')
      // Remaining C0/C1 controls, bidi embeddings/overrides/isolates (spoofing), BOM.
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}

/**
 * Cuts text to `max` grapheme clusters (never splitting an emoji or accent), adding "…".
 *
 * @example truncateText('abcdef', 4) // "abc…"
 */
export function truncateText(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text; // UTF-16 length >= grapheme count: cheap fast path
  // Segment a bounded head only: each segment object carries a copy of its input in V8,
  // so segmenting (and keeping) a 50,000-character topic would exhaust memory.
  const head = text.slice(0, max * 16);
  let count = 0;
  let cut = 0;
  for (const { index } of segmenter.segment(head)) {
    if (count === max - 1) cut = index;
    count++;
    if (count > max) break;
  }
  if (count <= max && head.length === text.length) return text;
  return text.slice(0, cut).trimEnd() + '…';
}

/** Grapheme clusters in `text`, counting no further than `limit`. */
function graphemeCount(text: string, limit: number): number {
  let count = 0;
  for (const _ of segmenter.segment(text.slice(0, limit * 16))) {
    if (++count >= limit) break;
  }
  return count;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function escapeInline(
  input: unknown,
  options: EscapeOptions,
  escape: (text: string) => string = escapeSanitized,
): string {
  let s = sanitizeText(input);
  if (options.maxLength !== undefined) s = truncateText(s, options.maxLength);
  const full = escape(s);
  const { maxBytes } = options;
  if (maxBytes === undefined || jsonBytes(full) <= maxBytes) return full;
  // Binary search on the number of graphemes kept (escaping can grow text several-fold).
  // The result cannot hold more graphemes than bytes.
  const count = graphemeCount(s, maxBytes + 1);
  let lo = 0;
  let hi = count - 1;
  let best = '';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = escape(truncateText(s, mid + 1));
    if (jsonBytes(candidate) <= maxBytes) {
      best = candidate;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** Bytes of a string as a JSON string body (UTF-8, escapes counted, quotes not). */
export function jsonBytes(s: string): number {
  return Buffer.byteLength(JSON.stringify(s), 'utf8') - 2;
}

function escapeSanitized(text: string): string {
  return breakAutoLinks(escapeMarkdownOnly(text));
}

/** Step 2 of the module's approach: markdown metacharacters and list markers. */
function escapeMarkdownOnly(text: string): string {
  const s = text.replace(/[\\`*_[\]()<>#|~&]/g, '\\$&');
  // List markers only matter at the start of a line; the text is a single line now.
  return s.replace(/^([-+])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * Inserts WORD JOINERs so emails, URLs and `${` are not recognised.
 *
 * @example breakAutoLinks('a@b.com') // "a@\u2060b\u2060.com"
 */
export function breakAutoLinks(s: string): string {
  return s
    .replace(/@/g, `@${WORD_JOINER}`)
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(/([\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, `$1${WORD_JOINER}.`)
    .replace(/\$\{/g, () => `$${WORD_JOINER}{`);
}
