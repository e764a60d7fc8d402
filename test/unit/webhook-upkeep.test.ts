/**
 * The webhook reconcile as a job on the durable scheduler: two replicas' schedulers on one
 * store (SQLite in memory) with a manual clock, keeping the webhooks of the sandbox running in
 * this process. Counts what the sandbox lists and how often Webex was asked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { frameworkWebhookName } from '../../src/bot/framework/webhook-name';
import { keepWebhooks, WEBHOOK_RECONCILE_JOB } from '../../src/bot/webhook-upkeep';
import { WebhookReconciler } from '../../src/bot/webhooks';
import { ManualClock } from '../../src/scheduler/clock';
import { Scheduler } from '../../src/scheduler/scheduler';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { openStore, type Store } from '../../src/store';
import { createWebexHttp, type WebexHttp } from '../../src/webex/client';
import { call } from '../sandbox/helpers';

const T0 = Date.parse('2024-11-04T08:00:00Z');
const INTERVAL = 60_000;
const TARGET = 'https://bot.example.com/webhooks/webex';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let sandbox: Sandbox;
let store: Store;
let clock: ManualClock;
let name: string;
const schedulers: Scheduler[] = [];

function reconcilerFor(http: WebexHttp, botToken: string): WebhookReconciler {
  return new WebhookReconciler({ http, botToken, name, targetUrl: TARGET, secret: 'secret' });
}

/** A replica's scheduler keeping the webhooks; `listings` counts its webhook listings. */
async function replica(holder: string, http?: WebexHttp) {
  const scheduler = new Scheduler({ store, clock, holder, logger: quiet, pollMs: 60_000 });
  schedulers.push(scheduler);
  const reconciler = reconcilerFor(
    http ?? createWebexHttp({ baseUrl: sandbox.apiUrl }),
    sandbox.botToken,
  );
  let listings = 0;
  await keepWebhooks({
    scheduler,
    reconciler: {
      reconcile: (signal) => (listings++, reconciler.reconcile(signal)),
    },
    intervalMs: INTERVAL,
    logger: quiet,
  });
  return { scheduler, listings: () => listings };
}

const ours = () => [...sandbox.state.webhooks.values()].filter((w) => w.name === name);
const pairs = () =>
  ours()
    .map((w) => `${w.resource}/${w.event}`)
    .sort();
const BOTH = ['all/all', 'attachmentActions/created'];

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
  name = frameworkWebhookName(TARGET, sandbox.facts().bot.email);
  store = await openStore('sqlite::memory:');
  clock = new ManualClock(T0);
});

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  await store.close();
  await sandbox.close();
});

it('two replicas starting at once reconcile once between them and make exactly two webhooks', async () => {
  const a = await replica('A');
  const b = await replica('B');
  await Promise.all([a.scheduler.wake(), b.scheduler.wake()]);
  expect(pairs()).toEqual(BOTH);
  expect(a.listings() + b.listings()).toBe(1);
  expect(await store.getJob(WEBHOOK_RECONCILE_JOB)).toMatchObject({ nextRunAt: T0 + INTERVAL });

  // Before the interval is up nobody asks Webex; after it, one of them does.
  clock.advance(INTERVAL - 1);
  await Promise.all([a.scheduler.wake(), b.scheduler.wake()]);
  expect(a.listings() + b.listings()).toBe(1);
  clock.advance(1);
  await Promise.all([a.scheduler.wake(), b.scheduler.wake()]);
  expect(a.listings() + b.listings()).toBe(2);
  expect(pairs()).toEqual(BOTH);
});

it('recreates a webhook deleted behind its back at the next interval, on whichever replica is left', async () => {
  const a = await replica('A');
  await a.scheduler.wake();
  await a.scheduler.stop();
  const b = await replica('B');
  const firehose = ours().find((w) => w.resource === 'all');
  await call(sandbox, sandbox.botToken, 'DELETE', `/webhooks/${firehose?.id}`);
  // B's start asked for a reconcile now: it runs at once, not an interval later.
  await b.scheduler.wake();
  expect(pairs()).toEqual(BOTH);
  await call(sandbox, sandbox.botToken, 'DELETE', `/webhooks/${ours()[0]?.id}`);
  await b.scheduler.wake();
  expect(ours()).toHaveLength(1);
  clock.advance(INTERVAL);
  await b.scheduler.wake();
  expect(pairs()).toEqual(BOTH);
});

describe('while Webex is down', () => {
  let down: Server;
  let downListings = 0;

  beforeAll(async () => {
    // Every listing answers 503, which the client retries for up to a minute.
    down = createServer((_req, res) => {
      downListings++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"down"}');
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => down.close(() => resolve())));

  it('stop() aborts a reconcile that is retrying, and hands the job to another replica at once', async () => {
    const { port } = down.address() as AddressInfo;
    const retrying = createWebexHttp({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { budgetMs: 60_000, baseDelayMs: 200, maxDelayMs: 200, maxRetries: 1_000 },
    });
    const a = await replica('A', retrying);
    const round = a.scheduler.wake();
    while (downListings < 2) await new Promise((resolve) => setTimeout(resolve, 20));

    const stopAt = Date.now();
    await a.scheduler.stop();
    expect(Date.now() - stopAt).toBeLessThan(2_000);
    await round;
    expect(ours()).toHaveLength(0);

    const b = await replica('B');
    await b.scheduler.wake();
    expect(pairs()).toEqual(BOTH);
  });
});
