/**
 * The welcome, with the real bot process against the sandbox: added to a group space it posts
 * once, and never again for the same membership, whatever Webex re-delivers, however often the
 * bot restarts, and when its first post failed. A person writing to it 1:1 gets no welcome.
 *
 * The sandbox runs in this process; the bot runs as its own process behind a proxy that records
 * each webhook delivery, so a delivery can be sent again byte for byte (same signature).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import Database from 'better-sqlite3';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import type { SandboxMessage } from '../../src/sandbox/state';
import { freePort, sandboxBotEnv, spawnReadyBot, type BotProcess } from '../helpers/bot-process';
import { cardOf, cardText } from '../helpers/card-text';
import { expectValidCard } from '../helpers/cards';
import { addNewcomer } from '../helpers/newcomer';
import { quiet } from '../helpers/quiet';
import {
  recordingProxy,
  redeliver,
  type Delivery,
  type RecordingProxy,
} from '../helpers/recording-proxy';
import { cardActions } from '../helpers/stack';
import { until as waitFor } from '../helpers/until';

const until = (what: string, condition: () => boolean | Promise<boolean>) =>
  waitFor(what, condition, 60_000, 50);

jest.setTimeout(120_000);

const WELCOME = [
  "Hi, I'm Recording Audit: I show who viewed or downloaded a Webex meeting recording, and when.",
  'To start, type `audit <recording link>`.',
  'In a group space like this one, @mention me first; I send each report privately to the person who asked.',
].join('\n\n');

let sandbox: Sandbox;
let dataDir: string;
let proxy: RecordingProxy;
let botPort = 0;
let env: Record<string, string>;
let databaseFile: string;
let bot: BotProcess | undefined;
let host: AxiosInstance;
let botId: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'audit-bot-welcome-'));
  sandbox = await startSandbox({ port: 0, log: () => undefined });
  proxy = await recordingProxy(() => botPort);
  const user = sandbox.facts().users.find((u) => u.email === 'host@example.com');
  if (!user) throw new Error('the sandbox has no host@example.com');
  host = api(user.token);
  botId = sandbox.facts().bot.id;
  botPort = await freePort();
  databaseFile = path.join(dataDir, 'welcome.db');
  env = sandboxBotEnv(sandbox, {
    port: botPort,
    publicUrl: proxy.url,
    databaseUrl: `sqlite:${databaseFile}`,
  });
  bot = await startBot();
});

afterEach(() => sandbox.faults.clear());

afterAll(async () => {
  if (bot && bot.child.exitCode === null && bot.child.signalCode === null) {
    bot.child.kill('SIGKILL');
    await bot.exited;
  }
  await sandbox?.webhooks.idle();
  await proxy?.close();
  await sandbox?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function api(token: string): AxiosInstance {
  return axios.create({ baseURL: sandbox.apiUrl, headers: { Authorization: `Bearer ${token}` } });
}

const startBot = () => spawnReadyBot(env, botPort);

async function metric(name: string, label = ''): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${botPort}/metrics`).then((r) => r.text());
  const lines = text.split('\n').filter((l) => l.startsWith(`${name}${label}`));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** No delivery in flight and nothing left in the bot's inbox (its gauge on /metrics). */
const nothingMore = () =>
  quiet(sandbox, async () => ({
    pending: await metric('audit_bot_inbox_events', '{status="pending"}'),
    claimed: await metric('audit_bot_inbox_events', '{status="claimed"}'),
  }));

/** A new group space made by the host, with the bot added as a member. */
async function spaceWithBot(title: string): Promise<{ roomId: string; membershipId: string }> {
  const { data: room } = await host.post<{ id: string }>('/rooms', { title });
  const { data: membership } = await host.post<{ id: string }>('/memberships', {
    roomId: room.id,
    personId: botId,
  });
  return { roomId: room.id, membershipId: membership.id };
}

async function botMessages(roomId: string, as: AxiosInstance = host): Promise<SandboxMessage[]> {
  const { data } = await as.get<{ items: SandboxMessage[] }>('/messages', {
    params: { roomId, max: 100 },
  });
  return data.items.filter((m) => m.personId === botId).reverse();
}

const welcomesIn = async (roomId: string) =>
  (await botMessages(roomId)).filter((m) => m.markdown === WELCOME);

/** The delivery of the bot's membership event for `membershipId`, as the bot received it. */
function membershipDelivery(membershipId: string): Delivery {
  const found = proxy.deliveries.find((d) => {
    const envelope = JSON.parse(d.body.toString('utf8')) as {
      resource?: string;
      data?: { id?: string };
    };
    return envelope.resource === 'memberships' && envelope.data?.id === membershipId;
  });
  if (!found) throw new Error(`no delivery of membership ${membershipId} was seen`);
  return found;
}

/** Webex delivers it again, `times` times: the same bytes and signature. */
async function deliverAgain(delivery: Delivery, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    expect(await redeliver(delivery, `http://127.0.0.1:${botPort}/webhooks/webex`)).toBe(200);
  }
}

describe('the welcome', () => {
  let space: { roomId: string; membershipId: string };

  it('is posted once when the bot is added to a group space, with a Help button', async () => {
    space = await spaceWithBot('Quarterly reviews');
    await until('the welcome', async () => (await botMessages(space.roomId)).length > 0);
    await nothingMore();
    const messages = await botMessages(space.roomId);
    expect(messages.map((m) => m.markdown)).toEqual([WELCOME]);
    const [welcome] = messages;
    expect(welcome.parentId).toBeUndefined();
    const card = cardOf(welcome);
    expectValidCard(card);
    expect(cardText(card)).toContain('I show who viewed or downloaded a Webex meeting recording');
    expect(cardText(card)).toContain('**audit <recording link>**');
    expect(cardText(card)).toContain('@mention me first');
    expect(cardText(card)).toContain('privately');
    expect(cardActions(card).map((a) => `${a.type} ${a.title}`)).toEqual(['Action.Submit Help']);
  });

  it('Help on it shows the full help card, in its thread', async () => {
    const [welcome] = await welcomesIn(space.roomId);
    const button = cardActions(cardOf(welcome)).find((a) => a.title === 'Help');
    await host.post('/attachment/actions', {
      type: 'submit',
      messageId: welcome.id,
      inputs: button?.data ?? {},
    });
    await until('the help card', async () => (await botMessages(space.roomId)).length === 2);
    const help = (await botMessages(space.roomId))[1];
    expect(help.parentId).toBe(welcome.id);
    expect(cardText(cardOf(help))).toContain('Recording Audit: help');
    expect(cardText(cardOf(help))).toContain('disconnect');
  });

  it('is not posted again when Webex delivers the same event again', async () => {
    await deliverAgain(membershipDelivery(space.membershipId), 3);
    await nothingMore();
    expect(await welcomesIn(space.roomId)).toHaveLength(1);
  });

  it('is not posted again after a restart, even for a delivery the inbox has forgotten', async () => {
    bot?.child.kill('SIGTERM');
    expect(await bot?.exited).toBe(0);
    bot = await startBot();
    const delivery = membershipDelivery(space.membershipId);
    await deliverAgain(delivery);
    await nothingMore();
    expect(await welcomesIn(space.roomId)).toHaveLength(1);

    // A day on, the inbox has pruned the event: only the welcome's own record remains.
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const db = new Database(databaseFile);
    const pruned = db.prepare(`DELETE FROM inbox_events WHERE resource = 'memberships'`).run();
    db.close();
    expect(pruned.changes).toBeGreaterThan(0);
    bot = await startBot();
    await deliverAgain(delivery);
    await nothingMore();
    expect(await welcomesIn(space.roomId)).toHaveLength(1);
  });

  it('says nothing when someone else joins the space', async () => {
    const before = (await botMessages(space.roomId)).length;
    const colleague = sandbox.facts().users.find((u) => u.email === 'colleague@example.com');
    await host.post('/memberships', { roomId: space.roomId, personId: colleague?.id });
    await nothingMore();
    expect(await botMessages(space.roomId)).toHaveLength(before);
  });

  it('is posted again after the bot was removed and added back (Webex keeps the membership id)', async () => {
    await host.delete(`/memberships/${space.membershipId}`);
    const { data } = await host.post<{ id: string }>('/memberships', {
      roomId: space.roomId,
      personId: botId,
    });
    // As on Webex: a membership's id is its person and room, so the add-back has the same one.
    expect(data.id).toBe(space.membershipId);
    await until('the second welcome', async () => (await welcomesIn(space.roomId)).length === 2);
    await nothingMore();
    expect(await welcomesIn(space.roomId)).toHaveLength(2);
  });

  it('is posted once Webex takes posts again when the first attempts failed', async () => {
    sandbox.faults.set({ route: 'POST /v1/messages', rate5xx: 1, status5xx: 502 });
    const retriesBefore = await metric('audit_bot_inbox_retries_total');
    const failing = await spaceWithBot('Flaky space');
    await until(
      'the welcome to have failed once',
      async () => (await metric('audit_bot_inbox_retries_total')) > retriesBefore,
    );
    expect(await botMessages(failing.roomId)).toEqual([]);
    sandbox.faults.clear();
    await until('the welcome', async () => (await welcomesIn(failing.roomId)).length > 0);
    await nothingMore();
    expect((await botMessages(failing.roomId)).map((m) => m.markdown)).toEqual([WELCOME]);
  });

  it('is posted when the first read of the new membership failed (Webex not yet consistent)', async () => {
    // A read the client does not retry (404): the adapter drops the event, the inbox retries it.
    sandbox.faults.set({ route: 'GET /v1/memberships/:id', failNext: 1, failNextStatus: 404 });
    const retriesBefore = await metric('audit_bot_inbox_retries_total');
    const late = await spaceWithBot('Eventually consistent');
    await until('the welcome', async () => (await welcomesIn(late.roomId)).length > 0);
    await nothingMore();
    expect(await welcomesIn(late.roomId)).toHaveLength(1);
    expect(await metric('audit_bot_inbox_retries_total')).toBeGreaterThan(retriesBefore);
    expect(sandbox.faults.counts().faulted).toBeGreaterThan(0);
  });

  it('is not posted in a 1:1 space: a first message there gets its answer only', async () => {
    const person = addNewcomer(sandbox.state);
    const as = api(person.token);
    const { data: sent } = await as.post<SandboxMessage>('/messages', {
      toPersonEmail: sandbox.facts().bot.email,
      text: 'help',
    });
    await until('the answer', async () => (await botMessages(sent.roomId, as)).length > 0);
    await nothingMore();
    const replies = await botMessages(sent.roomId, as);
    expect(replies).toHaveLength(1);
    expect(cardText(cardOf(replies[0]))).toContain('Recording Audit: help');
  });
});
