/**
 * `npm run webhooks -- status|sync|remove` as an operator runs it: a child process with the
 * bot's settings, against the sandbox running in this process. Asserts what it prints and what
 * the sandbox lists afterwards.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { frameworkWebhookName } from '../../src/bot/framework/webhook-name';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import type { SandboxWebhook } from '../../src/sandbox/state';
import { call } from '../sandbox/helpers';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const PUBLIC_URL = 'https://bot.example.com';
const TARGET = `${PUBLIC_URL}/webhooks/webex`;
const SECRET = 'cli-test-secret-0123456789abcdef';

let sandbox: Sandbox;
let name: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
  name = frameworkWebhookName(TARGET, sandbox.facts().bot.email);
});

afterAll(async () => {
  await sandbox?.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command with exactly `env` (plus PATH), as its own process. */
async function run(
  args: string[],
  env: Record<string, string> = botEnv(),
  entry: string[] = ['--import', 'tsx', 'src/cli/webhooks.ts'],
): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...entry, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function botEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    WEBEX_BOT_TOKEN: sandbox.botToken,
    WEBEX_API_URL: sandbox.apiUrl,
    PUBLIC_URL,
    WEBEX_WEBHOOK_SECRET: SECRET,
    ...overrides,
  };
}

function botHooks(): SandboxWebhook[] {
  return [...sandbox.state.webhooks.values()].filter((w) => w.createdBy === sandbox.facts().bot.id);
}

const pair = (w: SandboxWebhook) => `${w.resource}/${w.event}`;

it('says what to set, with status 2, in sandbox mode or with settings missing', async () => {
  const sandboxMode = await run(['status'], {});
  expect(sandboxMode.code).toBe(2);
  expect(sandboxMode.stderr).toMatch(/sandbox mode/);
  expect(sandboxMode.stderr).toMatch(/WEBEX_BOT_TOKEN, PUBLIC_URL and WEBEX_WEBHOOK_SECRET/);

  const missing = await run(['status'], { WEBEX_BOT_TOKEN: 'x', WEBEX_API_URL: sandbox.apiUrl });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/PUBLIC_URL is required/);
  expect(missing.stderr).toMatch(/WEBEX_WEBHOOK_SECRET is required/);
  // The Integration's settings are the bot's business, not this command's.
  expect(missing.stderr).not.toMatch(/WEBEX_CLIENT_ID/);

  const usage = await run(['delete-everything']);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/usage: npm run webhooks -- <command>/);
});

it('shows what is missing, then syncs both webhooks into existence', async () => {
  const before = await run(['status']);
  expect(before.code).toBe(1);
  expect(before.stdout).toMatch(/missing\s+all\/all/);
  expect(before.stdout).toMatch(/missing\s+attachmentActions\/created/);
  expect(botHooks()).toEqual([]);

  const synced = await run(['sync']);
  expect(synced.code).toBe(0);
  expect(synced.stdout).toMatch(/Synced: 2 created, 0 updated, 0 duplicates removed/);
  expect(botHooks().map(pair).sort()).toEqual(['all/all', 'attachmentActions/created']);
  expect(botHooks().every((w) => w.name === name && w.targetUrl === TARGET)).toBe(true);
  expect(botHooks().every((w) => w.secret === SECRET && w.status === 'active')).toBe(true);

  const after = await run(['status']);
  expect(after.code).toBe(0);
  expect(after.stdout.match(/^ {2}ok /gm)).toHaveLength(2);
  expect(after.stdout).toMatch(/All as desired/);
});

it('reactivates, fixes the secret, removes a duplicate of ours, and leaves another app alone', async () => {
  const cards = botHooks().find((w) => w.resource === 'attachmentActions');
  if (!cards) throw new Error('expected the cards webhook from the previous test');
  cards.status = 'inactive';
  cards.secret = 'an-old-secret-value';
  const duplicate = await call(sandbox, sandbox.botToken, 'POST', '/webhooks', {
    name,
    targetUrl: TARGET,
    resource: 'all',
    event: 'all',
    secret: SECRET,
  });
  const other = await call(sandbox, sandbox.botToken, 'POST', '/webhooks', {
    name: 'another app',
    targetUrl: 'https://other.example.com/hook',
    resource: 'attachmentActions',
    event: 'created',
  });
  expect([duplicate.status, other.status]).toEqual([200, 200]);

  const status = await run(['status']);
  expect(status.code).toBe(1);
  expect(status.stdout).toMatch(/fix secret,status\s+attachmentActions\/created\s+inactive/);
  expect(status.stdout).toMatch(/duplicate\s+all\/all/);
  expect(status.stdout).toMatch(
    /Other webhooks of this bot[^\n]*\n\s+other\s+attachmentActions\/created\s+active\s+https:\/\/other\.example\.com\/hook/,
  );
  // Field names only: no secret is ever printed.
  expect(status.stdout + status.stderr).not.toContain(SECRET);
  expect(status.stdout + status.stderr).not.toContain('an-old-secret-value');

  const synced = await run(['sync']);
  expect(synced.code).toBe(0);
  expect(synced.stdout).toMatch(/0 created, 1 updated, 1 duplicates removed/);
  const ours = botHooks().filter((w) => w.name === name);
  expect(ours.map(pair).sort()).toEqual(['all/all', 'attachmentActions/created']);
  expect(ours.every((w) => w.status === 'active' && w.secret === SECRET)).toBe(true);
  expect(botHooks().map((w) => w.id)).toContain(other.body.id);
  expect(botHooks().map((w) => w.id)).not.toContain(duplicate.body.id);
});

it('runs as `npm run webhooks` from the sources in a clone, leaving dist/ alone', async () => {
  const distBefore = distEntries();
  const status = await run(['status'], botEnv(), ['scripts/webhooks.mjs']);
  expect(status.stderr).toBe('');
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/All as desired/);
  expect(distEntries()).toEqual(distBefore);
});

it('runs the shipped dist/cli/webhooks.js where there is no tsx (a production image)', async () => {
  // The image's layout: scripts/webhooks.mjs and dist/, no node_modules with tsx, no src/.
  const image = mkdtempSync(path.join(os.tmpdir(), 'audit-bot-image-'));
  try {
    mkdirSync(path.join(image, 'scripts'));
    mkdirSync(path.join(image, 'dist/cli'), { recursive: true });
    copyFileSync(path.join(ROOT, 'scripts/webhooks.mjs'), path.join(image, 'scripts/webhooks.mjs'));
    writeFileSync(
      path.join(image, 'dist/cli/webhooks.js'),
      "process.stdout.write('built command: ' + process.argv.slice(2).join(' '));",
    );
    const { stdout } = await promisify(execFile)(process.execPath, [
      path.join(image, 'scripts/webhooks.mjs'),
      'status',
    ]);
    expect(stdout).toBe('built command: status');
  } finally {
    rmSync(image, { recursive: true, force: true });
  }
});

/** Every file under dist/ with its modification time (empty when there is no dist/). */
function distEntries(): Record<string, number> {
  const dist = path.join(ROOT, 'dist');
  if (!existsSync(dist)) return {};
  const entries: Record<string, number> = {};
  for (const file of readdirSync(dist, { recursive: true }) as string[]) {
    entries[file] = statSync(path.join(dist, file)).mtimeMs;
  }
  return entries;
}

it('removes only this deployment\u2019s webhooks, and only with --yes', async () => {
  const asked = await run(['remove']);
  expect(asked.code).toBe(1);
  expect(asked.stderr).toMatch(/add --yes/);
  expect(botHooks()).toHaveLength(3);

  const removed = await run(['remove', '--yes']);
  expect(removed.code).toBe(0);
  expect(removed.stdout).toMatch(/Removed 2 webhook\(s\)/);
  expect(botHooks().map((w) => w.name)).toEqual(['another app']);
});
