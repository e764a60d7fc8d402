/**
 * The composition root: builds every part from the configuration and connects them.
 * Sandbox and Webex mode differ only in the settings they pass here.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccountLinker } from './auth/linking';
import { PersonTokens } from './auth/person-tokens';
import type { Config } from './config';
import { InFlight } from './in-flight';
import type { Logger } from './log';
import { Digests } from './bot/digest';
import { CommandDispatcher } from './bot/dispatcher';
import { loadManifest } from './bot/manifest';
import { RecordsCache } from './bot/records-cache';
import { Messenger } from './bot/replies';
import type { WebhookEnvelope } from './bot/envelope';
import { deviceNameFor } from './bot/framework/devices';
import { BotRuntime, type BotRuntimeOptions } from './bot/runtime';
import { undeliveredNote } from './bot/undelivered';
import { UsageLog } from './bot/usage-log';
import { Watches } from './bot/watches';
import { Inbox } from './inbox/inbox';
import { systemClock, type Clock } from './scheduler/clock';
import { DEFAULT_SCHEDULER_POLL_MS, Scheduler } from './scheduler/scheduler';
import { keepWebhooks } from './bot/webhook-upkeep';
import type { BotServices } from './bot/services';
import { preloadCardTemplates } from './cards';
import { ExpressReceiver, WEBHOOK_PATH } from './server/express-receiver';
import { createMetrics, type Metrics } from './metrics';
import { OAUTH_CALLBACK_PATH, oauthCallback } from './server/oauth-callback';
import { statusRoutes } from './server/status-routes';
import { storeFailure } from './startup-errors';
import { openStore } from './store';
import type { Store } from './store/store';
import { createWebexHttp, type WebexHttp } from './webex/client';

/**
 * The framework's reads of each event (message, sender, card click) give up after this: the
 * inbox tries the whole event again later, with backoff, instead of one call waiting a minute.
 */
/** Tries to store an event from the socket (0.5 s, then 1 s, … apart) before it is lost. */
const SOCKET_ACCEPT_TRIES = 4;
/** On stop, how long events from the socket still being stored get. */
const SOCKET_ACCEPT_DRAIN_MS = 5_000;
/** WEBEX_DEVICE_NAME's default: the first part of every replica's registration name. */
const DEFAULT_DEVICE_PREFIX = 'recording-audit-bot';
/** How long a stopping replica keeps listening after /readyz turns 503 (within the grace). */
const READINESS_LINGER_MS = 2_000;
const EVENT_READ_TIMEOUT_MS = 10_000;

/** What is known only once the server listens (sandbox mode picks its port then). */
export interface Deployment {
  botToken: string;
  /** Signs webhook deliveries; websocket mode has none (and serves no webhook route). */
  webhookSecret?: string;
  /** Websocket mode: the service catalog (U2C) the SDK starts from; absent: Webex's own. */
  u2cUrl?: string;
  /** Base URL Webex reaches us at; defaults to the listening address. */
  publicUrl?: string;
  /** The Webex Integration used for per-person OAuth. */
  oauth: { clientId: string; clientSecret: string };
  /** Encrypts stored tokens (32 bytes). */
  tokenKey: Buffer;
}

export interface RunningApp {
  port: number;
  publicUrl: string;
  runtime: BotRuntime;
  store: Store;
  inbox: Inbox;
  /** Runs the durable jobs (watches, digests, pruning); handlers are registered before start. */
  scheduler: Scheduler;
  /**
   * Readiness 503 at once, no new claims, in-flight events get SHUTDOWN_GRACE_SECONDS, then
   * the unfinished ones are handed back; the receiver stores what arrives until then; the
   * webhooks stay (in websocket mode the socket closes and the device registration goes);
   * the store closes last.
   */
  close(): Promise<void>;
}

export interface StartAppOptions {
  config: Config;
  logger: Logger;
  /** Called once the server listens, before anything else starts. */
  deploy: (listenUrl: string) => Promise<Deployment> | Deployment;
  /** The scheduler's time; tests move a ManualClock and wake the scheduler. Default: system. */
  clock?: Clock;
}

/**
 * Starts the HTTP server and the bot. Failures an operator can fix (port in use, database
 * unreachable) reject with a StartupError.
 * @example const app = await startApp({ config, logger, deploy: () => deployment });
 */
export async function startApp({
  config,
  logger,
  deploy,
  clock,
}: StartAppOptions): Promise<RunningApp> {
  // Listening first tells sandbox mode its URL; until init, the receiver answers "starting".
  const receiver = new ExpressReceiver({ port: config.port, host: config.host, logger });
  const { port, url: listenUrl } = await receiver.start();

  let store: Store | undefined;
  try {
    const deployment = await deploy(listenUrl);
    const publicUrl = (deployment.publicUrl ?? listenUrl).replace(/\/+$/, '');
    store = await openStore(config.databaseUrl).catch((err: unknown) => {
      throw storeFailure(err, config.databaseUrl);
    });
    const openedStore = store;
    const metrics = createMetrics({ inboxDepth: () => openedStore.inboxDepth() });
    const replicaId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const scheduler = new Scheduler({
      store,
      logger,
      metrics,
      clock,
      holder: replicaId,
      // Polled at least twice per reconcile interval, so a reconcile is never late by more.
      pollMs: Math.min(DEFAULT_SCHEDULER_POLL_MS, (config.webhookReconcileSeconds * 1000) / 2),
      drainMs: config.shutdownGraceSeconds * 1000,
    });
    const services = buildServices(
      config,
      logger,
      deployment,
      publicUrl,
      store,
      metrics,
      scheduler,
      clock ?? systemClock,
    );
    // Scheduled work registers its jobs before the scheduler starts.
    services.watches.register();
    services.digests.register();
    let runtime: BotRuntime | undefined;
    const dispatcher = new CommandDispatcher(services, { selfId: () => runtime?.identity.id });
    const inFlight = new InFlight();
    const inbox = new Inbox({ store, replicaId, logger, metrics });
    const socketAccepts = new InFlight();
    let stopping = false;
    const transport = eventTransport(
      config,
      deployment,
      publicUrl,
      port,
      (envelope) => void socketAccepts.track(acceptSocketEvent(inbox, envelope, metrics, logger)),
      metrics,
    );

    // From here on webhook deliveries are stored (and answered 200) even while the framework
    // starts; the inbox processes them once it has.
    receiver.init({
      ...(transport.kind === 'webhook'
        ? {
            webhooks: {
              secret: transport.webhookSecret,
              accept: (envelope: WebhookEnvelope) => inbox.accept(envelope),
            },
          }
        : {}),
      metrics,
      routes: [
        statusRoutes({
          readiness: [
            // A write, not SELECT 1: a database that reads but refuses writes loses events.
            {
              name: 'store',
              check: async () => (await store?.heartbeat(replicaId, Date.now()), true),
            },
            {
              name: transport.kind === 'webhook' ? 'webhooks' : 'socket',
              check: async () => (runtime ? runtime.eventsReady() : false),
            },
            { name: 'serving', check: async () => !stopping },
          ],
          metrics,
        }),
        oauthCallback({
          linker: services.linker,
          onLinked: (account) => inFlight.track(dispatcher.onLinked(account)),
          logger,
          botName: loadManifest().name,
        }),
      ],
    });

    const started = await BotRuntime.start({
      apiUrl: config.apiUrl,
      botToken: deployment.botToken,
      transport,
      http: services.http,
      eventReadsHttp: eventReadsHttp(config, logger),
      logger,
      onMessage: (message) => dispatcher.onMessage(message),
      onCardAction: (action) => dispatcher.onCardAction(action),
      onBotAdded: (added) => dispatcher.onBotAdded(added),
      metrics,
    });
    runtime = started;
    inbox.start({
      process: (envelope) => started.handle(envelope),
      onGaveUp: async (envelope) => {
        const note = undeliveredNote(envelope, started.identity.id);
        if (note) await services.messenger.send(note.to, note.reply);
      },
    });
    await services.usageLog.schedulePruning(scheduler);
    if (started.webhooks) {
      await keepWebhooks({
        scheduler,
        reconciler: started.webhooks,
        intervalMs: config.webhookReconcileSeconds * 1000,
        logger,
      });
    }
    scheduler.start();
    void preloadInBackground(preloadCardTemplates, logger);

    return {
      port,
      publicUrl,
      runtime: started,
      store: openedStore,
      inbox,
      scheduler,
      close: async () => {
        stopping = true;
        const graceMs = config.shutdownGraceSeconds * 1000;
        // A load balancer sends deliveries until it sees /readyz go 503; they are stored.
        const linger = sleep(Math.min(graceMs, READINESS_LINGER_MS));
        const [, linkedDone] = await Promise.all([
          inbox.stop(graceMs),
          inFlight.drain(graceMs),
          scheduler.stop(),
          linger,
        ]);
        if (!linkedDone)
          logger.warn({ pending: inFlight.size }, 'stopped with replies to sign-ins in flight');
        await receiver.stop();
        // Until here the socket stayed open and what came over it was stored.
        await started.stop().catch((err: unknown) => logger.warn({ err }, 'bot stop failed'));
        await socketAccepts.drain(SOCKET_ACCEPT_DRAIN_MS);
        await openedStore.close();
      },
    };
  } catch (err) {
    await receiver.stop();
    await store?.close();
    throw err;
  }
}

/** How the framework is to get its events, from the configuration and the deployment. */
function eventTransport(
  config: Config,
  deployment: Deployment,
  publicUrl: string,
  port: number,
  onEvent: (envelope: WebhookEnvelope) => void,
  metrics: Pick<Metrics, 'socketConnected'>,
): BotRuntimeOptions['transport'] {
  if (config.eventTransport === 'websocket') {
    return {
      kind: 'websocket',
      ...(deployment.u2cUrl ? { u2cUrl: deployment.u2cUrl } : {}),
      deviceName: deviceNameFor(config.deviceName ?? DEFAULT_DEVICE_PREFIX, hostname(), port),
      onEvent,
      onConnectionChange: (connected) => metrics.socketConnected.set(connected ? 1 : 0),
    };
  }
  if (!deployment.webhookSecret) {
    throw new Error('webhook mode needs a webhook secret (WEBEX_WEBHOOK_SECRET)');
  }
  return {
    kind: 'webhook',
    webhookUrl: `${publicUrl}${WEBHOOK_PATH}`,
    webhookSecret: deployment.webhookSecret,
  };
}

/**
 * Stores an event that came over the socket. Unlike a webhook, nobody sends it again if it is
 * not stored, so the store gets a few tries before the event is given up (logged at error).
 */
async function acceptSocketEvent(
  inbox: Pick<Inbox, 'accept'>,
  envelope: WebhookEnvelope,
  metrics: Pick<Metrics, 'socketEvents'>,
  logger: Pick<Logger, 'error'>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await inbox.accept(envelope);
      metrics.socketEvents.inc({ outcome: 'accepted' });
      return;
    } catch (err) {
      if (attempt >= SOCKET_ACCEPT_TRIES) {
        metrics.socketEvents.inc({ outcome: 'unstored' });
        logger.error(
          { err, resource: envelope.resource, event: envelope.event },
          'an event from the websocket could not be stored and is lost',
        );
        return;
      }
      await sleep(500 * attempt);
    }
  }
}

/**
 * Runs `preload` once start-up is done; a failure (a broken card template) is logged, never an
 * uncaught exception: the card is compiled again, and fails visibly, when first asked for.
 * @example void preloadInBackground(preloadCardTemplates, logger);
 */
export function preloadInBackground(
  preload: () => void,
  logger: { error(obj: Record<string, unknown>, msg: string): void },
): Promise<void> {
  return new Promise((resolve) =>
    setImmediate(() => {
      try {
        preload();
      } catch (err) {
        logger.error({ err }, 'card templates could not be preloaded');
      }
      resolve();
    }),
  );
}

function eventReadsHttp(config: Config, logger: Logger): WebexHttp {
  return createWebexHttp({
    baseUrl: config.apiUrl,
    logger,
    timeoutMs: EVENT_READ_TIMEOUT_MS,
    retry: { budgetMs: EVENT_READ_TIMEOUT_MS },
  });
}

function buildServices(
  config: Config,
  logger: Logger,
  deployment: Deployment,
  publicUrl: string,
  store: Store,
  metrics: Metrics,
  scheduler: Scheduler,
  clock: Clock,
): BotServices {
  const http = createWebexHttp({ baseUrl: config.apiUrl, logger });
  const { clientId, clientSecret } = deployment.oauth;
  const manifest = loadManifest();
  const messenger = new Messenger(http, deployment.botToken);
  const tokens = new PersonTokens({
    http,
    store,
    key: deployment.tokenKey,
    clientId,
    clientSecret,
  });
  return {
    config,
    logger,
    metrics,
    http,
    store,
    scheduler,
    clock,
    messenger,
    recordsCache: new RecordsCache(),
    tokens,
    digests: new Digests({ config, store, scheduler, tokens, http, messenger, logger, clock }),
    usageLog: new UsageLog({
      store,
      clock,
      retentionDays: config.usageRetentionDays,
      logger,
    }),
    watches: new Watches({
      store,
      scheduler,
      tokens,
      // A 429 fails at once: the poll job comes back at Retry-After rather than waiting.
      pollHttp: createWebexHttp({ baseUrl: config.apiUrl, logger, retry: { maxRetryAfterMs: 0 } }),
      messenger,
      preferences: { config, store, tokens, http, logger },
      config,
      logger,
      clock,
    }),
    linker: new AccountLinker({
      client: {
        clientId,
        clientSecret,
        redirectUri: `${publicUrl}${OAUTH_CALLBACK_PATH}`,
        authorizeUrl: `${config.apiUrl}/authorize`,
      },
      http,
      store,
      key: deployment.tokenKey,
      scopes: manifest.scopes,
      allowedEmailDomains: config.allowedEmailDomains,
    }),
  };
}
