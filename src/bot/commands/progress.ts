/**
 * The progress message of a long audit: posted, edited and removed as ../progress-plan.ts
 * decides. Sending never fails the audit: a failed post or edit is logged and progress stops.
 */
import { english, translatorFor } from '../../locales';
import type { Logger } from '../../log';
import type { Translator } from '../../report/i18n';
import {
  PROGRESS_POLICY,
  decideProgress,
  progressAnswered,
  progressSending,
  progressStarted,
  progressText,
  type ProgressPolicy,
  type ProgressState,
} from '../progress-plan';

/** A message as far as editing it goes. */
export interface PostedMessage {
  id: string;
  roomId?: string;
}

/** Where the progress message is shown. */
export interface ProgressOutlet {
  post(markdown: string): Promise<PostedMessage>;
  edit(message: { id: string; roomId: string }, markdown: string): Promise<unknown>;
  remove(messageId: string): Promise<void>;
}

/** Time, injected so tests can run the throttle on a fake clock. */
export interface ProgressClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: ProgressClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface AuditProgressOptions {
  outlet: ProgressOutlet;
  logger: Logger;
  clock?: ProgressClock;
  policy?: ProgressPolicy;
}

/**
 * One audit's progress message.
 * @example
 * const progress = new AuditProgress({ outlet, logger });
 * progress.start('en-US');
 * const records = await fetchAccessDetail(http, { …, onPage: (n) => progress.read(n) });
 * await postTheCard(); await progress.finish();
 */
export class AuditProgress {
  private readonly clock: ProgressClock;
  private readonly policy: ProgressPolicy;
  private state: ProgressState;
  private readSoFar = 0;
  private message?: { id: string; roomId: string };
  /** The post or edit in flight; the next change waits for it. */
  private sending: Promise<void> = Promise.resolve();
  private timer: unknown;
  private ended = false;
  private messages: Translator = english();

  constructor(private readonly options: AuditProgressOptions) {
    this.clock = options.clock ?? systemClock;
    this.policy = options.policy ?? PROGRESS_POLICY;
    this.state = progressStarted(this.clock.now());
  }

  /**
   * Starts the clock when reading begins: the message appears if reading is still going on
   * at `showAfterMs`. Numbers are written for `locale`.
   */
  start(locale: string): void {
    this.messages = translatorFor(locale);
    this.state = progressStarted(this.clock.now());
    this.timer = this.clock.setTimeout(() => this.update(), this.policy.showAfterMs);
  }

  /** Records read so far (all pages up to now). */
  read(readSoFar: number): void {
    this.readSoFar = readSoFar;
    this.update();
  }

  /** The report is posted: the progress message goes. */
  async finish(): Promise<void> {
    const message = await this.end();
    if (!message) return;
    await this.options.outlet.remove(message.id).catch((err: unknown) => {
      this.options.logger.warn({ err }, 'could not remove the progress message');
    });
  }

  /**
   * The audit failed: the progress message, if there is one, becomes `markdown`. False when
   * there was none (or it could not be changed), so the caller answers the usual way.
   */
  async fail(markdown: string): Promise<boolean> {
    const message = await this.end();
    if (!message) return false;
    try {
      await this.options.outlet.edit(message, markdown);
      return true;
    } catch (err) {
      // The caller answers the usual way and then calls finish(), which removes it.
      this.options.logger.warn({ err }, 'could not turn the progress message into the error');
      return false;
    }
  }

  /** Stops changes and waits for the one in flight; the message, if it was posted. */
  private async end(): Promise<{ id: string; roomId: string } | undefined> {
    this.ended = true;
    this.clock.clearTimeout(this.timer);
    await this.sending;
    return this.message;
  }

  private update(): void {
    if (this.ended) return;
    const decision = decideProgress(this.state, this.clock.now(), this.readSoFar, this.policy);
    if (decision === 'none') return;
    const read = this.readSoFar;
    this.state = progressSending(this.state, decision, read);
    const markdown = progressText(read, this.messages);
    this.sending = this.send(decision, markdown).then((ok) => {
      this.state = progressAnswered(this.state, this.clock.now(), ok);
    });
  }

  private async send(decision: 'post' | 'edit', markdown: string): Promise<boolean> {
    try {
      if (decision === 'post') {
        const posted = await this.options.outlet.post(markdown);
        if (!posted.roomId) throw new Error('Webex returned the message without its roomId');
        this.message = { id: posted.id, roomId: posted.roomId };
      } else if (this.message) {
        await this.options.outlet.edit(this.message, markdown);
      }
      return true;
    } catch (err) {
      this.options.logger.warn({ err, decision }, 'progress message not updated');
      // After a failed edit, no more: the limit may be reached, or the message gone.
      this.state = { ...this.state, edits: this.policy.maxEdits };
      return false;
    }
  }
}
