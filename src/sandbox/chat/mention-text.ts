/**
 * Mentions in what a chat page user types, as pure functions (the page's composer uses them;
 * they live outside client/ so jest can test them): the `@name` being typed at the caret, the
 * members it could mean, and the text as Webex markdown, where every `@Display Name` of a
 * member becomes `<@personId:ID|Display Name>` and an `@word` that names nobody is reported,
 * so the page can say it goes out as plain text instead of ignoring it.
 */

/** Someone who can be mentioned in the open space. */
export interface Member {
  id: string;
  displayName: string;
}

/** The `@…` being typed: where its `@` is and what follows it up to the caret. */
export interface MentionQuery {
  start: number;
  query: string;
}

/** What the message becomes once its `@names` are resolved. */
export interface ResolvedText {
  /** The text with each member's `@Name` as Webex mention markup. */
  markdown: string;
  /** The members mentioned, in order of first appearance, without duplicates. */
  mentioned: Member[];
  /** `@words` that name no member (sent as they are). */
  unknown: string[];
}

/** An `@` at the start or after white space, then up to 40 characters of one line. */
const QUERY_AT_CARET = /(?:^|\s)@([^\s@][^\n@]{0,39}|)$/;
/** A name ends where a letter or digit does not follow. */
const NAME_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The Webex mention markup for a person.
 * @example mentionMarkdown({ id: 'Y2lz…', displayName: 'Recording Audit' }) // '<@personId:Y2lz…|Recording Audit>'
 */
export function mentionMarkdown(member: Member): string {
  return `<@personId:${member.id}|${member.displayName.replace(/[|>]/g, ' ')}>`;
}

/**
 * The `@…` that ends at the caret, if one is being typed.
 * @example mentionQueryAt('ask @Rec') // { start: 4, query: 'Rec' }
 * @example mentionQueryAt('mail a@b') // undefined (an address, not a mention)
 */
export function mentionQueryAt(textBeforeCaret: string): MentionQuery | undefined {
  const match = QUERY_AT_CARET.exec(textBeforeCaret);
  if (!match) return undefined;
  const query = match[1];
  return { start: textBeforeCaret.length - query.length - 1, query };
}

/**
 * The members whose name (or a word of it) starts with `query`, ignoring case.
 * @example membersMatching('aud', [{ id: 'B', displayName: 'Recording Audit' }]) // [that member]
 */
export function membersMatching<T extends Member>(query: string, members: T[]): T[] {
  const wanted = query.toLowerCase();
  return members.filter((member) => {
    const name = member.displayName.toLowerCase();
    return name.startsWith(wanted) || name.split(/\s+/).some((word) => word.startsWith(wanted));
  });
}

/** The member whose whole name is written at `at` (longest name first), if any. */
function memberNamedAt(text: string, at: number, byLength: Member[]): Member | undefined {
  return byLength.find((member) => {
    const name = member.displayName;
    if (!name || text.slice(at, at + name.length).toLowerCase() !== name.toLowerCase()) {
      return false;
    }
    const next = text.charAt(at + name.length);
    return next === '' || !NAME_CHAR.test(next);
  });
}

/**
 * Turns each `@Display Name` of a member (at the start or after white space, any case) into
 * mention markup; other `@words` stay as typed and are listed in `unknown`.
 * @example
 * resolveMentions('@Recording Audit help', [{ id: 'B', displayName: 'Recording Audit' }])
 * // { markdown: '<@personId:B|Recording Audit> help', mentioned: [the bot], unknown: [] }
 */
export function resolveMentions(text: string, members: Member[]): ResolvedText {
  const byLength = [...members].sort((a, b) => b.displayName.length - a.displayName.length);
  const mentioned: Member[] = [];
  const unknown: string[] = [];
  let markdown = '';
  let i = 0;
  while (i < text.length) {
    const isMentionStart = text[i] === '@' && (i === 0 || /\s/.test(text[i - 1]));
    if (!isMentionStart) {
      markdown += text[i];
      i += 1;
      continue;
    }
    const member = memberNamedAt(text, i + 1, byLength);
    if (member) {
      markdown += mentionMarkdown(member);
      if (!mentioned.some((m) => m.id === member.id)) mentioned.push(member);
      i += 1 + member.displayName.length;
      continue;
    }
    const word = /^@[^\s]*/.exec(text.slice(i))?.[0] ?? '@';
    if (word.length > 1) unknown.push(word);
    markdown += word;
    i += word.length;
  }
  return { markdown, mentioned, unknown };
}
