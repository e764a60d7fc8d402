/**
 * The bot as its own process (`node --import tsx src/main.ts`), as an operator runs it: for
 * tests that look at exit codes and what is printed, or that stop the process with a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { registerBotIntegration } from '../../src/modes/sandbox';
import type { Sandbox } from '../../src/sandbox/server';
import { until } from './until';

export { freePort } from './free-port';

const ROOT = path.resolve(__dirname, '../..');

export interface BotProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Starts the bot with exactly `env` (plus PATH), never this process's environment.
 * @example const bot = spawnBot(webexModeEnv({ PORT: '0' })); await bot.exited;
 */
export function spawnBot(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Starts the bot with `env` and resolves once it answers 200 on `/readyz` at `port`; fails at
 * once, with what it printed, if it exits first.
 * @example const bot = await spawnReadyBot(env, port);
 */
export async function spawnReadyBot(
  env: Record<string, string>,
  port: number,
  timeoutMs = 60_000,
): Promise<BotProcess> {
  const bot = spawnBot(env);
  await until(
    'the bot to be ready',
    async () => {
      if (bot.child.exitCode !== null) throw new Error(`the bot exited: ${bot.stderr()}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      return ready?.status === 200;
    },
    timeoutMs,
    50,
  );
  return bot;
}

/** A complete Webex-mode configuration; nothing is contacted before the port and store open. */
export function webexModeEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    WEBEX_BOT_TOKEN: 'test-bot-token',
    WEBEX_API_URL: 'http://127.0.0.1:9/v1',
    PUBLIC_URL: 'https://bot.example.com',
    WEBEX_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
    WEBEX_CLIENT_ID: 'test-client',
    WEBEX_CLIENT_SECRET: randomBytes(24).toString('hex'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'error',
    ...overrides,
  };
}

/**
 * Webex-mode settings that point the bot at `sandbox` (running in this process, the test's or
 * the benchmark's), with an OAuth Integration registered there, listening on `port`; Webex
 * reaches it at `publicUrl` (default the listening address). `botToken` defaults to the
 * sandbox's bot.
 * @example const env = sandboxBotEnv(sandbox, { port, databaseUrl: 'sqlite:/tmp/bot.db' });
 */
export function sandboxBotEnv(
  sandbox: Sandbox,
  options: { port: number; databaseUrl: string; publicUrl?: string; botToken?: string },
): Record<string, string> {
  const { port, databaseUrl } = options;
  const url = options.publicUrl ?? `http://127.0.0.1:${port}`;
  const { clientId, clientSecret } = registerBotIntegration(sandbox, url, 'test-client');
  return webexModeEnv({
    WEBEX_BOT_TOKEN: options.botToken ?? sandbox.botToken,
    WEBEX_API_URL: sandbox.apiUrl,
    PUBLIC_URL: url,
    PORT: String(port),
    WEBEX_CLIENT_ID: clientId,
    WEBEX_CLIENT_SECRET: clientSecret,
    DATABASE_URL: databaseUrl,
    // The SDK complains that sandbox tokens do not look like Webex's; that is expected.
    WEBEX_LOG_LEVEL: 'silent',
    // Where the SDK finds its services in websocket mode (read by the SDK itself; unused with
    // the default hex tokens, which never ask for a catalog).
    U2C_SERVICE_URL: sandbox.u2cUrl,
  });
}
