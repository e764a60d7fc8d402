/**
 * Two replicas (two bots in this process, as startApp builds them) sharing one PostgreSQL and
 * one injected clock: both schedulers wake at once, again and again, and every new access of a
 * watch still reaches its watcher exactly once.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { registerBotIntegration } from '../../src/modes/sandbox';
import { ManualClock } from '../../src/scheduler/clock';
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import type { SandboxMessage } from '../../src/sandbox/state';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import { botMessages, reportCounts, TEST_POSTGRES_URL, withSearchPath } from '../helpers/replicas';
import { until } from '../helpers/until';
import { addAccesses } from '../helpers/sandbox-access';

jest.setTimeout(90_000);

const INTERVAL_MS = 60_000;
const SCHEMA = `test_watch_${process.pid}_${randomBytes(3).toString('hex')}`;
const clock = new ManualClock(Date.now());
let sandbox: Sandbox;
const apps: RunningApp[] = [];

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Person {
  id: string;
  email: string;
  token: string;
  roomId: string;
}

function person(email: string): Person {
  const user = sandbox.facts().users.find((u) => u.email === email);
  if (!user) throw new Error(`no sandbox user ${email}`);
  return { ...user, roomId: '' };
}

/** Sends `text` to the bot 1:1 and waits for `count` answers. */
async function ask(who: Person, text: string, count = 1): Promise<SandboxMessage[]> {
  const response = await fetch(`${sandbox.apiUrl}/messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${who.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ toPersonEmail: sandbox.facts().bot.email, text }),
  });
  const sent = (await response.json()) as { id: string; roomId: string };
  who.roomId = sent.roomId;
  const after = () => {
    const all = sandbox.state.messages.filter((m) => m.roomId === sent.roomId);
    return all
      .slice(all.findIndex((m) => m.id === sent.id) + 1)
      .filter((m) => m.personId !== who.id);
  };
  await until(`the bot to answer "${text}"`, () => after().length >= count, 15_000);
  return after();
}

async function link(who: Person): Promise<void> {
  const [card] = await ask(who, 'connect');
  await consent(connectUrlOf(cardOf(card)), who.id);
  await until('the bot to say linked', () => botMessages(sandbox, who.roomId).length >= 2, 15_000);
}

/** Both replicas' schedulers wake together, twice each, as polling replicas would. */
async function pollOnBoth(): Promise<void> {
  clock.advance(INTERVAL_MS * 1.2);
  await Promise.all(apps.flatMap((app) => [app.scheduler.wake(), app.scheduler.wake()]));
  await sandbox.webhooks.idle();
}

/** How many watch polls the replica ran, from its own /metrics. */
async function pollsRun(app: RunningApp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
  const line =
    /^audit_bot_scheduled_jobs_total\{[^}]*kind="watch\.poll"[^}]*outcome="ok"[^}]*\} (\d+)$/m.exec(
      text,
    );
  return Number(line?.[1] ?? 0);
}

beforeAll(async () => {
  // The SDK complains that sandbox tokens do not look like Webex's; expected here.
  process.env.WEBEX_LOG_LEVEL ??= 'silent';
  await admin(`CREATE SCHEMA "${SCHEMA}"`);
  sandbox = await startSandbox({ port: 0, log: () => undefined, now: () => clock.now() });
  const config = {
    ...loadConfig({
      PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: withSearchPath(TEST_POSTGRES_URL, SCHEMA),
      WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    }),
    apiUrl: sandbox.apiUrl,
  };
  const logger = createLogger(config.logLevel);
  // One deployment: the same secrets for both; Webex (and sign-ins) reach the first one.
  const shared = {
    botToken: sandbox.botToken,
    webhookSecret: randomBytes(24).toString('hex'),
    tokenKey: randomBytes(32),
  };
  let publicUrl = '';
  let oauth = { clientId: '', clientSecret: '' };
  for (let i = 0; i < 2; i++) {
    apps.push(
      await startApp({
        config,
        logger,
        clock,
        deploy: (listenUrl) => {
          if (i === 0) {
            publicUrl = listenUrl;
            oauth = registerBotIntegration(sandbox, listenUrl);
          }
          return { ...shared, publicUrl, oauth };
        },
      }),
    );
  }
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await sandbox?.close();
  await admin(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
});

it('sends each new access to its watcher exactly once', async () => {
  const host = person('host@example.com');
  const otherHost = person('other.host@example.com');
  await link(host);
  await link(otherHost);
  const shared = SEED_RECORDING_IDS.shared;
  await ask(host, `watch ${shared}`);
  await ask(otherHost, `watch ${shared} downloads`);
  await ask(host, `watch ${SEED_RECORDING_IDS.weekly}`);
  const before = {
    host: botMessages(sandbox, host.roomId).length,
    otherHost: botMessages(sandbox, otherHost.roomId).length,
  };

  const rounds = 6;
  for (let round = 0; round < rounds; round++) {
    const accessTime = new Date(Math.floor(clock.now() / 1000) * 1000 - 60_000).toISOString();
    await addAccesses(sandbox.baseUrl, shared, [
      {
        email: `d${round}@example.com`,
        name: `Downloader ${round}`,
        action: 'download',
        accessTime,
      },
    ]);
    await pollOnBoth();
    // A round with nothing new in between: still nothing repeated.
    await pollOnBoth();
  }

  const alertsOf = (who: Person, since: number) =>
    botMessages(sandbox, who.roomId)
      .slice(since)
      .map((m) => /Downloader \d+/.exec(cardText(cardOf(m)))?.[0]);
  const expected = Array.from({ length: rounds }, (_, round) => `Downloader ${round}`);
  expect(alertsOf(host, before.host)).toEqual(expected);
  expect(alertsOf(otherHost, before.otherHost)).toEqual(expected);
  // Every poll ran once across the two replicas: each round, every watch was due once.
  const polls = await Promise.all(apps.map((app) => pollsRun(app)));
  expect(polls.reduce((a, b) => a + b, 0)).toBe(3 * rounds * 2);
  reportCounts('watch polls per replica', polls);
});
