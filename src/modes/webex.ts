/** Webex mode: the bot against the real Webex, with the deployment taken from the config. */
import type { Config } from '../config';
import type { Logger } from '../log';
import { startApp, type RunningApp } from '../app';
import { parseEncryptionKey } from '../auth/token-crypto';

/**
 * Starts the bot against Webex. The config must be a Webex-mode one (loadConfig checks that
 * the token, secret, public URL, OAuth client and key are all set).
 *
 * @example const app = await startWebexMode(loadConfig(process.env), logger);
 */
export async function startWebexMode(config: Config, logger: Logger): Promise<RunningApp> {
  // loadConfig guarantees these in Webex mode.
  const { botToken, webhookSecret, publicUrl, clientId, clientSecret, tokenEncryptionKey } =
    config as Required<Config>;
  const app = await startApp({
    config,
    logger,
    deploy: () => ({
      botToken,
      webhookSecret,
      publicUrl,
      oauth: { clientId, clientSecret },
      tokenKey: parseEncryptionKey(tokenEncryptionKey),
    }),
  });
  logger.info({ publicUrl: app.publicUrl, port: app.port }, 'bot started against Webex');
  return app;
}
