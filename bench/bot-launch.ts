/**
 * Runs the real bot (`node dist/main.js`) in its own process, in Webex mode, against a sandbox
 * that runs in the benchmark's process: WEBEX_API_URL is the sandbox, the Integration is
 * registered in the sandbox, and the database is a fresh SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Sandbox } from '../src/sandbox/server';
import { freePort } from '../test/helpers/free-port';
import { sandboxBotEnv } from '../test/helpers/bot-process';
import type { MemoryReport } from './memory-probe';
import { rssOf, startNode, stopChild, waitFor200 } from './processes';

export const BOT_MAIN = path.resolve('dist/main.js');

export interface BotLaunchOptions {
  botToken: string;
  /** Preload this memory probe (and expose GC) so memory can be sampled in the bot. */
  probeScript?: string;
  /** Extra environment (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  /** Another build of the bot to run (default dist/main.js), to compare builds in one run. */
  main?: string;
}

export interface LaunchedBot {
  child: ChildProcess;
  url: string;
  /** ms from spawn to GET /readyz answering 200. */
  readyMs: number;
  /** RSS in bytes right when ready. */
  readyRss: number;
  /** Starts sampling memory in the bot (needs probeScript). */
  memoryStart(): Promise<MemoryReport>;
  memoryStop(): Promise<MemoryReport>;
  stop(): Promise<void>;
}

function botEnvironment(sandbox: Sandbox, botToken: string, port: number, dbPath: string) {
  const url = `http://127.0.0.1:${port}`;
  const env = sandboxBotEnv(sandbox, { port, databaseUrl: `sqlite:${dbPath}`, botToken });
  return {
    url,
    env: {
      ...env,
      LOG_LEVEL: process.env.BENCH_BOT_LOG_LEVEL ?? 'error',
      NODE_ENV: 'production',
    },
  };
}

function awaitMemoryReport(child: ChildProcess, command: string): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('memory probe did not answer')), 5_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as MemoryReport);
    });
    child.send({ type: command });
  });
}

/**
 * Starts the bot and waits until it is ready.
 * @example const bot = await launchBot(sandbox, { botToken: sandbox.botToken });
 */
export async function launchBot(sandbox: Sandbox, options: BotLaunchOptions): Promise<LaunchedBot> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'audit-bench-'));
  const port = await freePort();
  const { url, env } = botEnvironment(
    sandbox,
    options.botToken,
    port,
    path.join(dataDir, 'bot.db'),
  );
  const nodeArgs = options.probeScript ? ['--expose-gc', '--require', options.probeScript] : [];
  // Profiling aid, e.g. BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  nodeArgs.push(...(process.env.BENCH_BOT_NODE_ARGS?.split(' ').filter(Boolean) ?? []));
  const { child, spawnedAt } = startNode(
    options.main ?? BOT_MAIN,
    { ...env, ...options.env },
    { nodeArgs, ipc: Boolean(options.probeScript) },
  );
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`bench: the bot exited unexpectedly (${code ?? signal})\n`);
  });
  try {
    const readyAt = await waitFor200(`${url}/readyz`, child);
    const readyRss = rssOf(child.pid ?? 0);
    return {
      child,
      url,
      readyMs: readyAt - spawnedAt,
      readyRss,
      memoryStart: () => awaitMemoryReport(child, 'mem-start'),
      memoryStop: () => awaitMemoryReport(child, 'mem-stop'),
      stop: async () => {
        stopping = true;
        await stopChild(child);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
