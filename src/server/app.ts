/**
 * The bot's HTTP surface: the webhook receiver, and an Express app for health, readiness,
 * metrics and any routes other parts add (the OAuth callback). Transport only.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../log';
import type { WebhookEnvelope } from '../bot/envelope';
import type { Metrics } from '../metrics';
import { WEBHOOK_PATH, webhookReceiver, type RequestHandler } from './receiver';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
}

export interface HttpAppOptions {
  webhookSecret: string;
  onWebhookEvent: (envelope: WebhookEnvelope) => Promise<void> | void;
  readiness: ReadinessCheck[];
  routes?: Router[];
  logger: Logger;
  metrics?: Metrics;
}

/**
 * Builds the bot's request handler: webhooks go straight to the receiver, the rest to Express.
 * @example http.createServer(createHttpApp({ webhookSecret, onWebhookEvent, readiness: [], logger }));
 */
export function createHttpApp(options: HttpAppOptions): RequestHandler {
  const receive = webhookReceiver({
    secret: options.webhookSecret,
    onEvent: options.onWebhookEvent,
    logger: options.logger,
    metrics: options.metrics,
  });
  const app = express();
  app.disable('x-powered-by');
  if (options.metrics) {
    const { registry } = options.metrics;
    app.get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
  }
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          return [name, await check()] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: Object.fromEntries(results),
    });
  });
  for (const router of options.routes ?? []) app.use(router);
  // Body-parser and other errors: a short JSON answer, never Express's HTML stack trace.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = httpStatusOf(err);
    if (status >= 500) options.logger.error({ err }, 'request failed');
    res.status(status).json({ message: status >= 500 ? 'Internal error.' : 'Bad request.' });
  });
  return (req, res) => {
    if (req.method === 'POST' && req.url?.split('?')[0] === WEBHOOK_PATH) receive(req, res);
    else app(req, res);
  };
}

function httpStatusOf(err: unknown): number {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
