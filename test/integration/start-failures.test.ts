/**
 * Start-up failures an operator can fix, seen as an operator sees them: the real process
 * exits with status 2 and prints one line that says what to do, with no stack trace.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, spawnBot, webexModeEnv } from '../helpers/bot-process';

jest.setTimeout(60_000);

let dir: string;
let blocker: Server | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-bot-start-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  await rm(dir, { recursive: true, force: true });
});

/** Runs the bot to its end; returns its exit code and its stderr lines. */
async function runBot(env: Record<string, string>) {
  const bot = spawnBot(webexModeEnv(env));
  const code = await bot.exited;
  const lines = bot.stderr().split('\n').filter(Boolean);
  return { code, lines, output: bot.stdout() + bot.stderr() };
}

function expectOneHelpfulLine(
  result: { code: number | string; lines: string[]; output: string },
  advice: RegExp,
) {
  expect(result.code).toBe(2);
  expect(result.lines).toHaveLength(1);
  expect(result.lines[0]).toMatch(/^The bot could not start: /);
  expect(result.lines[0]).toMatch(advice);
  expect(result.output).not.toMatch(/\n\s+at |node_modules/);
}

it('exits 2 with one line when the port is already in use', async () => {
  const server = createServer();
  blocker = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const result = await runBot({
    PORT: String(port),
    DATABASE_URL: `sqlite:${path.join(dir, 'port.db')}`,
  });
  expectOneHelpfulLine(result, new RegExp(`port ${port} on 127.0.0.1.*set PORT to a free port`));
});

it("exits 2 with one line when the SQLite file's directory cannot be created", async () => {
  // A regular file where the directory should be: mkdir fails (ENOTDIR), even as root.
  const notADirectory = path.join(dir, 'not-a-directory');
  await writeFile(notADirectory, '');
  const result = await runBot({
    DATABASE_URL: `sqlite:${path.join(notADirectory, 'audit-bot.db')}`,
  });
  expectOneHelpfulLine(
    result,
    /SQLite database .*not-a-directory\/audit-bot\.db cannot be created.*directory the bot can write to/,
  );
});

it('exits 2 with one line, without the password, when PostgreSQL cannot be reached', async () => {
  const port = await freePort();
  const result = await runBot({
    DATABASE_URL: `postgres://bot:do-not-print-me@127.0.0.1:${port}/audit`,
  });
  expectOneHelpfulLine(
    result,
    new RegExp(`PostgreSQL server at 127.0.0.1:${port} cannot be reached`),
  );
  expect(result.output).not.toContain('do-not-print-me');
});
