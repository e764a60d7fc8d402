/**
 * The durable inbox with the real bot process, against the sandbox: killed mid-audit, stopped
 * mid-audit, slow message reads, failing posts, an unwritable store and a redelivery. Each
 * scenario counts what reached the person.
 *
 * The sandbox runs in this process; the bot runs as its own process in Webex mode against it,
 * behind a small proxy that records each delivery and the bot's answer to it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import Database from 'better-sqlite3';
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import type { SandboxMessage } from '../../src/sandbox/state';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import { freePort, sandboxBotEnv, spawnBot, type BotProcess } from '../helpers/bot-process';
import { recordingProxy, type RecordingProxy } from '../helpers/recording-proxy';
import { until as waitFor } from '../helpers/until';

/** Waits up to a minute, checking every 50 ms: these tests restart real processes. */
const until = (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) =>
  waitFor(what, condition, timeoutMs, 50);

jest.setTimeout(120_000);

let sandbox: Sandbox;
let dataDir: string;
let proxy: RecordingProxy;
let botPort = 0;
const bots: BotProcess[] = [];
let api: AxiosInstance;
let person: { id: string; email: string };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'audit-bot-inbox-'));
  sandbox = await startSandbox({ port: 0, log: () => undefined });
  proxy = await recordingProxy(() => botPort);
  const user = sandbox.facts().users.find((u) => u.email === 'host@example.com');
  if (!user) throw new Error('the sandbox has no host@example.com');
  person = user;
  api = axios.create({
    baseURL: sandbox.apiUrl,
    headers: { Authorization: `Bearer ${user.token}` },
  });
});

afterEach(async () => {
  sandbox.faults.clear();
  for (const bot of bots.splice(0)) {
    if (bot.child.exitCode === null && bot.child.signalCode === null) {
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
  }
  await sandbox.webhooks.idle();
});

afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A fresh database per scenario; every start of the scenario's bot uses the same one. */
async function botEnv(name: string, extra: Record<string, string> = {}) {
  botPort = await freePort();
  const databaseFile = path.join(dataDir, `${name}.db`);
  const env = {
    ...sandboxBotEnv(sandbox, {
      port: botPort,
      publicUrl: proxy.url,
      databaseUrl: `sqlite:${databaseFile}`,
    }),
    ...extra,
  };
  return { env, databaseFile };
}

async function startBot(env: Record<string, string>): Promise<BotProcess> {
  const bot = spawnBot(env);
  bots.push(bot);
  await until('the bot to be ready', async () => {
    if (bot.child.exitCode !== null) throw new Error(`the bot exited: ${bot.stderr()}`);
    const ready = await fetch(`http://127.0.0.1:${botPort}/readyz`).catch(() => undefined);
    return ready?.status === 200;
  });
  return bot;
}

const local = (urlPath: string) => `http://127.0.0.1:${botPort}${urlPath}`;

async function metricValue(name: string): Promise<number> {
  const text = await fetch(local('/metrics')).then((r) => r.text());
  const lines = text.split('\n').filter((l) => l.startsWith(name));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** Nothing more is coming: no delivery in flight and nothing left in the bot's inbox. */
async function quiet(): Promise<void> {
  await sandbox.webhooks.idle();
  await until('the inbox to be empty', async () => {
    const text = await fetch(local('/metrics')).then((r) => r.text());
    return (
      /audit_bot_inbox_events\{status="pending"\} 0\b/.test(text) &&
      /audit_bot_inbox_events\{status="claimed"\} 0\b/.test(text)
    );
  });
  await sandbox.webhooks.idle();
}

async function dm(text: string): Promise<SandboxMessage> {
  const { data } = await api.post<SandboxMessage>('/messages', {
    toPersonEmail: sandbox.facts().bot.email,
    text,
  });
  return data;
}

/** The bot's messages in the room after `after`, oldest first. */
async function botMessagesAfter(roomId: string, after: string): Promise<SandboxMessage[]> {
  const { data } = await api.get<{ items: SandboxMessage[] }>('/messages', {
    params: { roomId, max: 100 },
  });
  const all = data.items.slice().reverse();
  const start = all.findIndex((m) => m.id === after) + 1;
  return all.slice(start).filter((m) => m.personId === sandbox.facts().bot.id);
}

/** Links the person's account through the consent page (once per database). */
async function link(): Promise<void> {
  const sent = await dm('connect');
  let card: unknown;
  await until('the connect card', async () => {
    const [reply] = await botMessagesAfter(sent.roomId, sent.id);
    card = reply && cardOf(reply);
    return card !== undefined;
  });
  const result = await consent(connectUrlOf(card), person.id);
  expect(result.status).toBe(200);
  await until(
    'the "linked" note',
    async () => (await botMessagesAfter(sent.roomId, sent.id)).length >= 2,
  );
}

const isReportCard = (m: SandboxMessage) =>
  cardText(cardOf(m) ?? {}).includes(`Accesses: ${(2500).toLocaleString('en-US')}`);

const accessDetailCalls = () =>
  sandbox.faults.counts().byRoute['GET /v1/recordingReport/accessDetail'] ?? 0;

it('(a) kill -9 during a 2,500-record audit: after a restart the card arrives, once', async () => {
  const { env } = await botEnv('kill');
  let bot = await startBot(env);
  await link();
  // 25 pages at 300 ms each: the audit takes several seconds.
  sandbox.faults.set({ route: 'GET /v1/recordingReport/accessDetail', latencyMs: 300 });
  const callsBefore = accessDetailCalls();
  const sent = await dm(`audit ${SEED_RECORDING_IDS.allHands}`);
  await until('the audit to be under way', () => accessDetailCalls() >= callsBefore + 3);
  bot.child.kill('SIGKILL');
  expect(await bot.exited).toBe('SIGKILL');
  expect(await botMessagesAfter(sent.roomId, sent.id)).toEqual([]);

  const restartedAt = Date.now();
  bot = await startBot(env);
  // The killed process's lease (15 s) lapses, then this one takes the audit over.
  await until('the report card', async () =>
    (await botMessagesAfter(sent.roomId, sent.id)).some(isReportCard),
  );
  const tookMs = Date.now() - restartedAt;
  await quiet();
  const replies = await botMessagesAfter(sent.roomId, sent.id);
  expect(replies.filter(isReportCard)).toHaveLength(1);
  expect(replies).toHaveLength(1);
  expect(await metricValue('audit_bot_inbox_recovered_total')).toBe(1);
  expect(tookMs).toBeLessThan(15_000 + 20_000);
});

it('(b) SIGTERM during a long audit: the lease is handed back and the next start answers once', async () => {
  const { env } = await botEnv('sigterm', { SHUTDOWN_GRACE_SECONDS: '1' });
  let bot = await startBot(env);
  await link();
  sandbox.faults.set({ route: 'GET /v1/recordingReport/accessDetail', latencyMs: 300 });
  const callsBefore = accessDetailCalls();
  const sent = await dm(`audit ${SEED_RECORDING_IDS.allHands}`);
  await until('the audit to be under way', () => accessDetailCalls() >= callsBefore + 2);
  const signalledAt = Date.now();
  bot.child.kill('SIGTERM');
  expect(await bot.exited).toBe(0);
  // The grace period (1 s) and a little more, not the audit's length.
  expect(Date.now() - signalledAt).toBeLessThan(6_000);
  expect(await botMessagesAfter(sent.roomId, sent.id)).toEqual([]);

  bot = await startBot(env);
  // Handed back: the new process takes the event up at once, not after the 15 s lease. Timed
  // from the process being ready to its first report read, so a slow start or a slow audit
  // on a busy machine does not count.
  const readyAt = Date.now();
  const callsAtReady = accessDetailCalls();
  await until('the audit to start again', () => accessDetailCalls() > callsAtReady);
  expect(Date.now() - readyAt).toBeLessThan(6_000);
  await until('the report card', async () =>
    (await botMessagesAfter(sent.roomId, sent.id)).some(isReportCard),
  );
  await quiet();
  const replies = await botMessagesAfter(sent.roomId, sent.id);
  expect(replies.filter(isReportCard)).toHaveLength(1);
  expect(replies).toHaveLength(1);
  expect(await metricValue('audit_bot_inbox_recovered_total')).toBe(0);
});

it('(c) message reads slower than the client timeout, then fast again: every message answered once', async () => {
  const { env } = await botEnv('slow-reads');
  await startBot(env);
  const first = await dm('help');
  await until(
    'the first answer',
    async () => (await botMessagesAfter(first.roomId, first.id)).length === 1,
  );
  // Event reads give up after 10 s; the inbox tries again later.
  sandbox.faults.set({ route: 'GET /v1/messages/:id', latencyMs: 11_000 });
  const sent: SandboxMessage[] = [];
  for (let i = 0; i < 5; i++) sent.push(await dm(`probe ${i}`));
  await until(
    'every message to have failed once',
    async () => (await metricValue('audit_bot_inbox_retries_total')) >= 5,
  );
  sandbox.faults.clear();
  const answered = async () =>
    (await botMessagesAfter(first.roomId, first.id)).filter((m) =>
      /probe \d/.test(m.markdown ?? ''),
    );
  await until('every message answered', async () => (await answered()).length >= 5);
  await quiet();
  const quoted = (await answered()).map((m) => /probe \d/.exec(m.markdown ?? '')?.[0]).sort();
  expect(quoted).toEqual(['probe 0', 'probe 1', 'probe 2', 'probe 3', 'probe 4']);
});

it('(d) every post failing for a while, then working: every reply posted once', async () => {
  const { env } = await botEnv('failing-posts');
  await startBot(env);
  const first = await dm('help');
  await until(
    'the first answer',
    async () => (await botMessagesAfter(first.roomId, first.id)).length === 1,
  );
  // Slow reads keep the bot from answering before the posts start failing.
  sandbox.faults.set({ route: 'GET /v1/messages/:id', latencyMs: 1_500 });
  const sent: SandboxMessage[] = [];
  for (let i = 0; i < 5; i++) sent.push(await dm(`probe ${i}`));
  sandbox.faults.set([
    { route: 'GET /v1/messages/:id', latencyMs: 1_500 },
    { route: 'POST /v1/messages', rate5xx: 1, status5xx: 502 },
  ]);
  await until(
    'every reply to have failed once',
    async () => (await metricValue('audit_bot_inbox_retries_total')) >= 5,
  );
  expect(await botMessagesAfter(first.roomId, first.id)).toHaveLength(1);
  sandbox.faults.clear();
  const answered = async () =>
    (await botMessagesAfter(first.roomId, first.id)).filter((m) =>
      /probe \d/.test(m.markdown ?? ''),
    );
  await until('every reply posted', async () => (await answered()).length >= 5);
  await quiet();
  const all = await botMessagesAfter(first.roomId, first.id);
  const quoted = all.map((m) => /probe \d/.exec(m.markdown ?? '')?.[0]).sort();
  // One answer per message, and nothing else (no error notes: none of them got through).
  expect(quoted).toEqual(['probe 0', 'probe 1', 'probe 2', 'probe 3', 'probe 4']);
});

it('(e) a store that refuses writes: /readyz and the webhook answer 503, not 200', async () => {
  const { env, databaseFile } = await botEnv('unwritable');
  const bot = await startBot(env);
  // Another connection holds the write lock: reads work, every write waits and then fails.
  const blocker = new Database(databaseFile);
  blocker.exec('BEGIN EXCLUSIVE');
  try {
    const ready = await fetch(local('/readyz'));
    const body = (await ready.json()) as { checks: Record<string, boolean> };
    expect(ready.status).toBe(503);
    expect(body.checks.store).toBe(false);
    const before = proxy.deliveries.length;
    await dm('help');
    // SQLite waits for the lock (busy_timeout, 1 s) before each write fails, so answers are slow.
    await until('the bot to answer the delivery', () => proxy.deliveries.length > before, 60_000);
    const answers = proxy.deliveries.slice(before).map((d) => d.status);
    expect(answers).toEqual(answers.map(() => 503));
  } finally {
    blocker.exec('ROLLBACK');
    blocker.close();
  }
  expect((await fetch(local('/readyz'))).status).toBe(200);
  // Logged at error (LOG_LEVEL=error shows nothing less).
  await until('the failure in the log', () =>
    /"level":50[^\n]*could not be stored; answered 503/.test(bot.stdout() + bot.stderr()),
  );
});

it('(f) a redelivered envelope (same data.id) gets one reply', async () => {
  const { env } = await botEnv('redelivery');
  await startBot(env);
  const before = proxy.deliveries.length;
  const sent = await dm('help');
  await until(
    'the answer',
    async () => (await botMessagesAfter(sent.roomId, sent.id)).length === 1,
  );
  const original = proxy.deliveries
    .slice(before)
    .find(
      (d) =>
        d.body.toString('utf8').includes(sent.id) && d.body.toString('utf8').includes('"messages"'),
    );
  if (!original) throw new Error('the delivery of the message was not seen');
  // Webex delivers it again, three times: the same bytes and signature.
  for (let i = 0; i < 3; i++) {
    const again = await fetch(local('/webhooks/webex'), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Spark-Signature': String(original.headers['x-spark-signature']),
      },
      body: new Uint8Array(original.body),
    });
    expect(again.status).toBe(200);
  }
  await quiet();
  expect(await botMessagesAfter(sent.roomId, sent.id)).toHaveLength(1);
});
