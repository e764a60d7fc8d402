/**
 * Two real bot processes on one PostgreSQL behind a round-robin proxy at PUBLIC_URL, against
 * the sandbox (in this process). Each scenario counts what a person sees: the replies in
 * their space, one per message, none lost and none repeated.
 */
import axios, { type AxiosInstance } from 'axios';
import {
  botMessages,
  countQuotedReplies,
  startReplicaCluster,
  tally,
  type ReplicaCluster,
} from '../helpers/replicas';

jest.setTimeout(120_000);

let cluster: ReplicaCluster;
let api: AxiosInstance;
let roomId: string;

/** Sends a 1:1 message to the bot as the first seeded user; resolves with its id. */
async function send(text: string): Promise<string> {
  const { data } = await api.post<{ id: string; roomId: string }>('/messages', {
    toPersonEmail: cluster.sandbox.facts().bot.email,
    text,
  });
  roomId = data.roomId;
  return data.id;
}

/** Which replicas acknowledged (200) the delivery of each message, through the proxy. */
function acknowledgedBy(messageIds: string[]): Map<string, string[]> {
  const byMessage = new Map<string, string[]>(messageIds.map((id) => [id, []]));
  for (const delivery of cluster.proxy.deliveries) {
    const names = delivery.dataId ? byMessage.get(delivery.dataId) : undefined;
    if (names && delivery.status === 200 && delivery.backend !== undefined) {
      names.push(cluster.replicas[delivery.backend].name);
    }
  }
  return byMessage;
}

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until every text in `sent` has a reply, or `timeoutMs` passed; then counts. */
async function settle(sent: string[], timeoutMs = 20_000) {
  await cluster.sandbox.webhooks.idle();
  await until(
    'every message to be answered',
    () => tally(sent, countQuotedReplies(cluster.sandbox, roomId)).lost.length === 0,
    timeoutMs,
  ).catch(() => undefined); // the counts below say what is missing
  return tally(sent, countQuotedReplies(cluster.sandbox, roomId));
}

beforeAll(async () => {
  cluster = await startReplicaCluster();
  const user = cluster.sandbox.facts().users[0];
  api = axios.create({
    baseURL: cluster.sandbox.apiUrl,
    headers: { Authorization: `Bearer ${user.token}` },
  });
  // First contact, so both replicas' frameworks know the space before the counting starts.
  await send('help');
  await until(
    'the answer to "help"',
    () => botMessages(cluster.sandbox, roomId).length > 0,
    15_000,
  );
});

afterAll(async () => {
  await cluster?.close();
});

afterEach(() => {
  cluster.sandbox.webhooks.setDeliverySettings({});
  cluster.sandbox.faults.clear();
});

it('answers 100 messages exactly once when each is delivered twice, once to each replica', async () => {
  // Both copies at once; the proxy takes turns, so one goes to A and one to B.
  cluster.sandbox.webhooks.setDeliverySettings({ copies: 2 });
  const sent: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    sent.push(`twice ${i}`);
    ids.push(await send(`twice ${i}`));
  }
  const { replied, lost, repeated } = await settle(sent);
  const acknowledged = [...acknowledgedBy(ids).values()].map((names) => names.sort().join('+'));
  expect(acknowledged).toEqual(ids.map(() => 'A+B'));
  expect({ replied, lost, repeated }).toEqual({ replied: 100, lost: [], repeated: [] });
});
