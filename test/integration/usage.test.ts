/**
 * The bot's own usage log end to end against the sandbox, with the clock injected: every
 * audit, export, watch and digest request is recorded with who, which recording, where, when and the
 * outcome; `usage` gives an admin a CSV with one row per request made before it and refuses
 * anyone without the admin scope; entries older than USAGE_RETENTION_DAYS are pruned.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { ManualClock } from '../../src/scheduler/clock';
import type { UsageEntry } from '../../src/store/store';
import { cardOf, cardText } from '../helpers/card-text';
import { ask } from '../helpers/ask';
import { linkAccount } from '../helpers/consent';
import { clickButton, startStack, type SandboxUser, type TestStack } from '../helpers/stack';
import { until } from '../helpers/until';

jest.setTimeout(90_000);

const T0 = Date.parse('2024-11-04T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const MISSING = '0123456789abcdef0123456789abcdef';

const clock = new ManualClock(T0);
let stack: TestStack;
let host: SandboxUser;
let admin: SandboxUser;

beforeAll(async () => {
  stack = await startStack({}, { clock });
  host = stack.user('host@example.com');
  admin = stack.user('admin@example.com');
  await linkAccount(host);
  await linkAccount(admin, { admin: true });
});

afterAll(async () => {
  await stack?.close();
});

async function entries(): Promise<UsageEntry[]> {
  return stack.running.store.listUsage({ since: 0, limit: 10_000 });
}

/** Waits until the log holds `count` entries, then moves the clock on a minute. */
async function logged(count: number): Promise<void> {
  await until(`${count} usage entries`, async () => (await entries()).length === count);
  clock.advance(MINUTE);
}

async function fetchCsv(user: SandboxUser, url: string): Promise<string[]> {
  const file = await user.api.get<string>(url, { responseType: 'text' });
  expect(file.status).toBe(200);
  return file.data
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\n');
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('the usage log', () => {
  it('records each request, and "usage" sends an admin one CSV row per request made before it', async () => {
    const [report] = await ask(host, `audit ${SEED_RECORDING_IDS.example}`);
    await logged(1);
    await clickButton(host, report, 'Export CSV');
    await logged(2);
    await clickButton(host, report, 'Refresh');
    await logged(3);
    await ask(host, `audit ${MISSING}`);
    await logged(4);
    const note = await host.sayInRoom(stack.groupRoomId(), `audit ${SEED_RECORDING_IDS.weekly}`);
    await host.waitForBot(note.roomId, { after: note.id, timeoutMs: 15_000 });
    await logged(5);
    await ask(host, 'digest weekly');
    await logged(6);
    await ask(host, 'digest off');
    await logged(7);
    // Not an admin: refused, and told how to become one. The refusal is recorded too.
    const [refused] = await ask(host, 'usage');
    const refusal = cardText(cardOf(refused));
    expect(refusal).toContain('The usage log is for admins.');
    expect(refusal).toContain('connect admin');
    expect(refused.files ?? []).toEqual([]);
    await logged(8);
    await ask(admin, `audit ${SEED_RECORDING_IDS.board} host other.host@example.com`);
    await logged(9);
    await ask(host, `watch ${SEED_RECORDING_IDS.example} downloads`);
    await logged(10);
    await ask(host, `unwatch ${SEED_RECORDING_IDS.example}`);
    await logged(11);
    // Listing watches, paging and help are not requests the log keeps.
    await ask(host, 'watches');
    await ask(host, 'help');

    const [answer] = await ask(admin, 'usage');
    expect(answer.files).toHaveLength(1);
    expect(answer.markdown).toContain('last 30 days: 11 requests');
    const lines = await fetchCsv(admin, answer.files![0]);
    const at = (n: number) => iso(T0 + n * MINUTE);
    const berlin = (n: number) =>
      new Date(T0 + n * MINUTE + 3_600_000).toISOString().replace('.000Z', '+01:00');
    const h = 'host@example.com';
    const { example, weekly, board } = SEED_RECORDING_IDS;
    expect(lines).toEqual([
      'Time (UTC),Time (Europe/Berlin),Person email,Command,Recording ID,Host email,Place,Outcome',
      `${at(0)},${berlin(0)},${h},audit,${example},,direct,ok`,
      `${at(1)},${berlin(1)},${h},export,${example},,direct,ok`,
      `${at(2)},${berlin(2)},${h},audit,${example},,direct,ok`,
      `${at(3)},${berlin(3)},${h},audit,${MISSING},,direct,webex_404`,
      `${at(4)},${berlin(4)},${h},audit,${weekly},,group,ok`,
      `${at(5)},${berlin(5)},${h},digest,,,direct,ok`,
      `${at(6)},${berlin(6)},${h},digest,,,direct,ok`,
      `${at(7)},${berlin(7)},${h},usage,,,direct,missing_scope`,
      `${at(8)},${berlin(8)},admin@example.com,audit,${board},other.host@example.com,direct,ok`,
      `${at(9)},${berlin(9)},${h},watch,${example},,direct,ok`,
      `${at(10)},${berlin(10)},${h},unwatch,${example},,direct,ok`,
    ]);
    // The group request is recorded with its space; nothing of the report is kept.
    const group = (await entries()).find((e) => e.place === 'group');
    expect(group?.roomId).toBe(stack.groupRoomId());
    expect(JSON.stringify(await entries())).not.toContain('Weekly sync');
  });

  it('answers in a group space with a short note and the file privately', async () => {
    const before = (await entries()).length;
    const note = await admin.sayInRoom(stack.groupRoomId(), 'usage 7');
    const [reply] = await admin.waitForBot(note.roomId, { after: note.id, timeoutMs: 15_000 });
    expect(cardText(cardOf(reply))).toContain("I've sent you the CSV in a private message.");
    expect(reply.files ?? []).toEqual([]);
    const direct = await admin.directRoomId();
    const [file] = (await admin.messages(direct)).filter((m) => m.files?.length).slice(-1);
    expect(file.markdown).toContain('last 7 days');
    expect(await fetchCsv(admin, file.files![0])).toHaveLength(1 + before);
    await logged(before + 1);
  });

  it('prunes entries older than USAGE_RETENTION_DAYS (90) each day', async () => {
    const early = (await entries()).length;
    expect(early).toBe(13);
    clock.set(T0 + 60 * DAY);
    await stack.running.scheduler.wake();
    await ask(host, `audit ${SEED_RECORDING_IDS.example}`);
    await logged(early + 1);
    expect(await entries()).toHaveLength(early + 1);

    // Ninety days and an hour after the first requests, the daily job has removed them.
    clock.set(T0 + 90 * DAY + 3 * 3_600_000);
    await stack.running.scheduler.wake();
    const kept = await entries();
    expect(kept.map((e) => [e.personEmail, e.command, e.at])).toEqual([
      ['host@example.com', 'audit', T0 + 60 * DAY],
    ]);

    // Asking for more than the log keeps says so, and lists what is left.
    const [answer] = await ask(admin, 'usage 365');
    expect(answer.markdown).toContain('You asked for 365 days; the log keeps 90 days.');
    expect(await fetchCsv(admin, answer.files![0])).toHaveLength(2);
  });
});
