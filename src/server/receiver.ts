/**
 * The webhook receiver: verify the raw bytes, acknowledge, hand over. It knows nothing of
 * what events mean; the bot gets a verified, parsed envelope and never sees the request.
 * It is plain Node HTTP rather than an Express route: it is the hot path (every event Webex
 * sends), and it needs nothing Express offers beyond reading a small body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log';
import { isWebhookEnvelope, type WebhookEnvelope } from '../bot/envelope';
import type { Metrics } from '../metrics';
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

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Handles `POST /webhooks/webex`: 401 unless `X-Spark-Signature` matches the raw body, else
 * 200 at once and the event is processed after the response.
 * @example const receive = webhookReceiver({ secret, onEvent: (e) => bot.handle(e), logger });
 */
export function webhookReceiver(options: ReceiverOptions): RequestHandler {
  const limit = options.maxBodyBytes ?? 256 * 1024;
  const count = (outcome: 'accepted' | 'refused' | 'invalid') =>
    options.metrics?.webhooks.inc({ outcome });

  return (req, res) => {
    // Webex does not compress webhook bodies, and the signature is over the bytes as sent.
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      count('invalid');
      reply(res, 415, { message: 'Compressed webhook bodies are not accepted.' });
      req.resume();
      return;
    }
    readBody(req, limit).then(
      (rawBody) => {
        const problem = verifyWebexSignature(
          rawBody,
          header(req, 'x-spark-signature'),
          options.secret,
        );
        if (problem) {
          count('refused');
          options.logger.warn({ problem }, 'webhook refused');
          reply(res, 401, { message: 'Invalid webhook signature.' });
          return;
        }
        const envelope = parseEnvelope(rawBody);
        if (!envelope) {
          count('invalid');
          reply(res, 400, { message: 'Webhook body is not a Webex webhook envelope.' });
          return;
        }
        count('accepted');
        reply(res, 200, { ok: true });
        setImmediate(() => {
          Promise.resolve()
            .then(() => options.onEvent(envelope))
            .catch((err: unknown) =>
              options.logger.error(
                { err, resource: envelope.resource },
                'webhook processing failed',
              ),
            );
        });
      },
      (err: unknown) => {
        count('invalid');
        const tooLarge = err instanceof BodyTooLargeError;
        reply(res, tooLarge ? 413 : 400, { message: 'Bad request.' });
      },
    );
  };
}

class BodyTooLargeError extends Error {}

/** The request body as sent, refused past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError());
        // Stop buffering; the answer is already decided.
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function parseEnvelope(rawBody: Buffer): WebhookEnvelope | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
    return isWebhookEnvelope(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}
