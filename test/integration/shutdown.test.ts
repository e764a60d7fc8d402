/**
 * Stopping the real bot process with SIGTERM while webhooks arrive and replies are still being
 * written, then starting it again: every delivery the bot acknowledged with 200 gets exactly
 * one reply, counted one by one (those it had not finished are answered by the next start).
 *
 * The sandbox runs in this process; the bot runs as its own process in Webex mode against it.
 * Webex reaches the bot through a recording proxy here, so the test knows the bot's answer to
 * each delivery (200, or no answer once it has stopped listening).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { freePort, sandboxBotEnv, spawnBot, type BotProcess } from '../helpers/bot-process';
import {
  deliveredMessageId,
  recordingProxy,
  type RecordingProxy,
} from '../helpers/recording-proxy';
import { until } from '../helpers/until';

jest.setTimeout(90_000);

let sandbox: Sandbox;
let dataDir: string;
let bot: BotProcess | undefined;
let proxy: RecordingProxy | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'audit-bot-shutdown-'));
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterAll(async () => {
  if (bot && bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await proxy?.close();
  await sandbox?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The bot on its own SQLite file behind the recording proxy, and a sandbox user talking to it. */
async function harness(dbName: string, userIndex: number) {
  const botPort = await freePort();
  await proxy?.close();
  proxy = await recordingProxy(() => botPort);
  const env = sandboxBotEnv(sandbox, {
    port: botPort,
    publicUrl: proxy.url,
    databaseUrl: `sqlite:${path.join(dataDir, dbName)}`,
  });
  const startBot = async () => {
    const started = spawnBot(env);
    await until('the bot to be ready', async () => {
      if (started.child.exitCode !== null) throw new Error(`the bot exited: ${started.stderr()}`);
      const ready = await fetch(`http://127.0.0.1:${botPort}/readyz`).catch(() => undefined);
      return ready?.status === 200;
    });
    return started;
  };
  bot = await startBot();

  // Each reply waits 300 ms on the bot's fetch of the message, so replies are in flight.
  sandbox.faults.set({ route: 'GET /v1/messages/:id', latencyMs: 300 });
  const user = sandbox.facts().users[userIndex];
  const api = axios.create({
    baseURL: sandbox.apiUrl,
    headers: { Authorization: `Bearer ${user.token}` },
  });
  const sent = new Map<string, string>(); // message id → text
  let roomId = '';
  const send = async (text: string) => {
    const { data } = await api.post<{ id: string; roomId: string }>('/messages', {
      toPersonEmail: sandbox.facts().bot.email,
      text,
    });
    sent.set(data.id, text);
    roomId = data.roomId;
  };
  const botReplies = async () => {
    const { data } = await api.get<{ items: Array<{ personId: string; markdown?: string }> }>(
      '/messages',
      { params: { roomId, max: 100 } },
    );
    const quoted = data.items
      .filter((m) => m.personId === sandbox.facts().bot.id)
      .map((m) => /didn't understand "(probe \d+)"/.exec(m.markdown ?? '')?.[1]);
    return quoted.filter((text): text is string => Boolean(text));
  };
  const deliveries = proxy.deliveries;
  const acknowledged = () =>
    deliveries.filter(
      (d) => d.status === 200 && sent.get(deliveredMessageId(d) ?? '')?.startsWith('probe'),
    ) ?? [];

  const inboxEmpty = async () => {
    const metrics = await fetch(`http://127.0.0.1:${botPort}/metrics`).then((r) => r.text());
    return (
      /audit_bot_inbox_events\{status="pending"\} 0/.test(metrics) &&
      /audit_bot_inbox_events\{status="claimed"\} 0/.test(metrics)
    );
  };

  // First contact sets the space up in the framework; a message arriving meanwhile is a
  // start-up matter (tested with the framework adapter), not a shutdown one.
  await send('help');
  await until('the answer to the first message', async () => {
    const { data } = await api.get<{ items: Array<{ personId: string }> }>('/messages', {
      params: { roomId, max: 100 },
    });
    return data.items.some((m) => m.personId === sandbox.facts().bot.id);
  });
  return { botPort, startBot, send, sent, botReplies, acknowledged, inboxEmpty };
}

it('answers every webhook it acknowledged, once, across a SIGTERM mid-stream and a restart', async () => {
  const { botPort, startBot, send, sent, botReplies, acknowledged, inboxEmpty } = await harness(
    'bot.db',
    0,
  );
  if (!bot) throw new Error('the bot did not start');

  for (let i = 0; i < 8; i++) await send(`probe ${i}`);
  await until('three deliveries acknowledged', () => acknowledged().length >= 3);
  bot.child.kill('SIGTERM');
  const ackedAtSignal = acknowledged().length;
  const repliedAtSignal = (await botReplies()).length;
  // Readiness goes 503 as soon as the signal is handled (the process may be busy a moment
  // first), while the process still answers.
  const readyWhileStopping = readinessOnceStopping(botPort);
  // More messages while the bot is stopping: these must not be acknowledged and then lost.
  for (let i = 8; i < 12; i++) await send(`probe ${i}`);

  expect(await bot.exited).toBe(0);
  expect(await readyWhileStopping).toBe(503);
  await sandbox.webhooks.idle();
  const repliedBeforeRestart = (await botReplies()).length;

  // The next start answers what was stored but not finished.
  bot = await startBot();
  const ackedTexts = acknowledged()
    .map((d) => sent.get(deliveredMessageId(d) ?? ''))
    .sort();
  await until('a reply to every acknowledged message', async () => {
    return (await botReplies()).length >= ackedTexts.length;
  });
  // Nothing more to come: the inbox is empty and no delivery is in flight.
  await until('the inbox to be empty', inboxEmpty);
  await sandbox.webhooks.idle();
  const replied = (await botReplies()).sort();
  bot.child.kill('SIGTERM');
  expect(await bot.exited).toBe(0);

  // The stop happened with replies still owed, and some were only answered after the restart.
  expect(ackedAtSignal).toBeGreaterThan(repliedAtSignal);
  expect(repliedBeforeRestart).toBeLessThan(ackedTexts.length);
  // Every acknowledged message got exactly one reply, and nothing else did.
  expect(replied).toEqual(ackedTexts);
});

it('an idle bot told to stop still takes what the load balancer sends before it sees /readyz go 503', async () => {
  const { startBot, send, botReplies, acknowledged, inboxEmpty } = await harness('idle.db', 1);
  if (!bot) throw new Error('the bot did not start');
  bot.child.kill('SIGTERM');
  for (let i = 0; i < 3; i++) await send(`probe ${i}`);
  await sandbox.webhooks.idle();
  expect(await bot.exited).toBe(0);
  // All three reached the stopping bot and were stored (no refused connections).
  expect(proxy?.deliveries.filter((d) => d.status === 'no answer')).toEqual([]);
  expect(acknowledged()).toHaveLength(3);

  bot = await startBot();
  await until('the stored messages to be answered', async () => (await botReplies()).length >= 3);
  await until('the inbox to be empty', inboxEmpty);
  await sandbox.webhooks.idle();
  expect((await botReplies()).sort()).toEqual(['probe 0', 'probe 1', 'probe 2']);
  bot.child.kill('SIGTERM');
  expect(await bot.exited).toBe(0);
});

/** The first `/readyz` status other than 200 (polling), or 'gone' if the process stopped answering first. */
async function readinessOnceStopping(port: number): Promise<number | 'gone'> {
  for (;;) {
    const answer = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (!answer) return 'gone';
    if (answer.status !== 200) return answer.status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
