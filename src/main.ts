/**
 * Entry point: read the configuration (the environment, filled in from `.env`), then run
 * against Webex (WEBEX_BOT_TOKEN set) or against the embedded sandbox (not set).
 */
import dotenv from 'dotenv';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, logFormatFor, type Logger } from './log';
import type { RunningApp } from './app';
import { startWebexMode } from './modes/webex';
import { StartupError } from './startup-errors';

/** The sandbox is loaded only in sandbox mode; a Webex deployment never needs its code. */
async function startSandboxMode(config: Config, logger: Logger): Promise<RunningApp> {
  const { launchSandboxMode } = await import('./modes/sandbox.js');
  return launchSandboxMode({
    config,
    logger,
    print: (line: string) => process.stdout.write(`${line}\n`),
  });
}

/**
 * Fills in process.env from `.env` in the current directory, if there is one. Variables set in
 * the real environment win over the file (dotenv does not override).
 */
function loadDotenvFile(): void {
  const { error } = dotenv.config({ quiet: true });
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error && code !== 'ENOENT') {
    throw new ConfigError([`.env could not be read (${code ?? error.message}): fix or remove it`]);
  }
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
  // Something the operator can fix: one line saying what to do, status 2 as for config errors.
  if (err instanceof StartupError) {
    process.stderr.write(`The bot could not start: ${err.message}\n`);
    process.exit(2);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`The bot could not start: ${message}\n`);
  process.exit(1);
});
