/**
 * The command a person most likely meant when what they typed is not one: "audti 4f91…" →
 * `audit 4f91…`. Pure: no I/O; the command words are handed in (from manifest.json).
 *
 * A word is close when it is a few edits away (insert, delete, change, or swap two neighbours:
 * the optimal string alignment distance), or when it starts a command ("rec" → recordings). Two
 * words that make a command together count too ("time zone" → timezone), and a bare recording
 * ID or link means `audit`. Only short words are compared, so the work stays tiny.
 */
import { parseRecordingRef } from './recording-ref';

/** A command the bot has, as manifest.json lists it. */
export interface CommandWord {
  name: string;
  /** False for commands that take nothing (help): what followed the typo is then dropped. */
  takesArguments: boolean;
}

export interface Suggestion {
  /** The command word, as in the list handed in. */
  command: string;
  /** What the person typed after the mistyped word(s), as typed; empty for a command without arguments. */
  args: string;
}

/** Longer than any command word plus the edits allowed: never a typo of one. */
const MAX_WORD_LENGTH = 16;
/** A word needs this many letters before a prefix of a command counts. */
const MIN_PREFIX_LENGTH = 3;
/** The text looked at; parseCommand hands over at most 200 characters anyway. */
const MAX_TEXT_LENGTH = 1_000;

/**
 * The closest command to `text` (already cleaned: single spaces, trimmed), or null when
 * nothing is close. Ties go to the command listed first.
 * @example suggestCommand('audti 4f91', commands) // { command: 'audit', args: '4f91' }
 * @example suggestCommand('hello there', commands) // null
 */
export function suggestCommand(text: string, commands: readonly CommandWord[]): Suggestion | null {
  const words = text.slice(0, MAX_TEXT_LENGTH).trim().split(' ').filter(Boolean);
  if (words.length === 0) return null;
  const [first, second] = words;
  const rest = (from: number) => words.slice(from).join(' ');

  // "4f91…" or a playback link alone (or with options): the person wants an audit. A bare ID
  // needs a digit, so a long word ("internationalisation") is not taken for one.
  const ref = parseRecordingRef(first);
  if (
    commands.some((c) => c.name === 'audit') &&
    ref.ok &&
    (ref.from === 'link' || /\d/.test(first))
  ) {
    return { command: 'audit', args: rest(0) };
  }
  const candidates: Array<{ word: string; argsFrom: number }> = [{ word: first, argsFrom: 1 }];
  if (second !== undefined) candidates.push({ word: first + second, argsFrom: 2 });

  let best: { suggestion: Suggestion; distance: number } | undefined;
  for (const { word, argsFrom } of candidates) {
    const typed = letters(word);
    if (typed.length === 0 || typed.length > MAX_WORD_LENGTH) continue;
    for (const command of commands) {
      const distance = closeness(typed, command.name);
      if (distance === undefined) continue;
      if (!best || distance < best.distance) {
        const args = command.takesArguments ? rest(argsFrom) : '';
        best = { suggestion: { command: command.name, args }, distance };
      }
    }
  }
  return best?.suggestion ?? null;
}

/**
 * How far `typed` is from `command` when it is close enough to suggest it, else undefined.
 * A prefix ("disc" → disconnect) counts as one edit.
 */
function closeness(typed: string, command: string): number | undefined {
  if (typed === command) return 0;
  const allowed = maxEdits(typed.length);
  const distance = editDistance(typed, command, allowed);
  if (distance <= allowed) return distance;
  if (typed.length >= MIN_PREFIX_LENGTH && command.startsWith(typed)) return allowed;
  return undefined;
}

/** One edit in a short word, two in a longer one: "hi" is no typo of anything, "hello" not of help. */
function maxEdits(length: number): number {
  if (length < 3) return 0;
  return length <= 5 ? 1 : 2;
}

/** Lower-case letters of a word, without the quotes or markdown people put around it. */
function letters(word: string): string {
  return word
    .toLowerCase()
    .replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')
    .slice(0, MAX_WORD_LENGTH + 1);
}

/**
 * Optimal string alignment distance (Levenshtein plus swapping two neighbours), giving up
 * with `limit + 1` as soon as every alignment is further than `limit`.
 * @example editDistance('audti', 'audit', 2) // 1
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rows are enough: the swap looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2] + 1);
      }
      current.push(value);
      rowBest = Math.min(rowBest, value);
    }
    if (rowBest > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length], limit + 1);
}
