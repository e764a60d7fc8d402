/**
 * The webhook receiver: verify the raw bytes, acknowledge, hand over. It knows nothing of
 * what events mean; the bot gets a verified, parsed envelope and never sees the request.
 */
import express, { type Router } from 'express';
import type { Logger } from '../log';
import { isWebhookEnvelope, type WebhookEnvelope } from './envelope';
import type { Metrics } from './metrics';
import { verifyWebexSignature } from './verify-signature';

export const WEBHOOK_PATH = '/webhooks/webex';

export interface ReceiverOptions {
  secret: string;
  /** Called after the 200 has been sent; a rejection is logged, never thrown. */
  onEvent: (envelope: WebhookEnvelope) => Promise<void> | void;
  logger: Logger;
  /** Webex webhook bodies are small; anything bigger is not from Webex. */
  maxBodyBytes?: number;
  metrics?: Metrics;
}

/**
 * `POST /webhooks/webex`: 401 unless `X-Spark-Signature` matches the raw body, else 200 at
 * once and the event is processed after the response.
 * @example app.use(webhookReceiver({ secret, onEvent: (e) => bot.process(e), logger }));
 */
export function webhookReceiver(options: ReceiverOptions): Router {
  const router = express.Router();
  router.post(
    WEBHOOK_PATH,
    // Webex does not compress webhook bodies; the signature is over the bytes as sent.
    express.raw({ type: () => true, limit: options.maxBodyBytes ?? 256 * 1024, inflate: false }),
    (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const problem = verifyWebexSignature(rawBody, req.get('x-spark-signature'), options.secret);
      if (problem) {
        options.metrics?.webhooks.inc({ outcome: 'refused' });
        options.logger.warn({ problem }, 'webhook refused');
        res.status(401).json({ message: 'Invalid webhook signature.' });
        return;
      }
      let envelope: unknown;
      try {
        envelope = JSON.parse(rawBody.toString('utf8'));
      } catch {
        options.metrics?.webhooks.inc({ outcome: 'invalid' });
        res.status(400).json({ message: 'Webhook body is not JSON.' });
        return;
      }
      if (!isWebhookEnvelope(envelope)) {
        options.metrics?.webhooks.inc({ outcome: 'invalid' });
        res.status(400).json({ message: 'Webhook body is not a Webex webhook envelope.' });
        return;
      }
      options.metrics?.webhooks.inc({ outcome: 'accepted' });
      res.status(200).json({ ok: true });
      const event = envelope;
      setImmediate(() => {
        Promise.resolve()
          .then(() => options.onEvent(event))
          .catch((err: unknown) =>
            options.logger.error({ err, resource: event.resource }, 'webhook processing failed'),
          );
      });
    },
  );
  return router;
}
