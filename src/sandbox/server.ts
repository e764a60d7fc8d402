/**
 * The embedded Webex emulator: an Express server on loopback that answers the parts of Webex's
 * REST API the bot framework, the `webex` SDK and our bot use, under `/v1`, plus a control API
 * under `/_sandbox` (see faults.ts) for tests and benchmarks, and a chat page at `/` (see chat/).
 * For the SDK's websocket mode it also serves the service catalog (`/u2c`), device
 * registrations (`/wdm`) and the Mercury websocket (see mercury/).
 */
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { chatRouter } from './chat/router';
import { sandboxFacts, type SandboxFacts } from './facts';
import { allSinks } from './events';
import { FaultInjector } from './faults';
import { sendWebexError, trackingIds } from './http';
import { SERVICE_PATHS } from './mercury/catalog';
import { MercuryHub } from './mercury/hub';
import { attachmentActionsRouter } from './routes/attachment-actions';
import { contentsRouter } from './routes/contents';
import type { RouteContext } from './routes/context';
import { controlRouter } from './routes/control';
import { devicesRouter } from './routes/devices';
import { membershipsRouter } from './routes/memberships';
import { messagesRouter } from './routes/messages';
import { oauthRouter } from './routes/oauth';
import { peopleRouter } from './routes/people';
import { recordingsRouter } from './routes/recordings';
import { roomsRouter } from './routes/rooms';
import { socketControlRouter } from './routes/socket-control';
import { u2cRouter } from './routes/u2c';
import { webhooksRouter } from './routes/webhooks';
import { seedSandbox, type TokenStyle } from './seed';
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
  /**
   * How seeded tokens look. `hex` (the default): the SDK never asks for a service catalog,
   * enough for webhook mode. `webex`: `<hex>_<cluster>_<orgUuid>` like Webex's, from which the
   * SDK reads the org to fetch its catalog: websocket mode needs it (with U2C_SERVICE_URL set
   * to {@link Sandbox.u2cUrl}, else the SDK asks Cisco's U2C).
   */
  tokenStyle?: TokenStyle;
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
  /** The Mercury websocket: counters, `drop()`, and `idle()` to wait for unacknowledged frames. */
  sockets: MercuryHub;
  /** `http://127.0.0.1:PORT/u2c/api/v1`: what the SDK's `U2C_SERVICE_URL` must be for websocket mode. */
  u2cUrl: string;
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
  hub: MercuryHub,
  facts: () => SandboxFacts,
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
      facts,
      deliveries: () => ({ ...dispatcher.stats }),
      delivery: {
        get: () => dispatcher.deliverySettings(),
        set: (settings) => dispatcher.setDeliverySettings(settings),
      },
      unhandled: () => [...unhandled],
      now,
    }),
  );
  app.use('/_sandbox', socketControlRouter(state, hub));
  app.use(['/v1', SERVICE_PATHS.wdm, SERVICE_PATHS.u2c], faults.middleware());
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
  app.use(u2cRouter(state));
  app.use(devicesRouter({ state, closeSocketsOf: (deviceId) => closeSocketsOf(hub, deviceId) }));
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

/** A deleted device's socket stops for good (4404: its registration is gone). */
function closeSocketsOf(hub: MercuryHub, deviceId: string): void {
  hub.drop({ deviceId }, { code: 4404, reason: 'Device unregistered' });
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
  const hub = new MercuryHub(state, log);
  const world = new SandboxWorld(state, allSinks(dispatcher, hub));
  const faults = new FaultInjector(state);
  const unhandled: string[] = [];
  let botToken = '';
  const now = options.now ?? Date.now;
  if (options.seed ?? true) {
    botToken = seedSandbox(state, { tokenStyle: options.tokenStyle }).botToken;
    seedRecordings(state, { now: now() });
  }
  // Known once listening; the facts only go out after that.
  let u2cUrl = '';
  const facts = () => ({ ...sandboxFacts(state), u2cUrl });
  const app = buildApp({ state, world }, faults, dispatcher, hub, facts, unhandled, log, now);

  const host = options.host ?? '127.0.0.1';
  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${port}`;
  u2cUrl = `${baseUrl}${SERVICE_PATHS.u2c}`;
  hub.attach(server);

  return {
    state,
    apiUrl: `${baseUrl}/v1`,
    baseUrl,
    port,
    facts,
    faults,
    botToken,
    webhooks: dispatcher,
    sockets: hub,
    u2cUrl,
    unhandledRequests: unhandled,
    close: async () => {
      faults.dispose();
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
