/**
 * Short answers with a Help button (a typo, something not understood, the welcome), as message
 * markdown and as data for cards/short-answer.json. Pure.
 *
 * Each line is written once, as a function of how commands and typed text are shown: in
 * markdown a command is a code span (people copy it), on a card it is bold (Adaptive Cards
 * have no code spans). Other text put in (typed, or a name) is escaped for each.
 */
import { escapeCardText, escapeMarkdown, sanitizeText, truncateText, WORD_JOINER } from './escape';

/** How one medium shows the parts of a line that are not our own words. */
export interface LineFormat {
  /** A command, e.g. `audit 4f91…` (it may hold what the person typed). */
  command(text: string): string;
  /** Text to show as it is (typed by the person, or a name): escaped, never formatting. */
  plain(text: string): string;
}

/** A line of the answer: catalogue words, with commands and typed text put in by `format`. */
export type AnswerLine = (format: LineFormat) => string;

/** The data bound to cards/short-answer.json. Lines and title are escaped. */
export interface ShortAnswerCardData {
  lines: string[];
  helpTitle: string;
  helpAction: object;
}

/** Longest command shown (graphemes): a recording link with its options still fits whole. */
export const MAX_COMMAND_LENGTH = 160;
/** Longest typed text quoted back. */
export const MAX_TYPED_LENGTH = 80;

const MARKDOWN: LineFormat = {
  command: (text) => codeSpan(text),
  plain: (text) => escapeMarkdown(text, { maxLength: MAX_TYPED_LENGTH }),
};

const CARD: LineFormat = {
  command: (text) => `**${escapeCardText(text, { maxLength: MAX_COMMAND_LENGTH })}**`,
  plain: (text) => escapeCardText(text, { maxLength: MAX_TYPED_LENGTH }),
};

/**
 * The answer's markdown and card data.
 * @example
 * buildShortAnswer({
 *   lines: [(f) => `Did you mean ${f.command('audit 4f91')}?`],
 *   helpTitle: 'Help',
 *   helpAction: { action: 'help.show' },
 * }); // { markdown: 'Did you mean `audit 4f91`?', cardData: { lines: ['Did you mean **audit 4f91**?'], … } }
 */
export function buildShortAnswer(input: {
  lines: AnswerLine[];
  helpTitle: string;
  helpAction: object;
}): { markdown: string; cardData: ShortAnswerCardData } {
  return {
    markdown: input.lines.map((line) => line(MARKDOWN)).join('\n\n'),
    cardData: {
      lines: input.lines.map((line) => line(CARD)),
      helpTitle: escapeCardText(input.helpTitle, { maxLength: 40 }),
      helpAction: input.helpAction,
    },
  };
}

/**
 * A markdown code span. Nothing inside a code span is markdown, so the backtick that would end
 * it is the character to keep out, and what remains copies as typed. A Webex mention (`<@all>`)
 * is broken with a word joiner all the same: whether Webex looks for mentions inside code is
 * not something to bet a whole space's notifications on.
 * @example codeSpan('audit `x`') // "`audit 'x'`"
 */
export function codeSpan(text: string): string {
  const inside = truncateText(sanitizeText(text), MAX_COMMAND_LENGTH)
    .replace(/`/g, "'")
    .replace(/<@/g, `<${WORD_JOINER}@`);
  return `\`${inside}\``;
}

/**
 * Whether typed text has anything worth quoting back: a letter or a digit. Emoji, punctuation
 * and white space alone get the answer without a quote.
 * @example hasWords('👍') // false
 */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
