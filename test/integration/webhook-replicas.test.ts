/**
 * Two (then three) real bot processes on one PostgreSQL, behind one PUBLIC_URL (a round-robin
 * proxy here), against the sandbox running in this process. The webhooks are kept by one
 * scheduled job: one reconcile per interval between the replicas, taken over by the survivor
 * when a replica is stopped or killed, and never removing a webhook. Counts what the sandbox
 * lists and the reconciles each replica ran.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { Client } from 'pg';
import { frameworkWebhookName } from '../../src/bot/framework/webhook-name';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import type { SandboxWebhook } from '../../src/sandbox/state';
import { freePort, sandboxBotEnv, spawnBot, type BotProcess } from '../helpers/bot-process';
import { call } from '../sandbox/helpers';

jest.setTimeout(150_000);

const PG_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `test_webhooks_${process.pid}_${randomBytes(3).toString('hex')}`;
const DATABASE_URL = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${SCHEMA}`)}`;
/** The reconcile interval; the scheduler polls every half of it. */
const RECONCILE_SECONDS = 2;
/** A replica killed mid-run holds the job until its lease (30 s) lapses. */
const JOB_LEASE_SECONDS = 30;
const SECRET = randomBytes(24).toString('hex');
const TOKEN_KEY = randomBytes(32).toString('base64');

/** Forwards each request to the next live backend in turn, as a load balancer would. */
async function roundRobin() {
  const ports: number[] = [];
  let next = 0;
  const forward = (
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
    tries: number,
  ) => {
    if (tries >= ports.length) {
      res.writeHead(502).end();
      return;
    }
    const port = ports[next++ % ports.length];
    const upstream = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => forward(req, body, res, tries + 1));
    upstream.end(body);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, Buffer.concat(chunks), res, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ports,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Replica {
  label: string;
  port: number;
  bot: BotProcess;
}

let sandbox: Sandbox;
let proxy: Awaited<ReturnType<typeof roundRobin>>;
let name: string;
const replicas: Replica[] = [];

async function startReplica(label: string): Promise<Replica> {
  const port = await freePort();
  const env = sandboxBotEnv(sandbox, { port, databaseUrl: DATABASE_URL, publicUrl: proxy.url });
  const bot = spawnBot({
    ...env,
    WEBEX_WEBHOOK_SECRET: SECRET,
    TOKEN_ENCRYPTION_KEY: TOKEN_KEY,
    WEBHOOK_RECONCILE_SECONDS: String(RECONCILE_SECONDS),
  });
  const replica = { label, port, bot };
  replicas.push(replica);
  proxy.ports.push(port);
  return replica;
}

async function ready(replica: Replica): Promise<void> {
  await until(
    `${replica.label} to be ready`,
    async () => {
      if (replica.bot.child.exitCode !== null) {
        throw new Error(`${replica.label} exited: ${replica.bot.stderr()}`);
      }
      const res = await fetch(`http://127.0.0.1:${replica.port}/readyz`).catch(() => undefined);
      return res?.status === 200;
    },
    60_000,
  );
}

/** A counter's value in one replica's `/metrics` (0 when it is not there or not answering). */
async function counter(replica: Replica, series: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${replica.port}/metrics`).catch(() => undefined);
  const text = res?.ok ? await res.text() : '';
  const escaped = series.replace(/[{}"]/g, (c) => `\\${c}`);
  return Number(new RegExp(`^${escaped} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

/** Reconcile jobs the replica ran to the end. */
const reconcileRuns = (replica: Replica) =>
  counter(replica, 'audit_bot_scheduled_jobs_total{kind="webhooks.reconcile",outcome="ok"}');

const live = () =>
  replicas.filter((r) => r.bot.child.exitCode === null && r.bot.child.signalCode === null);

/** `audit_bot_webhook_reconciles_total{outcome}` summed over the running replicas. */
async function reconciles(outcome: string): Promise<number> {
  const counts = await Promise.all(
    live().map((r) => counter(r, `audit_bot_webhook_reconciles_total{outcome="${outcome}"}`)),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

function botHooks(): SandboxWebhook[] {
  return [...sandbox.state.webhooks.values()].filter((w) => w.createdBy === sandbox.facts().bot.id);
}
const ours = () => botHooks().filter((w) => w.name === name);
const pairs = (hooks: SandboxWebhook[]) => hooks.map((w) => `${w.resource}/${w.event}`).sort();
const BOTH = ['all/all', 'attachmentActions/created'];

/** Sends `text` as a user and waits for the bot's answer in that space. */
async function answered(text: string): Promise<void> {
  const user = sandbox.facts().users[0];
  const api = axios.create({
    baseURL: sandbox.apiUrl,
    headers: { Authorization: `Bearer ${user.token}` },
  });
  const { data: sent } = await api.post<{ id: string; roomId: string; created: string }>(
    '/messages',
    {
      toPersonEmail: sandbox.facts().bot.email,
      text,
    },
  );
  await until(`an answer to "${text}"`, async () => {
    const { data } = await api.get<{
      items: Array<{ personId: string; parentId?: string; created: string }>;
    }>('/messages', { params: { roomId: sent.roomId, max: 50 } });
    return data.items.some(
      (m) => m.personId === sandbox.facts().bot.id && m.created >= sent.created,
    );
  });
}

beforeAll(async () => {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA "${SCHEMA}"`);
  await client.end();
  sandbox = await startSandbox({ port: 0, log: () => undefined });
  proxy = await roundRobin();
  name = frameworkWebhookName(`${proxy.url}/webhooks/webex`, sandbox.facts().bot.email);
});

afterAll(async () => {
  for (const { bot } of replicas) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await Promise.all(replicas.map((r) => r.bot.exited));
  await proxy?.close();
  await sandbox?.close();
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await client.end();
});

it('two replicas started at once make exactly two webhooks, and reconcile once per interval between them', async () => {
  const [a, b] = await Promise.all([startReplica('A'), startReplica('B')]);
  await Promise.all([ready(a), ready(b)]);
  expect(pairs(botHooks())).toEqual(BOTH);
  const runs = async () => (await reconcileRuns(a)) + (await reconcileRuns(b));
  const before = await runs();
  const since = Date.now();
  await until('three more reconciles', async () => (await runs()) >= before + 3, 30_000);
  // One run per interval between them (each alone would make it two): at most one per
  // interval elapsed, plus the one that was due when the window began.
  const perInterval = (Date.now() - since) / (RECONCILE_SECONDS * 1000);
  expect((await runs()) - before).toBeLessThanOrEqual(Math.floor(perInterval) + 1);
  expect(pairs(botHooks())).toEqual(BOTH);
  await answered('help');
});

it('the reconcile reactivates an inactive webhook and removes a duplicate of ours, never another app\u2019s', async () => {
  const cards = ours().find((w) => w.resource === 'attachmentActions');
  if (!cards) throw new Error('no cards webhook');
  cards.status = 'inactive';
  await until('the inactive webhook to be active again', () => cards.status === 'active');
  expect(sandbox.state.webhooks.has(cards.id)).toBe(true);

  const duplicate = await call(sandbox, sandbox.botToken, 'POST', '/webhooks', {
    name,
    targetUrl: `${proxy.url}/webhooks/webex`,
    resource: 'attachmentActions',
    event: 'created',
    secret: SECRET,
  });
  const other = await call(sandbox, sandbox.botToken, 'POST', '/webhooks', {
    name: 'another app',
    targetUrl: 'https://other.example.com/hook',
    resource: 'all',
    event: 'all',
  });
  await until(
    'the duplicate to be gone',
    () => !sandbox.state.webhooks.has(String(duplicate.body.id)),
  );
  expect(sandbox.state.webhooks.has(cards.id)).toBe(true);
  expect(pairs(ours())).toEqual(BOTH);
  expect(sandbox.state.webhooks.get(String(other.body.id))?.name).toBe('another app');
  // Counted by outcome: the two first created, one fixed (reactivated), one duplicate removed.
  expect(await reconciles('created')).toBe(2);
  expect(await reconciles('updated')).toBe(1);
  expect(await reconciles('removed')).toBe(1);
  expect(await reconciles('ok')).toBeGreaterThan(0);
});

it('kill -9 of a replica: the other goes on reconciling and recreates a deleted webhook', async () => {
  const [killed, survivor] = live();
  if (!killed || !survivor) throw new Error('expected two live replicas');
  killed.bot.child.kill('SIGKILL');
  expect(await killed.bot.exited).toBe('SIGKILL');
  const runsBefore = await reconcileRuns(survivor);
  await until(
    'the survivor to reconcile',
    async () => (await reconcileRuns(survivor)) > runsBefore,
    (JOB_LEASE_SECONDS + 3 * RECONCILE_SECONDS) * 1000,
  );
  expect(pairs(ours())).toEqual(BOTH);
  const firehose = ours().find((w) => w.resource === 'all');
  await call(sandbox, sandbox.botToken, 'DELETE', `/webhooks/${firehose?.id}`);
  await until('the firehose webhook to be recreated', () => pairs(ours()).join() === BOTH.join());
  await answered('help');
});

it('SIGTERM of a replica leaves both webhooks, and the other answers and reconciles', async () => {
  const c = await startReplica('C');
  await ready(c);
  const [stopped] = live().filter((r) => r !== c);
  if (!stopped) throw new Error('expected an older replica');
  stopped.bot.child.kill('SIGTERM');
  expect(await stopped.bot.exited).toBe(0);
  expect(pairs(ours())).toEqual(BOTH);
  expect(ours().every((w) => w.status === 'active')).toBe(true);
  // Nothing is left leased by the stopped replica: C's next run is within an interval or so.
  const runsBefore = await reconcileRuns(c);
  const since = Date.now();
  await until('C to reconcile', async () => (await reconcileRuns(c)) > runsBefore, 10_000);
  expect(Date.now() - since).toBeLessThan(3 * RECONCILE_SECONDS * 1000);
  await answered('help');
  expect(pairs(ours())).toEqual(BOTH);
  expect(botHooks()).toHaveLength(3); // ours, and the other app's
});
