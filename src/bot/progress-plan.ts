/**
 * When a long audit shows progress, as pure functions of the time and the records read so far:
 * a short message once the audit has run for {@link PROGRESS_POLICY.showAfterMs}, then edits
 * no closer than `minEditGapMs` and at most `maxEdits` of them (Webex allows 10 per message;
 * one more is kept for turning the message into the error text). No I/O and no timers here:
 * ./commands/progress.ts does the sending.
 */
import type { Translator } from '../report/i18n';

export interface ProgressPolicy {
  /** Audits that finish sooner post nothing extra. */
  showAfterMs: number;
  /** Least time between one change of the message (post or edit) and the next edit. */
  minEditGapMs: number;
  /** Edits at most, so the error text still fits under Webex's 10. */
  maxEdits: number;
}

export const PROGRESS_POLICY: ProgressPolicy = {
  showAfterMs: 1_500,
  minEditGapMs: 2_000,
  maxEdits: 8,
};

/** What the progress message looks like at one moment. */
export interface ProgressState {
  startedAt: number;
  /** A post or edit has been sent and not yet answered: nothing else goes out meanwhile. */
  sending: boolean;
  /** Whether the message exists (its post was answered). */
  posted: boolean;
  /** When Webex last answered a post or edit of it. */
  changedAt?: number;
  edits: number;
  /** The count the message shows (or is being changed to). */
  shownRead?: number;
}

export type ProgressDecision = 'post' | 'edit' | 'none';

/**
 * The state of an audit that starts now.
 * @example let state = progressStarted(clock.now());
 */
export function progressStarted(now: number): ProgressState {
  return { startedAt: now, sending: false, posted: false, edits: 0 };
}

/**
 * What to do now that `read` records have been read.
 * @example decideProgress(progressStarted(0), 1_600, 700) // 'post'
 * @example decideProgress(progressStarted(0), 900, 700) // 'none'
 */
export function decideProgress(
  state: ProgressState,
  now: number,
  read: number,
  policy: ProgressPolicy = PROGRESS_POLICY,
): ProgressDecision {
  if (state.sending) return 'none';
  if (!state.posted) {
    // A post that failed is not tried again: progress is a courtesy, the report is the point.
    if (state.changedAt !== undefined) return 'none';
    return now - state.startedAt >= policy.showAfterMs ? 'post' : 'none';
  }
  if (state.edits >= policy.maxEdits || read === state.shownRead) return 'none';
  return now - (state.changedAt ?? state.startedAt) >= policy.minEditGapMs ? 'edit' : 'none';
}

/**
 * The state once a post or edit showing `read` has been sent.
 * @example state = progressSending(state, 'post', 700);
 */
export function progressSending(
  state: ProgressState,
  decision: Exclude<ProgressDecision, 'none'>,
  read: number,
): ProgressState {
  return {
    ...state,
    sending: true,
    shownRead: read,
    edits: decision === 'edit' ? state.edits + 1 : state.edits,
  };
}

/**
 * The state once Webex has answered (`ok` false: the call failed). Gaps count from here, so
 * the spacing holds where Webex applies the edits, not only where the bot sends them.
 * @example state = progressAnswered(state, clock.now(), true);
 */
export function progressAnswered(state: ProgressState, now: number, ok: boolean): ProgressState {
  return { ...state, sending: false, posted: state.posted || ok, changedAt: now };
}

/**
 * The progress message's markdown, in the person's language (`progress.*` in
 * cards/locales/). Webex's accessDetail says nothing of the total, so without an `expected`
 * count it says how many are read so far.
 * @example progressText(1200, english()) // 'Reading the access report… 1,200 read so far'
 * @example progressText(1200, english(), 2500) // 'Reading the access report… 1,200 of about 2,500'
 */
export function progressText(read: number, messages: Translator, expected?: number): string {
  if (expected !== undefined && expected >= read) {
    return messages.t('progress.readOfAbout', { read, expected });
  }
  if (read === 0) return messages.t('progress.started');
  return messages.t('progress.readSoFar', { read });
}
