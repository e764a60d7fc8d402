/**
 * Sees messages the moment the sandbox stores them (in-process, no polling): that is when
 * a Webex client would show them. Used to time turnaround and to size cards.
 */
import type { SandboxMessage, SandboxState } from '../src/sandbox/state';

type Listener = (message: SandboxMessage, at: number) => void;

export interface StoredMessage {
  message: SandboxMessage;
  /** performance.now() when the sandbox stored it. */
  at: number;
}

export class MessageWatch {
  private readonly listeners = new Set<Listener>();
  /** Largest card (Adaptive Card JSON, bytes) the bot posted so far. */
  largestCardBytes = 0;

  /**
   * Wraps `state.messages.push`; the routes and the world add messages only through it.
   * @example const watch = new MessageWatch(sandbox.state, botId);
   */
  constructor(
    state: SandboxState,
    readonly botIds: ReadonlySet<string>,
  ) {
    const messages = state.messages;
    const push = messages.push.bind(messages);
    messages.push = (...items: SandboxMessage[]) => {
      const at = performance.now();
      const length = push(...items);
      for (const item of items) this.notify(item, at);
      return length;
    };
  }

  /**
   * Resolves with the `count`-th next message in `roomId` matching `filter`.
   * Register it before the action that causes the message.
   */
  next(
    roomId: string,
    filter: (message: SandboxMessage) => boolean,
    options: { count?: number; timeoutMs?: number } = {},
  ): Promise<StoredMessage> {
    const { count = 1, timeoutMs = 300_000 } = options;
    return new Promise((resolve, reject) => {
      let seen = 0;
      const listener: Listener = (message, at) => {
        if (message.roomId !== roomId || !filter(message)) return;
        if (++seen < count) return;
        this.listeners.delete(listener);
        clearTimeout(timer);
        resolve({ message, at });
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no message in room after ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  /** The next message a bot posts in `roomId` (the `count`-th with `count`). */
  nextFromBot(roomId: string, count = 1, timeoutMs?: number): Promise<StoredMessage> {
    return this.next(roomId, (m) => this.botIds.has(m.personId), { count, timeoutMs });
  }

  private notify(message: SandboxMessage, at: number): void {
    if (this.botIds.has(message.personId)) {
      for (const attachment of message.attachments ?? []) {
        const bytes = Buffer.byteLength(JSON.stringify(attachment.content));
        this.largestCardBytes = Math.max(this.largestCardBytes, bytes);
      }
    }
    for (const listener of [...this.listeners]) listener(message, at);
  }
}
