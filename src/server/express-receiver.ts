/**
 * The HTTP receiver: one Express app that owns listening and closing, serves
 * `POST /webhooks/webex` (raw bytes, signature first, then the event is accepted, i.e. stored,
 * then 200; 503 when it could not be stored) and carries the other routes (health, readiness,
 * metrics, OAuth callback) beside it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, {
  type ErrorRequestHandler,
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { Logger } from '../log';
import { listenFailure } from '../startup-errors';
import { isWebhookEnvelope, type WebhookEnvelope } from '../bot/envelope';
import type { Metrics } from '../metrics';
import type { AcceptEvent, Receiver } from './receiver';
import { verifyWebexSignature } from './verify-signature';

export const WEBHOOK_PATH = '/webhooks/webex';

/** Webex webhook bodies are a few KB; anything bigger is not from Webex. */
const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Server timeouts, chosen for small POSTs from Webex, possibly through a proxy:
 * - headers within 10 s: connections that trickle headers (slowloris) are dropped early;
 * - the whole request within 15 s: a 256 KB body needs far less on any working link;
 * - idle keep-alive connections kept 65 s, longer than the 60 s idle timeout of common proxies
 *   and load balancers, so they close first and never send on a socket we are closing;
 * - the timeouts are checked every second rather than Node's default 30 s.
 */
export const SERVER_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  keepAliveTimeout: 65_000,
  connectionsCheckingInterval: 1_000,
};

/** On stop, how long requests already being read get to finish before their sockets go. */
const STOP_GRACE_MS = 3_000;

export interface ExpressReceiverOptions {
  port: number;
  host: string;
  logger: Logger;
  maxBodyBytes?: number;
}

export interface WebhookRouteOptions {
  /**
   * The webhook route, with WEBEX_WEBHOOK_SECRET (every delivery's `X-Spark-Signature` is
   * checked against it) and what stores the event (the delivery is answered 200 once it
   * resolves, 503 if it rejects). Absent in websocket mode: there is no webhook route at all,
   * since a route without a secret would take forged events.
   */
  webhooks?: { secret: string; accept: AcceptEvent };
  metrics?: Metrics;
  /** Served on the same app after the webhook route (health, metrics, OAuth callback). */
  routes?: Router[];
}

export interface Listening {
  port: number;
  /** `http://host:port`, with 127.0.0.1 for a server listening on every address. */
  url: string;
}

type Outcome = 'accepted' | 'refused' | 'invalid' | 'unstored';

/**
 * Receives Webex webhooks over HTTP. It can listen before it knows its secret and handler
 * (sandbox mode needs the port first): until {@link init} every request gets 503 "starting".
 * @example
 * const receiver = new ExpressReceiver({ port: 3000, host: '0.0.0.0', logger });
 * const { url } = await receiver.start();
 * receiver.init({ webhooks: { secret, accept: (e) => inbox.accept(e) }, routes: [health] });
 * await receiver.stop();
 */
export class ExpressReceiver implements Receiver {
  readonly app: Express;
  private server?: Server;
  private ready = false;
  private stopping = false;
  /** Requests being answered, so stopping can let them finish. */
  private readonly answering = new Set<Promise<void>>();
  private readonly maxBodyBytes: number;

  constructor(private readonly options: ExpressReceiverOptions) {
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.app = express();
    this.app.disable('x-powered-by');
    // Nothing here is cached by clients; without ETags a short JSON answer also goes out as
    // one write instead of a hash and two.
    this.app.set('etag', false);
    this.app.use(this.gate);
  }

  /**
   * Listens on the configured address. A port in use (and the like) rejects with a
   * StartupError that says what to do.
   */
  async start(): Promise<Listening> {
    if (this.server) throw new Error('The receiver is already started.');
    const { port, host } = this.options;
    const server = createServer(SERVER_TIMEOUTS, this.app);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      throw listenFailure(err, host, port);
    }
    server.on('error', (err) => this.options.logger.error({ err }, 'HTTP server error'));
    this.server = server;
    const actual = (server.address() as AddressInfo).port;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return {
      port: actual,
      url: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${actual}`,
    };
  }

  /** Serves the webhook route and `routes` from now on (before or after {@link start}). */
  init(options: WebhookRouteOptions): void {
    if (this.ready) throw new Error('The receiver is already initialised.');
    if (options.webhooks) this.app.use(this.webhookRouter(options.webhooks, options.metrics));
    for (const router of options.routes ?? []) this.app.use(router);
    this.app.use(jsonErrors(this.options.logger));
    this.ready = true;
  }

  /**
   * Stops listening, lets requests being answered (deliveries being stored) finish, up to a
   * few seconds, then closes every connection.
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.answering]),
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
    this.server = undefined;
  }

  /** First on every request: "starting" until initialised, and `Connection: close` once stopping. */
  private readonly gate: RequestHandler = (_req, res, next) => {
    const answered = new Promise<void>((resolve) => res.once('close', resolve));
    this.answering.add(answered);
    void answered.then(() => this.answering.delete(answered));
    if (this.stopping) res.set('Connection', 'close');
    if (!this.ready) {
      res.status(503).set('Retry-After', '1').json({ status: 'starting' });
      return;
    }
    next();
  };

  private webhookRouter(
    { secret, accept }: NonNullable<WebhookRouteOptions['webhooks']>,
    metrics: Metrics | undefined,
  ): Router {
    const count = (outcome: Outcome) => metrics?.webhooks.inc({ outcome });
    const router = express.Router();
    router.post(
      WEBHOOK_PATH,
      refuseOversized(this.maxBodyBytes, () => count('invalid')),
      // Webex does not compress webhook bodies, and the signature is over the bytes as sent.
      express.raw({ inflate: false, limit: this.maxBodyBytes, type: () => true }),
      async (req: Request, res: Response) => {
        const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const problem = verifyWebexSignature(rawBody, req.get('x-spark-signature'), secret);
        if (problem) {
          count('refused');
          this.options.logger.warn({ problem }, 'webhook refused');
          res.status(401).json({ message: 'Invalid webhook signature.' });
          return;
        }
        const envelope = parseEnvelope(rawBody);
        if (!envelope) {
          count('invalid');
          res.status(400).json({ message: 'Webhook body is not a Webex webhook envelope.' });
          return;
        }
        try {
          await accept(envelope);
        } catch (err) {
          // Not stored, so not acknowledged: Webex delivers it again.
          count('unstored');
          this.options.logger.error(
            { err, resource: envelope.resource },
            'webhook event could not be stored; answered 503',
          );
          res.status(503).set('Retry-After', '1').json({ message: 'Try again later.' });
          return;
        }
        count('accepted');
        res.status(200).json({ ok: true });
      },
    );
    // Four parameters: that is how Express tells an error handler from middleware.
    router.use(WEBHOOK_PATH, ((err: { type?: string }, req, res, _next) => {
      // Already answered (a body found too large while streaming): its socket is closing.
      if (res.headersSent) return;
      count('invalid');
      if (err.type === 'encoding.unsupported') {
        refuse(req, res, 415, 'Compressed webhook bodies are not accepted.');
      } else if (err.type === 'entity.too.large') {
        refuse(req, res, 413, 'Bad request.');
      } else {
        res.status(400).json({ message: 'Bad request.' });
      }
    }) as ErrorRequestHandler);
    return router;
  }
}

/**
 * Answers 413 as soon as a body is known to be too big: from `Content-Length` before reading
 * anything, or while a chunked body streams in. (body-parser would read the rest of it first.)
 */
function refuseOversized(limit: number, onRefused: () => void): RequestHandler {
  return (req, res, next) => {
    if (Number(req.headers['content-length']) > limit) {
      onRefused();
      refuse(req, res, 413, 'Bad request.');
      return;
    }
    if (req.headers['content-length'] === undefined) {
      let received = 0;
      const onData = (chunk: Buffer) => {
        received += chunk.length;
        if (received <= limit) return;
        req.off('data', onData);
        onRefused();
        refuse(req, res, 413, 'Bad request.');
      };
      req.on('data', onData);
    }
    next();
  };
}

/** Answers and closes the connection, so the rest of an unread body is never read. */
function refuse(req: Request, res: Response, status: number, message: string): void {
  res.once('finish', () => req.socket.destroy());
  res.status(status).set('Connection', 'close').json({ message });
}

/** The app's last handler: a short JSON answer, never Express's HTML page with a stack trace. */
function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = httpStatusOf(err);
    if (status >= 500) logger.error({ err }, 'request failed');
    res.status(status).json({ message: status >= 500 ? 'Internal error.' : 'Bad request.' });
  };
}

function httpStatusOf(err: unknown): number {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function parseEnvelope(rawBody: Buffer): WebhookEnvelope | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
    return isWebhookEnvelope(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
