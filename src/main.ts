/**
 * Entry point: read the configuration (the environment, filled in from `.env`), then run
 * against Webex (WEBEX_BOT_TOKEN set) or against the embedded sandbox (not set).
 */
import { ConfigError, loadConfig, loadDotenvFile, type Config } from './config';
import { createLogger, logFormatFor, type Logger } from './log';
import type { RunningApp } from './app';
import { startWebexMode } from './modes/webex';
import { startFailureReport } from './startup-errors';

/** The sandbox is loaded only in sandbox mode; a Webex deployment never needs its code. */
async function startSandboxMode(config: Config, logger: Logger): Promise<RunningApp> {
  const { launchSandboxMode } = await import('./modes/sandbox.js');
  return launchSandboxMode({
    config,
    logger,
    print: (line: string) => process.stdout.write(`${line}\n`),
  });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadDotenvFile();
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(
    config.logLevel,
    undefined,
    logFormatFor({ stdoutIsTerminal: process.stdout.isTTY === true, mode: config.mode }),
  );
  // A stray rejection in a handler is logged; it must not take the bot down for everyone.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  const running =
    config.mode === 'sandbox'
      ? await startSandboxMode(config, logger)
      : await startWebexMode(config, logger);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    running
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'clean stop failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const { status, text } = startFailureReport(err);
  process.stderr.write(`${text}\n`);
  process.exit(status);
});
