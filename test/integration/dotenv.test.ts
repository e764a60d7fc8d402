/**
 * `.env` is read by the real entry point (`src/main.ts`, run with tsx) from the directory it
 * starts in. Each case sets an invalid value so the process stops at the config check with
 * status 2, and the one line it prints tells which value it read.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(ROOT, 'src', 'main.ts');
const WEBHOOKS_CLI = path.join(ROOT, 'src', 'cli', 'webhooks.ts');

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(os.tmpdir(), 'audit-bot-dotenv-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** Runs the entry point in `cwd` with only `env` (plus PATH) set; resolves with status and stderr. */
function runMain(
  env: Record<string, string>,
  entry: string[] = [MAIN],
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, entry, {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('.env in the current directory', () => {
  it('is read at start: an invalid value there stops the bot with a config error naming it', async () => {
    writeFileSync(path.join(cwd, '.env'), 'GROUP_REPLY=everyone\nLOG_LEVEL=info\n');
    // PORT is invalid too, so a bot that ignored the file would still stop here, not start.
    const { status, stderr } = await runMain({ PORT: 'not-a-port' });
    expect(status).toBe(2);
    expect(stderr).toContain('Configuration is not valid');
    expect(stderr).toContain('GROUP_REPLY must be "dm"');
  });

  it('loses to the real environment: a variable set there is not taken from the file', async () => {
    writeFileSync(path.join(cwd, '.env'), 'GROUP_REPLY=everyone\n');
    // PORT is invalid so the process still stops at the config check instead of starting.
    const { status, stderr } = await runMain({ GROUP_REPLY: 'room', PORT: 'not-a-port' });
    expect(status).toBe(2);
    expect(stderr).toContain('PORT must be a port number');
    expect(stderr).not.toContain('GROUP_REPLY');
  });

  it('is optional: without one, only the real environment counts', async () => {
    const { status, stderr } = await runMain({ PORT: 'not-a-port' });
    expect(status).toBe(2);
    expect(stderr).toContain('PORT must be a port number');
    expect(stderr).not.toContain('.env');
  });

  it('cannot be read: the bot and `npm run webhooks` both stop with the same config error', async () => {
    // A directory where the file should be: it exists, but reading it fails (EISDIR).
    mkdirSync(path.join(cwd, '.env'));
    const bot = await runMain({ PORT: '0' });
    const cli = await runMain({}, [WEBHOOKS_CLI, 'status']);
    for (const { status, stderr } of [bot, cli]) {
      expect(status).toBe(2);
      expect(stderr).toContain('.env could not be read (EISDIR): fix or remove it');
    }
  });
});
