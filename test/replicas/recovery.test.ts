/**
 * Replicas that stop, crash or wait on a slow Webex, on the durable inbox: nothing lost,
 * nothing repeated, the report of a killed replica's audit sent by the other.
 */
import { DEFAULT_INBOX_POLICY } from '../../src/inbox/policy';
import { SEED_RECORDING_COUNTS, SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import {
  Conversation,
  metricSum,
  quiet,
  reportCounts,
  startReplicaCluster,
  waitUntil,
  waitUntilAsync,
  type ReplicaCluster,
} from '../helpers/replicas';

jest.setTimeout(120_000);

/** A killed replica's events are taken over once their lease lapses, at the next look. */
const { leaseMs, pollEveryMs } = DEFAULT_INBOX_POLICY;
const ACCESS_DETAIL = 'GET /v1/recordingReport/accessDetail';

let cluster: ReplicaCluster;
let talk: Conversation;

/** The bot's report cards after `messageId` that contain `line`. */
function reportsAfter(messageId: string, line: string) {
  return talk.botMessagesAfter(messageId).filter((m) => {
    const card = cardOf(m);
    return card !== undefined && cardText(card).includes(line);
  });
}

const accessesLine = (count: number) => `Accesses: ${count.toLocaleString('en-US')}`;

beforeAll(async () => {
  cluster = await startReplicaCluster({
    env: { SHUTDOWN_GRACE_SECONDS: '5' },
  });
  talk = new Conversation(cluster, 'host@example.com');
  // The host links their Webex account once, through the proxy, as a person would.
  const asked = await talk.send('connect');
  await waitUntil(
    'the connect card',
    () => talk.botMessagesAfter(asked).some((m) => cardOf(m) !== undefined),
    15_000,
  );
  const card = talk.botMessagesAfter(asked).find((m) => cardOf(m) !== undefined);
  expect((await consent(connectUrlOf(cardOf(card ?? {})), talk.person.id)).status).toBe(200);
});

afterAll(async () => {
  await cluster?.close();
});

afterEach(() => {
  cluster.sandbox.webhooks.setDeliverySettings({});
  cluster.sandbox.faults.clear();
});

it('loses and repeats nothing through a rolling restart while a person writes every 200 ms', async () => {
  const [a, b] = cluster.replicas;
  const sent: string[] = [];
  let restarting = true;
  const writer = (async () => {
    // Every 200 ms for 20 s, and on until the restart is over.
    const end = Date.now() + 20_000;
    for (let i = 0; restarting || Date.now() < end; i++) {
      const next = Date.now() + 200;
      sent.push(`rolling ${i}`);
      await talk.send(`rolling ${i}`);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
  })();
  const codes: Array<number | string> = [];
  let sentBeforeRestart = 0;
  let sentWhenRestarted = 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    sentBeforeRestart = sent.length;
    codes.push(await a.stop());
    await a.start();
    codes.push(await b.stop());
    await b.start();
    sentWhenRestarted = sent.length;
  } finally {
    restarting = false;
    await writer;
  }
  const { replied, lost, repeated } = await talk.settle(sent);
  const counts = {
    sent: sent.length,
    sentBeforeRestart,
    sentWhenRestarted,
    replied,
    lost,
    repeated,
  };
  reportCounts('rolling restart', counts);
  if (lost.length > 0) reportCounts('deliveries of lost messages', talk.deliveriesOf(lost));
  expect(codes).toEqual([0, 0]);
  // The whole restart happened while the person was writing.
  expect(sentBeforeRestart).toBeGreaterThan(0);
  expect(sentWhenRestarted - sentBeforeRestart).toBeGreaterThan(20);
  expect(sent.length).toBeGreaterThanOrEqual(90);
  expect({ replied, lost, repeated }).toEqual({ replied: sent.length, lost: [], repeated: [] });
});

it('sends the report from the other replica when the one auditing 2,500 records is killed', async () => {
  const [a] = cluster.replicas;
  const line = accessesLine(SEED_RECORDING_COUNTS.allHands);
  // 25 pages at 150 ms each: the audit takes seconds, long enough to kill it midway.
  cluster.sandbox.faults.set({ route: ACCESS_DETAIL, latencyMs: 150 });
  // Only A hears of these events, so A is the one working on them.
  cluster.sandbox.webhooks.setDeliverySettings({ fanOut: [a.url] });

  // How long the audit takes when nothing goes wrong (in a zone of its own: nothing cached).
  const baselineStart = Date.now();
  const baseline = await talk.send(`audit ${SEED_RECORDING_IDS.allHands} tz America/New_York`);
  await waitUntil('the baseline report', () => reportsAfter(baseline, line).length > 0, 30_000);
  const auditMs = Date.now() - baselineStart;

  cluster.sandbox.faults.resetCounts();
  const asked = await talk.send(`audit ${SEED_RECORDING_IDS.allHands} tz Europe/Paris`);
  await waitUntil(
    'A to be paging through the report',
    () => (cluster.sandbox.faults.counts().byRoute[ACCESS_DETAIL] ?? 0) >= 3,
    15_000,
  );
  const killedAt = Date.now();
  expect(await a.kill()).toBe('SIGKILL');
  await waitUntil(
    'the report from B',
    () => reportsAfter(asked, line).length > 0,
    leaseMs + auditMs + 10_000,
  );
  const takeoverMs = Date.now() - killedAt;
  reportCounts('kill -9 mid-audit', { auditMs, leaseMs, pollEveryMs, takeoverMs });
  expect(takeoverMs).toBeLessThanOrEqual(leaseMs + pollEveryMs + auditMs);
  await a.start();
  // One report, not two, once everything has settled.
  await cluster.sandbox.webhooks.idle();
  expect(reportsAfter(asked, line)).toHaveLength(1);
});

it('answers every audit once a slow GET /messages/{id} fault is cleared', async () => {
  const line = accessesLine(SEED_RECORDING_COUNTS.example);
  const retriesBefore = await metricSum(cluster, 'audit_bot_inbox_retries_total');
  // Slower than the bot's event reads wait (10 s): every first attempt fails.
  cluster.sandbox.faults.set({ route: 'GET /v1/messages/:id', latencyMs: 11_000 });
  const asked: string[] = [];
  for (let i = 0; i < 10; i++) asked.push(await talk.send(`audit ${SEED_RECORDING_IDS.example}`));
  await waitUntilAsync(
    'every audit to have failed once',
    async () => (await metricSum(cluster, 'audit_bot_inbox_retries_total')) - retriesBefore >= 10,
    30_000,
  );
  const answeredDuringFault = reportsAfter(asked[0], line).length;
  cluster.sandbox.faults.clear();
  const answered = () => reportsAfter(asked[0], line).length;
  await waitUntil('every audit to be answered', () => answered() >= asked.length, 60_000).catch(
    () => undefined,
  );
  await quiet(cluster);
  reportCounts('slow message reads', {
    asked: asked.length,
    answeredDuringFault,
    answered: answered(),
  });
  expect(answeredDuringFault).toBe(0);
  expect(answered()).toBe(asked.length);
});
