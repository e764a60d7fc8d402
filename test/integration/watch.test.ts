/**
 * `watch` end to end against the sandbox, with the scheduler's clock injected: accesses are
 * added through the sandbox's control API, the clock is moved past a poll and the scheduler
 * woken; once its round is done (and no webhook delivery is in flight) whatever the bot was
 * going to post is there, so "nothing more" is read off the spaces, never waited for.
 */
import { DateTime } from 'luxon';
import { digestJobKey } from '../../src/bot/digest';
import { watchIdOf, watchJobKey } from '../../src/bot/watches';
import { watchActionData } from '../../src/report/card-actions';
import { ManualClock } from '../../src/scheduler/clock';
import { SEED_RECORDING_IDS, SEED_RECORDING_TOPICS } from '../../src/sandbox/seed-recordings';
import { expectValidCard } from '../helpers/cards';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import {
  clickButton,
  startStack,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';
import { until } from '../helpers/until';
import { addAccesses as addSandboxAccesses } from '../helpers/sandbox-access';
import type { AccessInput as NewAccess } from '../../src/sandbox/access-input';

jest.setTimeout(60_000);

const INTERVAL_S = 60;
const DAY_MS = 86_400_000;
const clock = new ManualClock(Date.now());
let stack: TestStack;
let host: SandboxUser; // America/Los_Angeles (Webex profile)
let otherHost: SandboxUser; // America/New_York
let colleague: SandboxUser; // no zone: the default, UTC
const rooms = new Map<string, string>();

const room = (user: SandboxUser) => rooms.get(user.email) as string;

/** Links `user`'s account through the consent page and waits for the bot's confirmation. */
async function link(user: SandboxUser): Promise<void> {
  const sent = await user.dmBot('connect');
  const [card] = await user.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 15_000 });
  await consent(connectUrlOf(cardOf(card)), user.id);
  await user.waitForBot(sent.roomId, { after: card.id, timeoutMs: 15_000 });
  rooms.set(user.email, sent.roomId);
}

/** Sends `text` 1:1 and returns the bot's answer. */
async function ask(user: SandboxUser, text: string): Promise<SandboxMessage> {
  const sent = await user.dmBot(text);
  const [reply] = await user.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 15_000 });
  return reply;
}

/** The ID of the newest message in the person's 1:1 space with the bot. */
async function mark(user: SandboxUser): Promise<string> {
  const all = await user.messages(room(user));
  return all[all.length - 1].id;
}

/** The bot's messages in the person's 1:1 space after `marker`. */
async function botSince(user: SandboxUser, marker: string): Promise<SandboxMessage[]> {
  const all = await user.messages(room(user));
  return all
    .slice(all.findIndex((m) => m.id === marker) + 1)
    .filter((m) => m.personId === stack.file.bot.id);
}

/** Moves the clock by `ms` and lets every due job run: after this, what was coming is posted. */
async function elapse(ms: number): Promise<void> {
  clock.advance(ms);
  await stack.running.scheduler.wake();
  await stack.running.sandbox.webhooks.idle();
}

/** Past one poll of every watch (interval plus its most jitter). */
const nextPoll = () => elapse(INTERVAL_S * 1.2 * 1000);

async function addAccesses(recordingId: string, accesses: NewAccess[]): Promise<void> {
  await addSandboxAccesses(stack.running.sandbox.baseUrl, recordingId, accesses);
}

/** One new access of `recordingId`. */
function addAccess(
  recordingId: string,
  name: string,
  email: string,
  action: NewAccess['action'],
  accessTime: string,
): Promise<void> {
  return addAccesses(recordingId, [{ name, email, action, accessTime }]);
}

/** An access time the sandbox takes: `minutesAgo` before the clock, to the second. */
function minutesAgo(minutes: number): string {
  return new Date(Math.floor((clock.now() - minutes * 60_000) / 1000) * 1000).toISOString();
}

/** How luxon writes a time in a zone, to compare with the card's medium format. */
function wallClock(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('LLL d, yyyy, h:mm a');
}

async function jobOf(user: SandboxUser, recordingId: string) {
  return stack.running.store.getJob(watchJobKey(watchIdOf(user.id, recordingId)));
}

beforeAll(async () => {
  stack = await startStack({ WATCH_INTERVAL_SECONDS: String(INTERVAL_S) }, { clock });
  host = stack.user('host@example.com');
  otherHost = stack.user('other.host@example.com');
  colleague = stack.user('colleague@example.com');
  for (const user of [host, otherHost, colleague]) await link(user);
});

afterEach(async () => {
  stack.running.sandbox.faults.clear();
  // Each test starts without watches (as `unwatch all` would leave it).
  const { store, scheduler } = stack.running;
  for (const user of [host, otherHost, colleague]) {
    for (const watch of await store.listWatches(user.id)) {
      await store.deleteWatch(watch.id);
      await scheduler.cancel(watchJobKey(watch.id));
    }
  }
});

afterAll(async () => {
  await stack?.close();
});

describe('a watch', () => {
  const recording = SEED_RECORDING_IDS.example;

  it('tells the watcher, once and privately, about a new download: who, what, when in their zone', async () => {
    const reply = await ask(host, `watch ${recording}`);
    const started = cardText(cardOf(reply));
    expect(started).toContain(`Watching ${SEED_RECORDING_TOPICS.example}`);
    // 30 days from now, in the watcher's zone (Los Angeles, from the Webex profile).
    const end = DateTime.fromMillis(clock.now() + 30 * DAY_MS, { zone: 'America/Los_Angeles' });
    expect(started).toContain(`until ${end.toFormat('LLL d, yyyy')}`);
    expect(started).toMatch(/P[SD]T/);
    expect(started).toContain(`unwatch ${recording}`);
    const job = await jobOf(host, recording);
    expect(job).toMatchObject({ kind: 'watch.poll' });
    // The first poll is one interval away, give or take its jitter.
    expect(job!.nextRunAt - clock.now()).toBeGreaterThanOrEqual(INTERVAL_S * 900);
    expect(job!.nextRunAt - clock.now()).toBeLessThanOrEqual(INTERVAL_S * 1100);

    // The accesses that were there are the past: no alerts for them.
    let marker = await mark(host);
    await nextPoll();
    expect(await botSince(host, marker)).toEqual([]);

    await addAccess(
      recording,
      'Eve Outside',
      'eve@outside.example',
      'download',
      '2024-03-05T17:30:00Z',
    );
    const others = await Promise.all(
      [otherHost, colleague].map(async (u) => [u, await mark(u)] as const),
    );
    await nextPoll();
    const alerts = await botSince(host, marker);
    expect(alerts).toHaveLength(1);
    const card = cardOf(alerts[0]);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain(`New download: ${SEED_RECORDING_TOPICS.example}`);
    expect(text).toContain('Who: Eve Outside (eve@outside.example)');
    expect(text).toContain('What: Downloaded');
    expect(text).toContain('When: Mar 5, 2024, 9:30 AM PST');
    expect(text).toContain('Organisation: External: outside your organisation');
    expect(alerts[0].markdown).toContain('Eve Outside');
    // Only the watcher hears about it.
    for (const [user, since] of others) expect(await botSince(user, since)).toEqual([]);

    // Seen is seen: the next polls say nothing more.
    marker = await mark(host);
    await nextPoll();
    await nextPoll();
    expect(await botSince(host, marker)).toEqual([]);

    // Its Audit button runs the watcher's own audit.
    await clickButton(host, alerts[0], 'Audit');
    const report = await host.waitForBotCard(room(host), { after: marker });
    expect(cardText(cardOf(report))).toContain('Eve Outside');
  });

  it('marks someone of the organisation (the watcher’s own domain and its subdomains) as inside', async () => {
    await ask(host, `watch ${recording}`);
    const marker = await mark(host);
    await addAccess(
      recording,
      'Brenda EU',
      'brenda@eu.example.com',
      'view',
      '2024-03-06T08:00:00Z',
    );
    await nextPoll();
    const [alert] = await botSince(host, marker);
    const text = cardText(cardOf(alert));
    expect(text).toContain('What: Viewed');
    expect(text).toContain('Organisation: Inside your organisation');
  });

  it('of downloads ignores views; each watcher of a recording hears only about theirs', async () => {
    const shared = SEED_RECORDING_IDS.shared;
    await ask(otherHost, `watch ${shared} downloads`);
    await ask(host, `watch ${shared}`);
    const [hostMark, otherMark, colleagueMark] = await Promise.all(
      [host, otherHost, colleague].map(mark),
    );
    const viewedAt = minutesAgo(30);
    await addAccess(shared, 'Vic Viewer', 'viewer@example.com', 'view', viewedAt);
    await nextPoll();
    expect(await botSince(otherHost, otherMark)).toEqual([]);
    const [hostAlert] = await botSince(host, hostMark);
    expect(cardText(cardOf(hostAlert))).toContain('New view: Shared design review');

    const downloadedAt = minutesAgo(20);
    await addAccess(shared, 'Dan Downloader', 'dan@example.com', 'download', downloadedAt);
    await nextPoll();
    const toOther = await botSince(otherHost, otherMark);
    expect(toOther).toHaveLength(1);
    const otherText = cardText(cardOf(toOther[0]));
    expect(otherText).toContain('Who: Dan Downloader (dan@example.com)');
    // In the other host's zone (New York), not the first watcher's.
    expect(otherText).toContain(`When: ${wallClock(downloadedAt, 'America/New_York')} E`);
    expect(await botSince(host, hostMark)).toHaveLength(2);
    expect(await botSince(colleague, colleagueMark)).toEqual([]);
  });

  it('sends eight new accesses at once as one summary', async () => {
    await ask(host, `watch ${recording}`);
    const marker = await mark(host);
    await addAccesses(
      recording,
      Array.from({ length: 8 }, (_, i) => ({
        email: i < 2 ? `guest${i}@outside.example` : `staff${i}@example.com`,
        name: `Person ${i + 1}`,
        action: i < 3 ? ('download' as const) : ('view' as const),
        accessTime: `2024-04-0${i + 1}T12:00:00Z`,
      })),
    );
    await nextPoll();
    const messages = await botSince(host, marker);
    expect(messages).toHaveLength(1);
    const card = cardOf(messages[0]);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain(`8 new accesses: ${SEED_RECORDING_TOPICS.example}`);
    expect(text).toContain('5 views and 3 downloads; 2 by people outside your organisation.');
    expect(text).toContain(
      'Person 1 (guest0@outside.example): Downloaded · Apr 1, 2024, 5:00 AM PDT · external',
    );
    expect(text).toContain('and 5 more');
    expect(text).not.toContain('Person 4');
    await clickButton(host, messages[0], 'Audit');
    expect(
      cardText(cardOf(await host.waitForBotCard(room(host), { after: messages[0].id }))),
    ).toContain('Person 8');
  });

  it('stops with unwatch: no further alerts, its job is gone', async () => {
    await ask(host, `watch ${recording}`);
    const stopped = await ask(host, `unwatch ${recording}`);
    expect(cardText(cardOf(stopped))).toContain(
      `Stopped watching ${SEED_RECORDING_TOPICS.example}`,
    );
    expect(await jobOf(host, recording)).toBeNull();
    const marker = await mark(host);
    await addAccess(
      recording,
      'Late Larry',
      'late@example.com',
      'download',
      '2024-05-01T10:00:00Z',
    );
    await nextPoll();
    await nextPoll();
    expect(await botSince(host, marker)).toEqual([]);

    const unknown = await ask(host, `unwatch ${recording}`);
    expect(cardText(cardOf(unknown))).toContain('Not watching that recording');
    expect(cardText(cardOf(await ask(host, 'unwatch all')))).toContain('Nothing to stop');
  });

  it('lists watches with their end in the person’s zone, and stops them all', async () => {
    expect(cardText(cardOf(await ask(otherHost, 'watches')))).toContain(
      'You are not watching any recording',
    );
    await ask(otherHost, `watch ${SEED_RECORDING_IDS.board} external for 7`);
    await ask(otherHost, `watch ${SEED_RECORDING_IDS.shared} downloads`);
    const list = cardText(cardOf(await ask(otherHost, 'watches')));
    const end = DateTime.fromMillis(clock.now() + 7 * DAY_MS, { zone: 'America/New_York' });
    expect(list).toContain(
      `**Board prep** (${SEED_RECORDING_IDS.board}): people outside your organisation, until ${end.toFormat('LLL d, yyyy')}`,
    );
    expect(list).toContain('Shared design review');
    expect(cardText(cardOf(await ask(otherHost, 'unwatch all')))).toContain('Stopped 2 watches');
    expect(await stack.running.store.listWatches(otherHost.id)).toEqual([]);
    expect(await jobOf(otherHost, SEED_RECORDING_IDS.board)).toBeNull();
  });

  it('ends after its days with one message saying so', async () => {
    await ask(host, `watch ${recording} for 2`);
    const marker = await mark(host);
    await elapse(2 * DAY_MS);
    const ended = await botSince(host, marker);
    expect(ended).toHaveLength(1);
    expect(cardText(cardOf(ended[0]))).toContain(
      `Your watch of ${SEED_RECORDING_TOPICS.example} has ended`,
    );
    expect(cardText(cardOf(ended[0]))).toContain('It ran for 2 days');
    expect(await jobOf(host, recording)).toBeNull();
    expect(await stack.running.store.listWatches(host.id)).toEqual([]);
    await elapse(DAY_MS);
    expect(await botSince(host, marker)).toHaveLength(1);
  });

  it('comes back when Retry-After says after a 429', async () => {
    await ask(host, `watch ${recording}`);
    await addAccess(
      recording,
      'Rita Ratelimit',
      'rita@example.com',
      'view',
      '2024-05-02T10:00:00Z',
    );
    stack.running.sandbox.faults.set([
      { route: 'GET /v1/recordingReport/accessDetail', failNext: 1, retryAfterSeconds: 600 },
    ]);
    const marker = await mark(host);
    await nextPoll();
    expect((await jobOf(host, recording))?.nextRunAt).toBe(clock.now() + 600_000);
    await nextPoll();
    expect(await botSince(host, marker)).toEqual([]);
    await elapse(600_000);
    const alerts = await botSince(host, marker);
    expect(alerts).toHaveLength(1);
    expect(cardText(cardOf(alerts[0]))).toContain('Rita Ratelimit');
  });

  it('loses no alert when Webex refuses the post, and sends it once', async () => {
    await ask(host, `watch ${recording}`);
    await addAccess(
      recording,
      'Pat Postfail',
      'pat@example.com',
      'download',
      '2024-05-03T10:00:00Z',
    );
    stack.running.sandbox.faults.set([
      { route: 'POST /v1/messages', failNext: 1, failNextStatus: 500 },
    ]);
    const marker = await mark(host);
    await nextPoll();
    expect(await botSince(host, marker)).toEqual([]);
    expect((await jobOf(host, recording))?.lastError).toBeDefined();
    // The failed run is tried again after its backoff (30 s): then the alert goes out, once.
    await elapse(31_000);
    await nextPoll();
    const alerts = await botSince(host, marker);
    expect(alerts.map((m) => cardText(cardOf(m)).includes('Pat Postfail'))).toEqual([true]);
  });

  it('repeats an alert rather than lose it when it cannot be marked sent after its post', async () => {
    // The one case the design accepts a repeat in (see the top of src/bot/watches.ts): the
    // post went out, then the store failed to record it, as a crash there would leave it.
    await ask(host, `watch ${recording}`);
    await addAccess(recording, 'Sam Stored', 'sam@example.com', 'download', '2024-05-04T10:00:00Z');
    const { store } = stack.running;
    const settle = store.settleWatchAccesses.bind(store);
    let failed = false;
    const spy = jest.spyOn(store, 'settleWatchAccesses').mockImplementation(async (id, keys) => {
      if (keys.length > 0 && !failed) {
        failed = true;
        throw new Error('the store went away');
      }
      return settle(id, keys);
    });
    try {
      const marker = await mark(host);
      await nextPoll();
      expect(failed).toBe(true);
      await elapse(31_000);
      await nextPoll();
      await nextPoll();
      const alerts = await botSince(host, marker);
      expect(alerts.map((m) => /Sam Stored/.test(cardText(cardOf(m))))).toEqual([true, true]);
    } finally {
      spy.mockRestore();
    }
  });

  it("starts from a report card's Watch button, only for the card's own person", async () => {
    const report = await host.waitForBotCard(room(host), {
      after: (await host.dmBot(`audit ${recording}`)).id,
    });
    const press = (requesterId: string) =>
      host.api.post('/attachment/actions', {
        type: 'submit',
        messageId: report.id,
        inputs: watchActionData({ recordingId: recording, requesterId }),
      });
    let marker = await mark(host);
    expect((await press(colleague.id)).status).toBeLessThan(300);
    const [refused] = await host.waitForBot(room(host), { after: marker, timeoutMs: 15_000 });
    expect(cardText(cardOf(refused))).toContain('That card is not yours');
    expect(await stack.running.store.listWatches(host.id)).toEqual([]);
    expect(await stack.running.store.listWatches(colleague.id)).toEqual([]);

    marker = await mark(host);
    expect((await press(host.id)).status).toBeLessThan(300);
    const [started] = await host.waitForBot(room(host), { after: marker, timeoutMs: 15_000 });
    expect(cardText(cardOf(started))).toContain(`Watching ${SEED_RECORDING_TOPICS.example}`);
    expect(await jobOf(host, recording)).not.toBeNull();
  });

  it('in a group space leaves only a short note there; the details come privately', async () => {
    const group = stack.groupRoomId();
    const marker = await mark(host);
    const sent = await host.sayInRoom(group, `watch ${recording}`);
    const [note] = await host.waitForBot(group, { after: sent.id, timeoutMs: 15_000 });
    expect(note.attachments ?? []).toEqual([]);
    expect(note.markdown).toBe("I've sent you the details privately.");
    const [privately] = await host.waitForBot(room(host), { after: marker, timeoutMs: 15_000 });
    expect(cardText(cardOf(privately))).toContain(`Watching ${SEED_RECORDING_TOPICS.example}`);
  });
});

describe('a watch whose account link was revoked', () => {
  it('pauses, tells the person once how to reconnect, and carries on after `connect`', async () => {
    const recording = SEED_RECORDING_IDS.weekly;
    await ask(host, `watch ${recording} downloads`);
    const revoke = await fetch(`${stack.running.sandbox.baseUrl}/_sandbox/tokens/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: host.email }),
    });
    expect(revoke.status).toBe(200);
    const marker = await mark(host);
    await nextPoll();
    const told = await botSince(host, marker);
    expect(told).toHaveLength(1);
    const text = cardText(cardOf(told[0]));
    expect(text).toContain(`Your watch of ${SEED_RECORDING_TOPICS.weekly} is paused`);
    expect(text).toContain('Type **connect** to link it again');
    await nextPoll();
    await nextPoll();
    expect(await botSince(host, marker)).toHaveLength(1);
    expect(cardText(cardOf(await ask(host, 'watches')))).toContain(
      'Paused: your Webex account link no longer works',
    );

    // Meanwhile someone downloads it; after connecting again the next poll reports it.
    const downloadedAt = minutesAgo(5);
    await addAccess(recording, 'Mia Meanwhile', 'mia@example.com', 'download', downloadedAt);
    await link(host);
    const afterLink = await mark(host);
    await nextPoll();
    const alerts = await botSince(host, afterLink);
    expect(alerts).toHaveLength(1);
    expect(cardText(cardOf(alerts[0]))).toContain('Mia Meanwhile');
    expect((await stack.running.store.listWatches(host.id))[0].pausedReason).toBeUndefined();
  });
});

describe('disconnect', () => {
  it("deletes the person's watches and their jobs, and the digest; keeps the usage log", async () => {
    const { store } = stack.running;
    const recording = SEED_RECORDING_IDS.board;
    await ask(otherHost, `watch ${recording}`);
    await ask(otherHost, 'digest weekly');
    expect(await jobOf(otherHost, recording)).not.toBeNull();
    expect(await store.getJob(digestJobKey(otherHost.id))).not.toBeNull();
    const usageOf = async () =>
      (await store.listUsage({ since: 0, limit: 1000 })).filter((e) => e.personId === otherHost.id);
    await until('the watch and the digest in the usage log', async () => {
      const commands = (await usageOf()).map((e) => [e.command, e.recordingId]);
      return (
        commands.some(([c, r]) => c === 'watch' && r === recording) &&
        commands.some(([c]) => c === 'digest')
      );
    });
    const usageBefore = await usageOf();
    const reply = await ask(otherHost, 'disconnect');
    expect(cardText(cardOf(reply))).toContain('I also stopped your watch.');
    expect(await store.listWatches(otherHost.id)).toEqual([]);
    expect(await jobOf(otherHost, recording)).toBeNull();
    expect(await store.getDigest(otherHost.id)).toBeNull();
    expect(await store.getJob(digestJobKey(otherHost.id))).toBeNull();
    // The usage log is the organisation's record: a disconnect leaves it.
    expect(await usageOf()).toEqual(usageBefore);
    const marker = await mark(otherHost);
    await addAccess(recording, 'After Disconnect', 'x@example.com', 'download', minutesAgo(1));
    await nextPoll();
    expect(await botSince(otherHost, marker)).toEqual([]);
  });
});
