/**
 * Counts, per event, the replies the bot posted and the first post that failed, so the inbox
 * can tell "nothing reached the person because Webex did not take the post" (worth another
 * attempt later: no reply can repeat) from "answered" (done, even if a later post failed).
 * The tally follows the event's handler through its awaits (AsyncLocalStorage).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  WebexApiError,
  WebexNetworkError,
  WebexRateLimitedError,
  WebexTimeoutError,
} from '../webex/errors';

export interface ReplyTally {
  posted: number;
  /** The first post that failed, if any. */
  failure?: unknown;
}

const current = new AsyncLocalStorage<ReplyTally>();

/**
 * Runs `work` with a fresh tally and returns it with the work's outcome.
 * @example const { tally } = await tallyReplies(() => dispatcher.onMessage(message));
 */
export async function tallyReplies(work: () => Promise<void>): Promise<{ tally: ReplyTally }> {
  const tally: ReplyTally = { posted: 0 };
  await current.run(tally, work);
  return { tally };
}

/** Called by the messenger for every message it posted. */
export function notePosted(): void {
  const tally = current.getStore();
  if (tally) tally.posted += 1;
}

/** Called by the messenger for every post Webex did not take. */
export function notePostFailed(err: unknown): void {
  const tally = current.getStore();
  if (tally && tally.failure === undefined) tally.failure = err;
}

/**
 * Webex did not take the post but may later: unreachable, too slow, busy or a 5xx. A 4xx
 * (a card Webex refuses, a space the bot left) would fail the same way again.
 * @example isPostRetryable(new WebexNetworkError('ECONNREFUSED')) // true
 */
export function isPostRetryable(err: unknown): boolean {
  if (err instanceof WebexNetworkError || err instanceof WebexTimeoutError) return true;
  if (err instanceof WebexRateLimitedError) return true;
  return err instanceof WebexApiError && (err.status ?? 0) >= 500;
}

/** Nothing was posted for the event and the post that failed may work later. */
export class ReplyNotPostedError extends Error {
  readonly code = 'reply_not_posted';
  /** The inbox tries the event again later. */
  readonly retryable = true;
  constructor(cause: unknown) {
    super('the reply could not be posted: Webex did not take it', { cause });
    this.name = 'ReplyNotPostedError';
  }
}
