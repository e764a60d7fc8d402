/**
 * How events reach the bot, in the manner of bolt-js receivers: a receiver takes deliveries
 * from one transport (HTTP webhooks today, a websocket later), verifies them, hands each
 * verified envelope to an {@link AcceptEvent} (the durable inbox) and acknowledges it in that
 * transport's terms only once it was accepted. The bot sees envelopes only, never a request,
 * a socket or a status code.
 */
import type { WebhookEnvelope } from '../bot/envelope';

/**
 * Takes one verified event into safe keeping (stores it); it is processed later, elsewhere.
 * The delivery is acknowledged once this resolves. A rejection means "not taken": the
 * receiver logs it at error and tells the sender to try again (HTTP 503), so Webex redelivers.
 */
export type AcceptEvent = (envelope: WebhookEnvelope) => Promise<void>;

export interface Receiver {
  /** Starts taking deliveries; resolves once they can arrive. */
  start(): Promise<unknown>;
  /** Stops taking deliveries. Resolves once every delivery being accepted has been answered. */
  stop(): Promise<void>;
}
