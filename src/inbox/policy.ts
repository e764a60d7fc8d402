/**
 * The inbox's decisions, without I/O: how long a lease lasts, when a failed event is tried
 * again, and when to give up and tell the person.
 */

export interface InboxPolicy {
  /** How long a claim holds an event; a crashed replica's events are taken over after this. */
  leaseMs: number;
  /** How often a replica extends the leases of events it is still working on. */
  renewEveryMs: number;
  /** How often a replica looks for due and lapsed events (besides being woken by new ones). */
  pollEveryMs: number;
  /** First pause before trying a failed event again; it doubles per attempt, up to the cap. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** An event still failing this long after it arrived is given up (and the person told). */
  retryForMs: number;
  /** Events processed at once by one replica. */
  maxConcurrent: number;
  /** Done and failed events are kept this long (so a late redelivery is still a duplicate). */
  keepFinishedMs: number;
  pruneEveryMs: number;
}

export const DEFAULT_INBOX_POLICY: InboxPolicy = {
  leaseMs: 15_000,
  renewEveryMs: 5_000,
  pollEveryMs: 2_000,
  firstRetryMs: 2_000,
  maxRetryMs: 60_000,
  retryForMs: 10 * 60_000,
  maxConcurrent: 16,
  keepFinishedMs: 24 * 60 * 60_000,
  pruneEveryMs: 10 * 60_000,
};

/**
 * The pause after the `failedAttempts`-th failure: `firstRetryMs` doubling up to
 * `maxRetryMs`, then 80–120 % of that so replicas that failed together do not retry together.
 * @example retryDelayMs(1, DEFAULT_INBOX_POLICY, () => 0.5) // 2000
 */
export function retryDelayMs(
  failedAttempts: number,
  policy: Pick<InboxPolicy, 'firstRetryMs' | 'maxRetryMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const base = Math.min(policy.firstRetryMs * 2 ** Math.min(exponent, 30), policy.maxRetryMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface FailedAttempt {
  /** Attempts so far, the failed one included. */
  attempts: number;
  receivedAt: number;
  now: number;
  error: unknown;
}

export type AfterFailure = { kind: 'retry'; at: number } | { kind: 'give-up'; why: string };

/**
 * What to do with an event whose processing failed: try again later when the error says it
 * may help (`retryable: true`) and the retry window is not over, else give up.
 * @example afterFailure({ attempts: 1, receivedAt: 0, now: 10, error: readError }, DEFAULT_INBOX_POLICY)
 */
export function afterFailure(
  failed: FailedAttempt,
  policy: Pick<InboxPolicy, 'firstRetryMs' | 'maxRetryMs' | 'retryForMs'>,
  random: () => number = Math.random,
): AfterFailure {
  if (!isRetryable(failed.error)) return { kind: 'give-up', why: 'not retryable' };
  const at = failed.now + retryDelayMs(failed.attempts, policy, random);
  if (at - failed.receivedAt > policy.retryForMs) {
    return { kind: 'give-up', why: `still failing after ${failed.attempts} attempts` };
  }
  return { kind: 'retry', at };
}

/** Errors say themselves whether another attempt may help (`retryable: true`). */
export function isRetryable(err: unknown): boolean {
  return (err as { retryable?: unknown } | null)?.retryable === true;
}

/** A short, token-free description of a failure for the inbox row and the logs. */
export function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 300);
  const code = (err as { code?: unknown }).code;
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${err.message}${cause}`.slice(0, 300);
}
