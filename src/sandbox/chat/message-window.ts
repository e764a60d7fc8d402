/**
 * The part of a space's history the chat page holds, as pure functions (outside client/ so
 * jest can test them). The page polls the newest page of messages and, on scrolling up, loads
 * older pages before its oldest one; these merge each answer into what it holds, so older
 * messages stay when new ones push them out of the newest page, and deleted ones go.
 */

/** What the merge needs of a message: `created` is ISO 8601 UTC, so strings compare in order. */
export interface Listed {
  id: string;
  created: string;
}

export interface MessageWindow<T extends Listed> {
  /** Oldest first, without gaps: the newest messages and some run of older ones before them. */
  messages: T[];
  /** Whether the room may hold messages older than the first one here. */
  hasOlder: boolean;
}

/**
 * The window after a poll answered `latest` (the newest messages, oldest first, at most
 * `max`). A short answer is the whole room. A full one covers the room from its first
 * message on, so what the window held from there on and is missing was deleted; what it held
 * before stays. If even the window's newest message is older than the answer, more than a page
 * arrived since the last poll and the window starts again from the answer (no gap is shown).
 * @example withLatest({ messages: [], hasOlder: true }, page, 50) // { messages: page, hasOlder: page.length === 50 }
 */
export function withLatest<T extends Listed>(
  window: MessageWindow<T>,
  latest: T[],
  max: number,
): MessageWindow<T> {
  if (latest.length < max) return { messages: latest, hasOlder: false };
  const first = latest[0];
  const fresh = new Set(latest.map((m) => m.id));
  const at = window.messages.findIndex((m) => m.id === first.id);
  const newestHeld = window.messages.at(-1);
  if (at < 0 && (!newestHeld || newestHeld.created < first.created)) {
    return { messages: latest, hasOlder: true };
  }
  // Not found but not a gap: a delete let an older message into the page.
  const before =
    at >= 0
      ? window.messages.slice(0, at)
      : window.messages.filter((m) => m.created <= first.created);
  return {
    messages: [...before.filter((m) => !fresh.has(m.id)), ...latest],
    hasOlder: window.hasOlder,
  };
}

/**
 * The window after loading `older` (the page before its first message, oldest first, asked
 * for with `max`): they go in front, and a short page means the room has no more.
 * @example withOlder(window, olderPage, 50)
 */
export function withOlder<T extends Listed>(
  window: MessageWindow<T>,
  older: T[],
  max: number,
): MessageWindow<T> {
  const held = new Set(window.messages.map((m) => m.id));
  return {
    messages: [...older.filter((m) => !held.has(m.id)), ...window.messages],
    hasOlder: older.length >= max,
  };
}
