/**
 * The bot as its own process (`node --import tsx src/main.ts`), as an operator runs it: for
 * tests that look at exit codes and what is printed, or that stop the process with a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { loadManifest } from '../../src/bot/manifest';
import { registerIntegration } from '../../src/sandbox/routes/oauth';
import type { Sandbox } from '../../src/sandbox/server';

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

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Webex-mode settings that point the bot at `sandbox` (running in the test's process), with
 * an OAuth Integration registered there, listening on `port`; Webex reaches it at `publicUrl`
 * (default the listening address).
 */
export function sandboxBotEnv(
  sandbox: Sandbox,
  options: { port: number; databaseUrl: string; publicUrl?: string },
): Record<string, string> {
  const { port, databaseUrl } = options;
  const url = options.publicUrl ?? `http://127.0.0.1:${port}`;
  const clientId = `test-client-${randomBytes(6).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('hex');
  const manifest = loadManifest();
  registerIntegration(sandbox.state, {
    clientId,
    clientSecret,
    redirectUris: [`${url}/oauth/callback`],
    scopes: [...manifest.scopes.user, ...manifest.scopes.admin],
  });
  return webexModeEnv({
    WEBEX_BOT_TOKEN: sandbox.botToken,
    WEBEX_API_URL: sandbox.apiUrl,
    PUBLIC_URL: url,
    PORT: String(port),
    WEBEX_CLIENT_ID: clientId,
    WEBEX_CLIENT_SECRET: clientSecret,
    DATABASE_URL: databaseUrl,
    // The SDK complains that sandbox tokens do not look like Webex's; that is expected.
    WEBEX_LOG_LEVEL: 'silent',
  });
}
