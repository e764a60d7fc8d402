/**
 * The inbox worker on a real (in-memory SQLite) store, without servers: what gets processed,
 * how often, and by which of two "replicas" sharing the store.
 */
import type { WebhookEnvelope } from '../../src/bot/envelope';
import { Inbox, type InboxWorker } from '../../src/inbox/inbox';
import type { InboxPolicy } from '../../src/inbox/policy';
import { createLogger } from '../../src/log';
import { createMetrics, type Metrics } from '../../src/metrics';
import { openStore, type Store } from '../../src/store';

const FAST: Partial<InboxPolicy> = {
  leaseMs: 300,
  renewEveryMs: 100,
  pollEveryMs: 50,
  firstRetryMs: 20,
  maxRetryMs: 40,
  retryForMs: 400,
};

const envelope = (id: string, resource = 'messages'): WebhookEnvelope => ({
  id: 'webhook-1',
  name: 'bot firehose',
  resource,
  event: 'created',
  data: { id, personId: 'person-1', roomId: 'room-1' },
});

const retryable = () => Object.assign(new Error('Webex did not answer'), { retryable: true });

let store: Store;
let inboxes: Inbox[] = [];

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await Promise.all(inboxes.map((inbox) => inbox.stop(0)));
  inboxes = [];
  await store.close();
});

function replica(name: string, metrics?: Metrics): Inbox {
  const inbox = new Inbox({
    store,
    replicaId: name,
    logger: createLogger('silent'),
    metrics,
    policy: FAST,
  });
  inboxes.push(inbox);
  return inbox;
}

async function until(what: string, condition: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const settled = async () => {
  const depth = await store.inboxDepth();
  return depth.pending === 0 && depth.claimed === 0;
};

/** A worker that records what it processed. */
function recorder(process: (e: WebhookEnvelope) => Promise<void> = async () => undefined) {
  const processed: string[] = [];
  const gaveUp: string[] = [];
  const worker: InboxWorker = {
    process: async (e) => {
      processed.push(e.data.id);
      await process(e);
    },
    onGaveUp: async (e) => void gaveUp.push(e.data.id),
  };
  return { worker, processed, gaveUp };
}

it('processes events stored before it started, and a redelivery not again', async () => {
  const inbox = replica('a');
  await inbox.accept(envelope('m1'));
  await inbox.accept(envelope('m1'));
  await inbox.accept(envelope('m2'));
  const { worker, processed } = recorder();
  inbox.start(worker);
  await until('both processed', settled);
  await inbox.accept(envelope('m2'));
  await inbox.accept(envelope('m3'));
  await until('the third processed', () => processed.length === 3 && settled());
  expect(processed.sort()).toEqual(['m1', 'm2', 'm3']);
});

it('gives every event to one of two replicas', async () => {
  const a = replica('a');
  const b = replica('b');
  const ra = recorder(() => new Promise((resolve) => setTimeout(resolve, 5)));
  const rb = recorder(() => new Promise((resolve) => setTimeout(resolve, 5)));
  a.start(ra.worker);
  b.start(rb.worker);
  const ids = Array.from({ length: 60 }, (_, i) => `m${i}`);
  // Each delivery reaches both replicas (as the sandbox can do).
  await Promise.all(ids.flatMap((id) => [a.accept(envelope(id)), b.accept(envelope(id))]));
  await until('all processed', async () => ra.processed.length + rb.processed.length >= 60);
  await until('all settled', settled);
  expect([...ra.processed, ...rb.processed].sort()).toEqual([...ids].sort());
});

it('retries a retryable failure until it works', async () => {
  const metrics = createMetrics();
  const inbox = replica('a', metrics);
  let failures = 2;
  const { worker, processed, gaveUp } = recorder(async () => {
    if (failures-- > 0) throw retryable();
  });
  inbox.start(worker);
  await inbox.accept(envelope('m1'));
  await until('processed', async () => processed.length === 3 && (await settled()));
  expect(gaveUp).toEqual([]);
  expect((await metrics.inboxRetries.get()).values[0]?.value).toBe(2);
});

it('gives up when retrying does not help, and tells the person once', async () => {
  const metrics = createMetrics();
  const inbox = replica('a', metrics);
  const { worker, processed, gaveUp } = recorder(async (e) => {
    throw e.data.id === 'bug' ? new Error('a bug') : retryable();
  });
  inbox.start(worker);
  await inbox.accept(envelope('bug'));
  await inbox.accept(envelope('down'));
  await until('both given up', () => gaveUp.length === 2);
  expect(gaveUp.sort()).toEqual(['bug', 'down']);
  expect(processed.filter((id) => id === 'bug')).toHaveLength(1);
  // Retried within the window (400 ms, pauses of 20–40 ms), then given up.
  expect(processed.filter((id) => id === 'down').length).toBeGreaterThan(3);
  expect(await settled()).toBe(true);
});

it('takes over the event of a replica that died, once its lease lapsed', async () => {
  const metrics = createMetrics();
  const survivor = replica('survivor', metrics);
  await survivor.accept(envelope('m1'));
  // A replica that claimed it and was killed: its lease is never renewed or settled.
  const now = Date.now();
  expect(
    await store.claimInboxEvents({ owner: 'dead', now, until: now + 300, limit: 1 }),
  ).toHaveLength(1);
  const startedAt = Date.now();
  const { worker, processed } = recorder();
  survivor.start(worker);
  await until('taken over', () => processed.length === 1);
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
  expect((await metrics.inboxRecovered.get()).values[0]?.value).toBe(1);
  await until('settled', settled);
});

it('hands unfinished events back on stop, so another replica takes them at once', async () => {
  const stopping = replica('stopping');
  let release: () => void = () => undefined;
  stopping.start({
    process: () => new Promise<void>((resolve) => (release = resolve)),
    onGaveUp: async () => undefined,
  });
  await stopping.accept(envelope('m1'));
  await until('claimed', async () => (await store.inboxDepth()).claimed === 1);
  expect(await stopping.stop(50)).toBe(1);
  const next = replica('next');
  const { worker, processed } = recorder();
  const handedAt = Date.now();
  next.start(worker);
  await until('taken', () => processed.length === 1);
  // Well before the 300 ms lease would have lapsed.
  expect(Date.now() - handedAt).toBeLessThan(200);
  release();
  await until('settled', settled);
  // The first replica's late finish does not count: the event is the new owner's.
  expect(processed).toEqual(['m1']);
});
