/**
 * Two real bot processes on one PostgreSQL behind a round-robin proxy at PUBLIC_URL, against
 * the sandbox (in this process). Each scenario counts what a person sees: the replies in
 * their space, one per message, none lost and none repeated.
 */
import {
  Conversation,
  reportCounts,
  startConversingCluster,
  waitUntil,
  type ReplicaCluster,
} from '../helpers/replicas';

jest.setTimeout(120_000);

let cluster: ReplicaCluster;
let talk: Conversation;

beforeAll(async () => {
  ({ cluster, talk } = await startConversingCluster('colleague@example.com'));
});

afterAll(async () => {
  await cluster?.close();
});

afterEach(() => {
  cluster.sandbox.webhooks.setDeliverySettings({});
  cluster.sandbox.faults.clear();
});

it('answers 100 messages exactly once when each is delivered twice, once to each replica', async () => {
  // The proxy skips a replica whose last /readyz probe failed (a busy machine may time one
  // out): start once it sees both.
  await waitUntil(
    'the proxy to see both replicas ready',
    () => cluster.proxy.ready().every(Boolean),
    10_000,
  );
  // Both copies at once; the proxy takes turns, so one goes to A and one to B.
  cluster.sandbox.webhooks.setDeliverySettings({ copies: 2 });
  const sent: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    sent.push(`twice ${i}`);
    ids.push(await talk.send(`twice ${i}`));
  }
  const { replied, lost, repeated } = await talk.settle(sent);
  reportCounts('delivered twice', { sent: sent.length, replied, lost, repeated });
  expect(talk.acknowledgedBy(ids).map((names) => names.join('+'))).toEqual(ids.map(() => 'A+B'));
  expect({ replied, lost, repeated }).toEqual({ replied: 100, lost: [], repeated: [] });
});

it('answers everything with one replica stopped for good, and both webhooks stay', async () => {
  const [a, b] = cluster.replicas;
  const webhookCounts: number[] = [cluster.sandbox.state.webhooks.size];
  const watch = setInterval(() => webhookCounts.push(cluster.sandbox.state.webhooks.size), 20);
  try {
    expect(await b.stop()).toBe(0);
    await waitUntil('the proxy to see B gone', () => !cluster.proxy.ready()[1], 5_000);
    const sent = await talk.sendNumbered('alone', 20);
    const { replied, lost, repeated } = await talk.settle(sent);
    reportCounts('one replica stopped', { sent: sent.length, replied, lost, repeated });
    expect({ replied, lost, repeated }).toEqual({ replied: 20, lost: [], repeated: [] });
    expect(a.running()).toBe(true);
  } finally {
    clearInterval(watch);
  }
  webhookCounts.push(cluster.sandbox.state.webhooks.size);
  reportCounts('webhooks while B was stopped', {
    looks: webhookCounts.length,
    counts: [...new Set(webhookCounts)],
  });
  // messages (the firehose) and attachmentActions, at every look.
  expect(new Set(webhookCounts)).toEqual(new Set([2]));
});
