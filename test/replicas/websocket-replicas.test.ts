/**
 * Two real bot processes on one PostgreSQL in websocket mode (EVENT_TRANSPORT=websocket),
 * against the sandbox (in this process): each replica registers a device of its own and hears
 * every event on its own socket, and the shared inbox makes exactly one of them answer. Each
 * scenario counts what a person sees: one reply per message, none lost and none repeated.
 */
import { hostname } from 'node:os';
import { deviceNameFor } from '../../src/bot/framework/devices';
import { DEFAULT_INBOX_POLICY } from '../../src/inbox/policy';
import {
  Conversation,
  metricSum,
  quiet,
  reportCounts,
  startConversingCluster,
  waitUntil,
  waitUntilAsync,
  type Replica,
  type ReplicaCluster,
} from '../helpers/replicas';

jest.setTimeout(120_000);

const DEVICE_NAME = 'audit-bot-replicas-test';
/** The bot reads each message it is told of; slowed down, a replica holds claimed work longer. */
const MESSAGE_READ = 'GET /v1/messages/:id';
const { leaseMs, pollEveryMs } = DEFAULT_INBOX_POLICY;

let cluster: ReplicaCluster;
let talk: Conversation;

beforeAll(async () => {
  ({ cluster, talk } = await startConversingCluster('colleague@example.com', {
    transport: 'websocket',
    env: { WEBEX_DEVICE_NAME: DEVICE_NAME, SHUTDOWN_GRACE_SECONDS: '5' },
  }));
});

afterAll(async () => {
  await cluster?.close();
});

afterEach(() => {
  cluster.sandbox.faults.clear();
});

/** The bot's device registrations in the sandbox, and whether each has a live socket. */
function botDevices(): Array<{ name: string; connected: boolean }> {
  const { sandbox } = cluster;
  const botId = sandbox.facts().bot.id;
  const live = new Set(
    sandbox.sockets
      .list()
      .filter((s) => s.authorized)
      .map((s) => s.deviceId),
  );
  return [...sandbox.state.devices.values()]
    .filter((device) => device.personId === botId)
    .map((device) => ({ name: device.registration.name ?? '', connected: live.has(device.id) }))
    .sort((x, y) => x.name.localeCompare(y.name));
}

/** What {@link botDevices} lists when exactly `replicas` are registered and connected. */
const devicesOf = (...replicas: Replica[]) =>
  replicas
    .map((replica) => ({
      name: deviceNameFor(DEVICE_NAME, hostname(), replica.port),
      connected: true,
    }))
    .sort((x, y) => x.name.localeCompare(y.name));

/** Events `replica` took from its socket into the inbox (new or already there), since it started. */
const socketEventsOf = (replica: Replica) =>
  metricSum(cluster, 'audit_bot_socket_events_total', { outcome: 'accepted' }, [replica]);

/** All messages in the person's space (theirs and the bot's). */
const roomMessages = () =>
  cluster.sandbox.state.messages.filter((m) => m.roomId === talk.roomId).length;

/**
 * Waits until each replica has stored (or found stored) `count` more events from its socket
 * than `before`: a copy still on its way into the inbox could otherwise be answered after the
 * counting. Resolves with how many each took (the test asserts on them).
 */
async function socketEventsTaken(
  replicas: Replica[],
  before: number[],
  count: number,
): Promise<number[]> {
  const taken = async () =>
    Promise.all(replicas.map(async (r, i) => (await socketEventsOf(r)) - before[i]));
  await waitUntilAsync(
    'every replica to store what its socket brought',
    async () => (await taken()).every((n) => n >= count),
    30_000,
  ).catch(() => undefined);
  return taken();
}

/**
 * Both replicas' socket event counts once they agree: both hear every event, so until then one
 * is still storing an earlier event (first contact's memberships) that would be counted here.
 */
async function settledSocketEvents(a: Replica, b: Replica): Promise<number[]> {
  await quiet(cluster);
  let counts: number[] = [];
  await waitUntilAsync(
    'both replicas to have stored what their sockets brought so far',
    async () => {
      counts = await Promise.all([socketEventsOf(a), socketEventsOf(b)]);
      return counts[0] === counts[1];
    },
    10_000,
  );
  return counts;
}

/**
 * Both replicas up, each on its own device, with the bot's message reads slowed to `latencyMs`
 * (so a replica holds claimed work longer). B is started unless it runs (an earlier scenario
 * that failed may have left it up).
 */
async function bothUpWithReadsTaking(latencyMs: number): Promise<[Replica, Replica]> {
  const [a, b] = cluster.replicas;
  if (!b.running()) await b.start();
  expect(botDevices()).toEqual(devicesOf(a, b));
  cluster.sandbox.faults.set({ route: MESSAGE_READ, latencyMs });
  return [a, b];
}

/** A replica's inbox id is `<host>-<pid>-<random>`. */
const replicaIdPattern = (pid: number) => `-${pid}-[0-9a-f]{6}$`;

function pidOf(replica: Replica): number {
  const pid = replica.process?.child.pid;
  if (pid === undefined) throw new Error(`replica ${replica.name} is not running`);
  return pid;
}

/** The texts of the messages the replica process `pid` has claimed and not finished. */
async function claimedBy(pid: number): Promise<string[]> {
  const rows = await cluster.query<{ event_id: string }>(
    `SELECT event_id FROM inbox_events
      WHERE resource = 'messages' AND status = 'claimed' AND claimed_by ~ $1`,
    [replicaIdPattern(pid)],
  );
  return rows.map((r) => talk.textOf(r.event_id) ?? r.event_id);
}

/** Messages stored and claimed by no replica yet. */
async function pendingMessages(): Promise<number> {
  const [row] = await cluster.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM inbox_events WHERE resource = 'messages' AND status = 'pending'`,
  );
  return Number(row?.n ?? 0);
}

it('answers 100 messages exactly once though both replicas hear each on their own socket', async () => {
  const [a, b] = cluster.replicas;
  const { sandbox } = cluster;
  expect(botDevices()).toEqual(devicesOf(a, b));
  const before = await settledSocketEvents(a, b);
  const delivered = sandbox.sockets.stats.delivered;
  const missed = sandbox.sockets.stats.missed;
  const messagesBefore = roomMessages();

  const sent = await talk.sendNumbered('both', 100);
  const taken = await socketEventsTaken([a, b], before, sent.length);
  const { replied, lost, repeated } = await talk.settle(sent);
  const framesPerSocket = roomMessages() - messagesBefore;
  const counts = {
    sent: sent.length,
    takenByA: taken[0],
    takenByB: taken[1],
    framesDelivered: sandbox.sockets.stats.delivered - delivered,
    framesMissed: sandbox.sockets.stats.missed - missed,
    replied,
    lost,
    repeated,
  };
  reportCounts('websocket, heard by both', counts);
  // Every message reached both replicas: each stored it or found it stored.
  expect(taken).toEqual([100, 100]);
  // Each message of the space (the person's and the bot's replies) went to both sockets.
  expect(counts.framesDelivered).toBe(2 * framesPerSocket);
  expect(counts.framesMissed).toBe(0);
  // Nothing came as a webhook: none registered, none through the proxy.
  expect(sandbox.state.webhooks.size).toBe(0);
  expect(cluster.proxy.deliveries).toEqual([]);
  expect({ replied, lost, repeated }).toEqual({ replied: 100, lost: [], repeated: [] });
});

it('answers everything with one replica stopped, whose device is gone', async () => {
  const [a, b] = cluster.replicas;
  const { sandbox } = cluster;
  expect(await b.stop()).toBe(0);
  expect(botDevices()).toEqual(devicesOf(a));
  const before = [await socketEventsOf(a)];
  const delivered = sandbox.sockets.stats.delivered;
  const missed = sandbox.sockets.stats.missed;
  const messagesBefore = roomMessages();

  const sent = await talk.sendNumbered('alone', 20);
  const [takenByA] = await socketEventsTaken([a], before, sent.length);
  const { replied, lost, repeated } = await talk.settle(sent);
  const counts = {
    sent: sent.length,
    takenByA,
    framesDelivered: sandbox.sockets.stats.delivered - delivered,
    framesMissed: sandbox.sockets.stats.missed - missed,
    replied,
    lost,
    repeated,
  };
  reportCounts('websocket, one replica stopped', counts);
  expect(takenByA).toBe(20);
  // One socket left, and no registration of B's left to miss anything.
  expect(counts.framesDelivered).toBe(roomMessages() - messagesBefore);
  expect(counts.framesMissed).toBe(0);
  expect({ replied, lost, repeated }).toEqual({ replied: 20, lost: [], repeated: [] });
  expect(a.running()).toBe(true);
});

it('loses and repeats nothing sent before and while a replica holding claimed work stops', async () => {
  // Each event takes a while (within B's 5 s grace), so A works on at most 16 at once, B
  // claims the rest, and B is still working on some when it is told to stop.
  const [a, b] = await bothUpWithReadsTaking(3_000);
  const sent = await talk.sendNumbered('before stop', 30);
  const pidOfB = pidOf(b);
  let heldByB: string[] = [];
  await waitUntilAsync(
    'B to be working on some',
    async () => (heldByB = await claimedBy(pidOfB)).length > 0,
    20_000,
  );
  const stopping = b.stop();
  let stopped = false;
  void stopping.finally(() => (stopped = true)).catch(() => undefined);
  // B lingers (readiness 503) and finishes its work for seconds: all of this is sent meanwhile.
  const sentWhileStopping: string[] = [];
  for (let i = 0; i < 10; i++) {
    const text = `while stopping ${i}`;
    sent.push(text);
    await talk.send(text);
    if (!stopped) sentWhileStopping.push(text);
  }
  const code = await stopping;
  cluster.sandbox.faults.clear();
  const { replied, lost, repeated } = await talk.settle(sent, 30_000);
  reportCounts('websocket, stopped while working', {
    sent: sent.length,
    heldByBAtStop: heldByB.length,
    sentWhileStopping: sentWhileStopping.length,
    replied,
    lost,
    repeated,
  });
  expect(code).toBe(0);
  expect(botDevices()).toEqual(devicesOf(a));
  expect(heldByB.length).toBeGreaterThan(0);
  expect(sentWhileStopping).toHaveLength(10);
  expect({ replied, lost, repeated }).toEqual({ replied: sent.length, lost: [], repeated: [] });
});

it('hands back what a stopping replica could not finish within its grace, answered once by the other', async () => {
  // Reads slower than B's grace (5 s), though within the bot's read timeout (10 s). A works
  // on at most 16 events at once, so of 40, B claims some.
  const [, b] = await bothUpWithReadsTaking(8_000);
  const sent = await talk.sendNumbered('unfinished', 40);
  const pidOfB = pidOf(b);
  await waitUntilAsync(
    'A and B to have claimed all they can',
    async () => (await pendingMessages()) <= sent.length - 2 * DEFAULT_INBOX_POLICY.maxConcurrent,
    10_000,
  );
  // B claims no more once it is told to stop: what it holds now is what it hands back.
  const heldByB = await claimedBy(pidOfB);
  const code = await b.stop();
  cluster.sandbox.faults.clear();
  const { replied, lost, repeated } = await talk.settle(sent, 30_000);
  // Claimed a second time, by A: handed back by B (a lapsed lease would name B as taken over from).
  const claimedTwice = await cluster.query<{ event_id: string; taken_over_from: string | null }>(
    `SELECT event_id, taken_over_from FROM inbox_events
      WHERE resource = 'messages' AND attempts > 1`,
  );
  const ofThese = claimedTwice.filter((r) => sent.includes(talk.textOf(r.event_id) ?? ''));
  const handedBack = ofThese.map((r) => talk.textOf(r.event_id) ?? r.event_id);
  const lapsed = ofThese
    .filter((r) => r.taken_over_from !== null)
    .map((r) => talk.textOf(r.event_id));
  reportCounts('websocket, stopped with work unfinished', {
    sent: sent.length,
    heldByB: heldByB.length,
    handedBack: handedBack.length,
    lapsed: lapsed.length,
    replied,
    lost,
    repeated,
  });
  expect(code).toBe(0);
  expect(heldByB.length).toBeGreaterThan(0);
  expect(handedBack.sort()).toEqual([...heldByB].sort());
  expect(lapsed).toEqual([]);
  expect({ replied, lost, repeated }).toEqual({ replied: sent.length, lost: [], repeated: [] });
});

it('answers what a replica killed mid-read was working on, once its lease lapses', async () => {
  // Slow reads: B dies while reading what it claimed, before it could answer any of it.
  const [a, b] = await bothUpWithReadsTaking(5_000);
  const recoveredBefore = await metricSum(cluster, 'audit_bot_inbox_recovered_total', {}, [a]);
  const pidOfB = pidOf(b);
  const sent: string[] = [];
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      sent.push(`flowing ${i}`);
      await talk.send(`flowing ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await waitUntilAsync(
      // A takes what it stores first, B what comes once A works on all it may (16).
      'B to be working on several',
      async () => (await claimedBy(pidOfB)).length >= 5,
      4_000,
    );
    expect(await b.kill()).toBe('SIGKILL');
    // Read after the kill: exactly what B held, since a dead replica finishes nothing.
    const heldByB = await claimedBy(pidOfB);
    cluster.sandbox.faults.clear();
    const sentAtKill = sent.length;
    await waitUntil('20 more messages', () => sent.length >= sentAtKill + 20, 15_000);
    writing = false;
    await writer;
    const { replied, lost, repeated } = await talk.settle(sent, leaseMs + pollEveryMs + 20_000);
    const takenOver = await cluster.query<{ event_id: string }>(
      `SELECT event_id FROM inbox_events WHERE resource = 'messages' AND taken_over_from ~ $1`,
      [replicaIdPattern(pidOfB)],
    );
    const recovered =
      (await metricSum(cluster, 'audit_bot_inbox_recovered_total', {}, [a])) - recoveredBefore;
    reportCounts('websocket, killed mid-read', {
      sent: sent.length,
      sentAtKill,
      heldByB: heldByB.length,
      takenOver: takenOver.length,
      recovered,
      replied,
      lost,
      repeated,
    });
    expect(heldByB.length).toBeGreaterThan(0);
    // A took over exactly what B held when it died, once its lease lapsed.
    expect(takenOver.map((r) => talk.textOf(r.event_id)).sort()).toEqual([...heldByB].sort());
    expect(recovered).toBe(heldByB.length);
    expect({ replied, lost, repeated }).toEqual({ replied: sent.length, lost: [], repeated: [] });
  } finally {
    writing = false;
    await writer;
  }
});
