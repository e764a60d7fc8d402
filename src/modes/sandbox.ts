/**
 * Sandbox mode: start the embedded Webex (src/sandbox/, which knows nothing of the bot), point the bot at it, and leave `data/sandbox.json`
 * behind so people, tests and tools know where everything is.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { startApp, type RunningApp } from '../app';
import { loadManifest } from '../bot/manifest';
import type { Clock } from '../scheduler/clock';
import type { SandboxFacts } from '../sandbox/facts';
import { registerIntegration } from '../sandbox/routes/oauth';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { loadOrCreateSandboxKey } from './sandbox-key';

export interface SandboxFile extends SandboxFacts {
  apiUrl: string;
  botUrl: string;
  chatUrl: string;
}

export interface LaunchOptions {
  config: Config;
  logger: Logger;
  /** Where sandbox.json (and the sandbox's own key) go. */
  dataDir?: string;
  /** The sandbox's port; 0 picks a free one. */
  sandboxPort?: number;
  print?: (line: string) => void;
  /** One clock for the bot's scheduler and the sandbox's report API (tests move it). */
  clock?: Clock;
}

export interface RunningSandbox extends RunningApp {
  sandbox: Sandbox;
  file: SandboxFile;
}

/** The OAuth client a bot uses against the sandbox. */
export interface BotIntegration {
  clientId: string;
  clientSecret: string;
}

/**
 * Registers an OAuth Integration for the bot listening at `botUrl` in the sandbox, with every
 * scope the manifest asks for (sandbox mode, tests and the benchmark all use it).
 * @example const { clientId, clientSecret } = registerBotIntegration(sandbox, 'http://127.0.0.1:8080');
 */
export function registerBotIntegration(
  sandbox: Pick<Sandbox, 'state'>,
  botUrl: string,
  clientIdPrefix = 'sandbox-client',
): BotIntegration {
  const clientId = `${clientIdPrefix}-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('hex');
  const manifest = loadManifest();
  registerIntegration(sandbox.state, {
    clientId,
    clientSecret,
    redirectUris: [`${botUrl.replace(/\/+$/, '')}/oauth/callback`],
    scopes: [...manifest.scopes.user, ...manifest.scopes.admin],
  });
  return { clientId, clientSecret };
}

/**
 * Starts the sandbox and the bot against it.
 * @example const { file, close } = await launchSandboxMode({ config: loadConfig({}), logger });
 */
export async function launchSandboxMode(options: LaunchOptions): Promise<RunningSandbox> {
  const dataDir = options.dataDir ?? path.resolve('data');
  // The SDK complains that sandbox tokens do not look like Webex's; that is expected here.
  process.env.WEBEX_LOG_LEVEL ??= 'silent';
  const { clock } = options;
  const websocket = options.config.eventTransport === 'websocket';
  const sandbox = await startSandbox({
    port: options.sandboxPort ?? 0,
    // The SDK's websocket mode reads the org from the token, so tokens are shaped like Webex's.
    ...(websocket ? { tokenStyle: 'webex' as const } : {}),
    ...(clock ? { now: () => clock.now() } : {}),
  });
  const botToken = sandbox.botToken;

  let app: RunningApp;
  try {
    app = await startApp({
      config: { ...options.config, apiUrl: sandbox.apiUrl },
      logger: options.logger,
      clock,
      deploy: (listenUrl) => {
        const oauth = registerBotIntegration(sandbox, listenUrl);
        return {
          botToken,
          webhookSecret: randomBytes(24).toString('hex'),
          u2cUrl: sandbox.u2cUrl,
          publicUrl: listenUrl,
          oauth,
          tokenKey: loadOrCreateSandboxKey(dataDir),
        };
      },
    });
  } catch (err) {
    await sandbox.close();
    throw err;
  }

  const file: SandboxFile = {
    apiUrl: sandbox.apiUrl,
    botUrl: app.publicUrl,
    chatUrl: `${sandbox.baseUrl}/`,
    ...sandbox.facts(),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'sandbox.json'), `${JSON.stringify(file, null, 2)}\n`);

  const print = options.print ?? (() => undefined);
  const factsPath = path.relative(process.cwd(), path.join(dataDir, 'sandbox.json'));
  print(`Sandbox Webex is running at ${file.apiUrl}; the bot listens at ${file.botUrl}.`);
  print(`Chat with the bot in your browser: ${file.chatUrl}`);
  print(`Everything about it (users and their tokens, rooms, recordings) is in ${factsPath}.`);
  print(`Or over HTTP, as ${file.users[0].email}, exactly as a Webex client would:`);
  print(`  TOKEN=$(node -p "require('./${factsPath}').users[0].token")`);
  print(
    `  curl -s -X POST ${file.apiUrl}/messages -H "Authorization: Bearer $TOKEN" ` +
      `-H 'Content-Type: application/json' -d '{"toPersonEmail":"${file.bot.email}","text":"help"}'`,
  );
  print(
    `  then read the reply: curl -s "${file.apiUrl}/messages?roomId=<roomId from the answer>" -H "Authorization: Bearer $TOKEN"`,
  );
  print(`Press Ctrl-C to stop.`);

  return {
    ...app,
    sandbox,
    file,
    close: async () => {
      await app.close();
      await sandbox.close();
    },
  };
}
