/**
 * The open space: polls `GET /messages` every half second and keeps the list in step,
 * drawing each message once (cards keep their input state), redrawing one in place when its
 * author edits it (`updated` changes), and following new ones down.
 */
import type { WebexApi, WireMessage } from './api.js';
import { renderMessage, type MessageContext } from './message-view.js';

/** How often the page asks for new messages. */
export const POLL_MS = 500;
/** How close to the bottom (px) still counts as "reading the newest". */
const FOLLOW_SLACK_PX = 60;

/**
 * One space's message list; `stop()` before showing another.
 * @example const talk = new Conversation(list, errors, roomId, ctx); talk.start(); … talk.stop();
 */
export class Conversation {
  private readonly shown = new Map<string, HTMLElement>();
  private readonly objectUrls: string[] = [];
  private timer: number | undefined;
  private stopped = false;

  constructor(
    private readonly list: HTMLElement,
    private readonly errors: HTMLElement,
    private readonly roomId: string,
    private readonly ctx: Omit<MessageContext, 'keepObjectUrl'> & { api: WebexApi },
  ) {}

  start(): void {
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    for (const url of this.objectUrls) URL.revokeObjectURL(url);
    this.list.replaceChildren();
  }

  /** Fetches now instead of at the next tick (after sending, so the message shows at once). */
  refresh(): void {
    window.clearTimeout(this.timer);
    void this.poll();
  }

  private async poll(): Promise<void> {
    try {
      const messages = await this.ctx.api.messages(this.roomId);
      if (this.stopped) return;
      this.show(messages);
      this.errors.textContent = '';
    } catch (error) {
      if (this.stopped) return;
      this.errors.textContent = error instanceof Error ? error.message : String(error);
    }
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.poll(), POLL_MS);
  }

  private show(messages: WireMessage[]): void {
    const following =
      this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < FOLLOW_SLACK_PX;
    const ids = new Set(messages.map((m) => m.id));
    for (const [id, element] of this.shown) {
      if (!ids.has(id)) {
        element.remove();
        this.shown.delete(id);
      }
    }
    let added = false;
    let mineAdded = false;
    let previous: Element | null = null;
    for (const message of messages) {
      let element = this.shown.get(message.id);
      if (element && element.dataset.updated !== message.updated) {
        // Edited (only text can be): draw it again where it stands.
        const redrawn = renderMessage(message, {
          ...this.ctx,
          keepObjectUrl: (url) => this.objectUrls.push(url),
        });
        element.replaceWith(redrawn);
        element = redrawn;
        this.shown.set(message.id, element);
      }
      if (!element) {
        element = renderMessage(message, {
          ...this.ctx,
          keepObjectUrl: (url) => this.objectUrls.push(url),
        });
        this.shown.set(message.id, element);
        added = true;
        mineAdded ||= message.personId === this.ctx.myId;
      }
      // Moves an element only when it is out of place; the rest stay untouched.
      const expected: Element | null = previous
        ? previous.nextElementSibling
        : this.list.firstElementChild;
      if (expected !== element) this.list.insertBefore(element, expected);
      previous = element;
    }
    this.list.classList.toggle('empty', messages.length === 0);
    if (added && (following || mineAdded)) this.list.scrollTop = this.list.scrollHeight;
  }
}
