/**
 * The open space: polls `GET /messages` every half second and keeps the list in step,
 * drawing each message once (cards keep their input state), redrawing one in place when its
 * author edits it (`updated` changes), and following new ones down. Scrolled to the top, it
 * loads the page before its oldest message (`beforeMessage`), keeping the view where it was,
 * until the room has no older ones.
 */
import { withLatest, withOlder, type MessageWindow } from '../message-window.js';
import { ApiError, type WebexApi, type WireMessage } from './api.js';
import { renderMessage, type MessageContext } from './message-view.js';

/** How often the page asks for new messages. */
export const POLL_MS = 500;
/** Messages per request, as Webex's default page. */
export const PAGE_SIZE = 50;
/** How close to the bottom (px) still counts as "reading the newest". */
const FOLLOW_SLACK_PX = 60;
/** How close to the top (px) asks for older messages. */
const OLDER_SLACK_PX = 120;

/**
 * One space's message list; `stop()` before showing another.
 * @example const talk = new Conversation(list, errors, roomId, ctx); talk.start(); … talk.stop();
 */
export class Conversation {
  private readonly shown = new Map<string, HTMLElement>();
  private readonly objectUrls: string[] = [];
  /** First in the list: a button for older messages, or the note that this is the start. */
  private readonly top = document.createElement('li');
  private readonly olderButton = document.createElement('button');
  private window: MessageWindow<WireMessage> = { messages: [], hasOlder: false };
  private loaded = false;
  private loadingOlder = false;
  /** Polls can overlap (a send asks at once); only the newest one's answer counts. */
  private pollsStarted = 0;
  private pollApplied = 0;
  private timer: number | undefined;
  private stopped = false;
  private readonly onScroll = () => {
    if (this.list.scrollTop < OLDER_SLACK_PX) void this.loadOlder();
  };

  constructor(
    private readonly list: HTMLElement,
    private readonly errors: HTMLElement,
    private readonly roomId: string,
    private readonly ctx: Omit<MessageContext, 'keepObjectUrl'> & { api: WebexApi },
  ) {
    this.top.className = 'history-top';
    this.olderButton.type = 'button';
    this.olderButton.textContent = 'Show older messages';
    this.olderButton.addEventListener('click', () => void this.loadOlder());
  }

  start(): void {
    // Scroll anchoring is done here, once, when older messages go in above.
    this.list.style.overflowAnchor = 'none';
    this.list.replaceChildren(this.top);
    this.list.addEventListener('scroll', this.onScroll);
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.list.removeEventListener('scroll', this.onScroll);
    for (const url of this.objectUrls) URL.revokeObjectURL(url);
    this.list.replaceChildren();
  }

  /** Fetches now instead of at the next tick (after sending, so the message shows at once). */
  refresh(): void {
    window.clearTimeout(this.timer);
    void this.poll();
  }

  private async poll(): Promise<void> {
    const number = ++this.pollsStarted;
    try {
      const latest = await this.ctx.api.messages(this.roomId, { max: PAGE_SIZE });
      if (this.stopped) return;
      if (number > this.pollApplied) {
        this.pollApplied = number;
        this.window = withLatest(this.window, latest, PAGE_SIZE);
        this.loaded = true;
        this.show();
      }
      this.errors.textContent = '';
    } catch (error) {
      if (this.stopped) return;
      this.errors.textContent = error instanceof Error ? error.message : String(error);
    }
    if (number !== this.pollsStarted) return;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.poll(), POLL_MS);
  }

  /** Loads the page before the oldest message shown, keeping what is on screen in place. */
  private async loadOlder(): Promise<void> {
    const oldest = this.window.messages[0];
    if (!this.loaded || !this.window.hasOlder || this.loadingOlder || !oldest) return;
    this.loadingOlder = true;
    this.drawTop();
    try {
      const older = await this.pageBefore(oldest);
      // A reset (a burst of new messages) may have replaced the window meanwhile.
      if (this.stopped || this.window.messages[0]?.id !== oldest.id) return;
      const fromBottom = this.list.scrollHeight - this.list.scrollTop;
      this.window = withOlder(this.window, older, PAGE_SIZE);
      this.show();
      this.list.scrollTop = this.list.scrollHeight - fromBottom;
    } catch (error) {
      if (!this.stopped) {
        this.errors.textContent = error instanceof Error ? error.message : String(error);
      }
    } finally {
      this.loadingOlder = false;
      if (!this.stopped) this.drawTop();
    }
  }

  /** The page before `oldest`; by its time if it was deleted meanwhile (404 by ID). */
  private async pageBefore(oldest: WireMessage): Promise<WireMessage[]> {
    try {
      return await this.ctx.api.messages(this.roomId, {
        max: PAGE_SIZE,
        beforeMessage: oldest.id,
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      return this.ctx.api.messages(this.roomId, { max: PAGE_SIZE, before: oldest.created });
    }
  }

  private drawTop(): void {
    const { messages, hasOlder } = this.window;
    if (!messages.length) {
      this.top.hidden = true;
      return;
    }
    this.top.hidden = false;
    this.top.classList.toggle('has-older', hasOlder);
    if (!hasOlder) {
      this.top.textContent = 'This is the start of the conversation.';
      return;
    }
    this.olderButton.disabled = this.loadingOlder;
    this.olderButton.textContent = this.loadingOlder
      ? 'Loading older messages…'
      : 'Show older messages';
    if (this.olderButton.parentElement !== this.top) this.top.replaceChildren(this.olderButton);
  }

  private draw(message: WireMessage): HTMLElement {
    const element = renderMessage(message, {
      ...this.ctx,
      keepObjectUrl: (url) => this.objectUrls.push(url),
    });
    this.shown.set(message.id, element);
    return element;
  }

  private show(): void {
    const { messages } = this.window;
    const following =
      this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < FOLLOW_SLACK_PX;
    const newestBefore = this.list.lastElementChild;
    const ids = new Set(messages.map((m) => m.id));
    for (const [id, element] of this.shown) {
      if (!ids.has(id)) {
        element.remove();
        this.shown.delete(id);
      }
    }
    let mineAdded = false;
    let previous: Element = this.top;
    for (const message of messages) {
      let element = this.shown.get(message.id);
      if (element && element.dataset.updated !== message.updated) {
        // Edited (only text can be): draw it again where it stands.
        const redrawn = this.draw(message);
        element.replaceWith(redrawn);
        element = redrawn;
      }
      if (!element) {
        element = this.draw(message);
        mineAdded ||= message.personId === this.ctx.myId;
      }
      // Moves an element only when it is out of place; the rest stay untouched.
      if (previous.nextElementSibling !== element) previous.after(element);
      previous = element;
    }
    this.list.classList.toggle('empty', messages.length === 0);
    this.drawTop();
    const newestChanged = this.list.lastElementChild !== newestBefore;
    if (newestChanged && (following || mineAdded)) this.list.scrollTop = this.list.scrollHeight;
  }
}
