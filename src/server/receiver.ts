/**
 * How events reach the bot, in the manner of bolt-js receivers: a receiver takes deliveries
 * from one transport (HTTP webhooks today, a websocket later), verifies and acknowledges them
 * in that transport's terms, and hands each verified envelope to an {@link EventHandler}.
 * The bot sees envelopes only, never a request, a socket or a status code.
 */
import type { WebhookEnvelope } from '../bot/envelope';

/**
 * Processes one verified event. It is called after the delivery was acknowledged; a
 * rejection is logged by the receiver, never sent back to Webex.
 */
export type EventHandler = (envelope: WebhookEnvelope) => Promise<void> | void;

export interface Receiver {
  /** Starts taking deliveries; resolves once they can arrive. */
  start(): Promise<unknown>;
  /**
   * Stops taking deliveries. Resolves once every delivery that was acknowledged has been
   * handed to the handler (the handler's own work may still be running).
   */
  stop(): Promise<void>;
}
