/**
 * The composition root: builds every part from the configuration and connects them.
 * Sandbox and Webex mode differ only in the settings they pass here.
 */
import { AccountLinker } from './auth/linking';
import { PersonTokens } from './auth/person-tokens';
import type { Config } from './config';
import { InFlight } from './in-flight';
import type { Logger } from './log';
import { CommandDispatcher } from './bot/dispatcher';
import { loadManifest } from './bot/manifest';
import { RecordsCache } from './bot/records-cache';
import { Messenger } from './bot/replies';
import { BotRuntime } from './bot/runtime';
import type { BotServices } from './bot/services';
import { preloadCardTemplates } from './cards';
import { ExpressReceiver, WEBHOOK_PATH } from './server/express-receiver';
import { createMetrics, type Metrics } from './metrics';
import type { WebhookEnvelope } from './bot/envelope';
import { OAUTH_CALLBACK_PATH, oauthCallback } from './server/oauth-callback';
import { statusRoutes } from './server/status-routes';
import { storeFailure } from './startup-errors';
import { openStore } from './store';
import type { Store } from './store/store';
import { createWebexHttp } from './webex/client';

/** What is known only once the server listens (sandbox mode picks its port then). */
export interface Deployment {
  botToken: string;
  webhookSecret: string;
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
  close(): Promise<void>;
}

export interface StartAppOptions {
  config: Config;
  logger: Logger;
  /** Called once the server listens, before anything else starts. */
  deploy: (listenUrl: string) => Promise<Deployment> | Deployment;
}

/**
 * Starts the HTTP server and the bot. Failures an operator can fix (port in use, database
 * unreachable) reject with a StartupError.
 * @example const app = await startApp({ config, logger, deploy: () => deployment });
 */
export async function startApp({ config, logger, deploy }: StartAppOptions): Promise<RunningApp> {
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
    const metrics = createMetrics();
    const services = buildServices(config, logger, deployment, publicUrl, store, metrics);
    let runtime: BotRuntime | undefined;
    const dispatcher = new CommandDispatcher(services, { selfId: () => runtime?.identity.id });
    const inFlight = new InFlight();

    const early: WebhookEnvelope[] = [];
    receiver.init({
      secret: deployment.webhookSecret,
      onEvent: async (envelope) => {
        // Events that arrive while the framework starts are kept and handled once it has.
        if (runtime) await inFlight.track(runtime.handle(envelope));
        else early.push(envelope);
      },
      metrics,
      routes: [
        statusRoutes({
          readiness: [
            { name: 'store', check: async () => (await services.store.ping(), true) },
            { name: 'webhooks', check: async () => (runtime ? runtime.webhooksReady() : false) },
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

    const openedStore = store;
    const started = await BotRuntime.start({
      apiUrl: config.apiUrl,
      botToken: deployment.botToken,
      webhookUrl: `${publicUrl}${WEBHOOK_PATH}`,
      webhookSecret: deployment.webhookSecret,
      http: services.http,
      logger,
      markEventSeen: (key) => openedStore.markEventSeen(key, Date.now()),
      onMessage: (message) => dispatcher.onMessage(message),
      onCardAction: (action) => dispatcher.onCardAction(action),
      inFlight,
      leases: openedStore,
      webhookReconcileMs: config.webhookReconcileSeconds * 1000,
      metrics,
    });
    runtime = started;
    for (const envelope of early.splice(0)) await inFlight.track(started.handle(envelope));
    setImmediate(preloadCardTemplates);

    return {
      port,
      publicUrl,
      runtime: started,
      store: openedStore,
      // Stop taking requests, finish what was acknowledged, then let go of Webex and the store.
      close: async () => {
        await receiver.stop();
        if (!(await inFlight.drain(config.shutdownGraceSeconds * 1000))) {
          logger.warn({ pending: inFlight.size }, 'stopped with work still in flight');
        }
        await started.stop().catch((err: unknown) => logger.warn({ err }, 'bot stop failed'));
        await openedStore.close();
      },
    };
  } catch (err) {
    await receiver.stop();
    await store?.close();
    throw err;
  }
}

function buildServices(
  config: Config,
  logger: Logger,
  deployment: Deployment,
  publicUrl: string,
  store: Store,
  metrics: Metrics,
): BotServices {
  const http = createWebexHttp({ baseUrl: config.apiUrl, logger });
  const { clientId, clientSecret } = deployment.oauth;
  const manifest = loadManifest();
  return {
    config,
    logger,
    metrics,
    http,
    store,
    messenger: new Messenger(http, deployment.botToken),
    recordsCache: new RecordsCache(),
    tokens: new PersonTokens({ http, store, key: deployment.tokenKey, clientId, clientSecret }),
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
