/**
 * When the bot tries its websocket again after the SDK gave up on it. Pure: the attempt number
 * and a random source in, a delay out.
 */

export interface SocketBackoff {
  /** The first retry's delay. */
  baseMs: number;
  /** No retry waits longer. */
  maxMs: number;
}

/** 1 s, doubling to 32 s, like the SDK's own reconnects, but with jitter (replicas spread out). */
export const SOCKET_BACKOFF: SocketBackoff = { baseMs: 1_000, maxMs: 32_000 };

/**
 * The delay before recovery attempt `attempt` (1, 2, …): doubling from `baseMs`, at most
 * `maxMs`, then a random 50–100 % of that ("equal jitter": never zero, never in lockstep).
 * @example recoveryDelayMs(1, SOCKET_BACKOFF, () => 1) // 1000
 * @example recoveryDelayMs(9, SOCKET_BACKOFF, () => 0) // 16000
 */
export function recoveryDelayMs(
  attempt: number,
  backoff: SocketBackoff,
  random: () => number,
): number {
  const doubled = backoff.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 20);
  const capped = Math.min(doubled, backoff.maxMs);
  return Math.round(capped / 2 + (capped / 2) * random());
}

/**
 * How a recovery attempt gets a socket URL: the first refreshes the registration (Webex hands
 * out a fresh socket URL, or a new registration if it forgot this one); later ones replace the
 * registration outright, in case refreshing keeps handing back a URL that does not work.
 * @example recoveryStep(1) // 'refresh'
 */
export function recoveryStep(attempt: number): 'refresh' | 'reregister' {
  return attempt <= 1 ? 'refresh' : 'reregister';
}
