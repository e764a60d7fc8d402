/**
 * The embedded Webex emulator: an Express server on loopback that answers the parts of Webex's
 * REST API the bot framework, the `webex` SDK and our bot use, under `/v1`, plus a control API
 * under `/_sandbox` (see faults.ts) for tests and benchmarks, and a chat page at `/` (see chat/).
 */
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { chatRouter } from './chat/router';
import { sandboxFacts, type SandboxFacts } from './facts';
import { FaultInjector } from './faults';
import { sendWebexError, trackingIds } from './http';
import { attachmentActionsRouter } from './routes/attachment-actions';
import { contentsRouter } from './routes/contents';
import type { RouteContext } from './routes/context';
import { controlRouter } from './routes/control';
import { membershipsRouter } from './routes/memberships';
import { messagesRouter } from './routes/messages';
import { oauthRouter } from './routes/oauth';
import { peopleRouter } from './routes/people';
import { recordingsRouter } from './routes/recordings';
import { roomsRouter } from './routes/rooms';
import { webhooksRouter } from './routes/webhooks';
import { seedSandbox } from './seed';
import { seedRecordings } from './seed-recordings';
import { SandboxState } from './state';
import { WebhookDispatcher } from './webhook-delivery';
import { SandboxWorld } from './world';

export type { SandboxFacts } from './facts';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the sandbox hands out tokens, keep it on loopback. */
  host?: string;
  /** Seed people, rooms and recordings (default true). */
  seed?: boolean;
  /** Where webhook delivery failures and unhandled requests are reported; default stderr. */
  log?: (message: string) => void;
  /**
   * The clock of the Recording Report API (accessSummary's window, the time of added
   * accesses), epoch ms; tests that move the bot's clock move this one with it. Default
   * Date.now.
   */
  now?: () => number;
}

export interface Sandbox {
  state: SandboxState;
  /** `http://127.0.0.1:PORT/v1` */
  apiUrl: string;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  port: number;
  facts(): SandboxFacts;
  faults: FaultInjector;
  /** The seeded bot's access token ('' when not seeded). */
  botToken: string;
  /** Webhook delivery counters, and `idle()` to wait for deliveries in flight. */
  webhooks: WebhookDispatcher;
  /** `METHOD /path` of requests no route handled (answered 404), newest last. */
  unhandledRequests: string[];
  close(): Promise<void>;
}

/** How many unhandled requests are remembered. */
const UNHANDLED_LIMIT = 500;

/** Turns body-parser errors into Webex-shaped 400/413s and anything else into a 500. */
function webexErrorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (error: { type?: string; status?: number; message?: string }, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error.type === 'entity.parse.failed') {
      sendWebexError(res, 400, 'The request body is not valid JSON.');
    } else if (error.type === 'entity.too.large') {
      sendWebexError(res, 413, 'The request body is too large.');
    } else {
      log(`sandbox: ${req.method} ${req.originalUrl} failed: ${error.message ?? String(error)}`);
      sendWebexError(res, error.status ?? 500, 'The sandbox failed to handle the request.');
    }
  };
}

function buildApp(
  ctx: RouteContext,
  faults: FaultInjector,
  dispatcher: WebhookDispatcher,
  unhandled: string[],
  log: (message: string) => void,
  now: () => number,
): Express {
  const { state } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.use(trackingIds());
  app.use(
    '/_sandbox',
    controlRouter({
      state,
      faults,
      facts: () => sandboxFacts(state),
      deliveries: () => ({ ...dispatcher.stats }),
      delivery: {
        get: () => dispatcher.deliverySettings(),
        set: (settings) => dispatcher.setDeliverySettings(settings),
      },
      unhandled: () => [...unhandled],
      now,
    }),
  );
  app.use('/v1', faults.middleware());
  app.use('/v1', express.json({ limit: '5mb' }));
  for (const router of [
    peopleRouter(ctx),
    roomsRouter(ctx),
    membershipsRouter(ctx),
    messagesRouter(ctx),
    contentsRouter(ctx),
    webhooksRouter(ctx),
    attachmentActionsRouter(ctx),
    oauthRouter(state),
    recordingsRouter(state, { now }),
  ]) {
    app.use('/v1', router);
  }
  // The browser chat page for the sandbox's users (src/sandbox/chat/).
  app.use('/', chatRouter());
  app.use((req, res) => {
    // Anything the SDK or the bot calls that the sandbox lacks shows up here, not silently.
    unhandled.push(`${req.method} ${req.originalUrl}`);
    if (unhandled.length > UNHANDLED_LIMIT) unhandled.shift();
    log(`sandbox: unhandled ${req.method} ${req.originalUrl}`);
    sendWebexError(res, 404, 'The requested resource could not be found.');
  });
  app.use(webexErrorHandler(log));
  return app;
}

/**
 * Starts a seeded sandbox on loopback.
 * @example
 * const sandbox = await startSandbox({ port: 0 });
 * const host = sandbox.facts().users[0]; // post as them with host.token
 * await sandbox.close();
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const state = new SandboxState();
  const dispatcher = new WebhookDispatcher(state, log);
  const world = new SandboxWorld(state, dispatcher);
  const faults = new FaultInjector(state);
  const unhandled: string[] = [];
  let botToken = '';
  const now = options.now ?? Date.now;
  if (options.seed ?? true) {
    botToken = seedSandbox(state).botToken;
    seedRecordings(state, { now: now() });
  }
  const app = buildApp({ state, world }, faults, dispatcher, unhandled, log, now);

  const host = options.host ?? '127.0.0.1';
  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${port}`;

  return {
    state,
    apiUrl: `${baseUrl}/v1`,
    baseUrl,
    port,
    facts: () => sandboxFacts(state),
    faults,
    botToken,
    webhooks: dispatcher,
    unhandledRequests: unhandled,
    close: async () => {
      faults.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
