/**
 * The weekly digest end to end against the sandbox, with the clock injected: it arrives at
 * 09:00 on Monday on each person's own wall clock (Los Angeles, and Tokyo after a `timezone`
 * change), not a minute before; it lists the week's busiest recordings and the downloads by
 * people outside, each with an Audit button that works; a quiet week sends nothing unless
 * `always`; `disconnect` ends it. "Nothing was sent" is proved after the scheduler's round
 * and with the sandbox's deliveries idle, never by waiting.
 */
import { digestJobKey } from '../../src/bot/digest';
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { ManualClock } from '../../src/scheduler/clock';
import { expectValidCard } from '../helpers/cards';
import { cardOf, cardText } from '../helpers/card-text';
import { ask } from '../helpers/ask';
import { linkAccount } from '../helpers/consent';
import {
  clickButton,
  startStack,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';
import { addAccesses } from '../helpers/sandbox-access';

jest.setTimeout(90_000);

/** A Saturday; the seeded recordings are made in the days before it. */
const T0 = Date.parse('2024-11-09T12:00:00Z');
/** Monday 11 November 2024, 09:00 in Tokyo and in Los Angeles. */
const TOKYO_MONDAY = Date.parse('2024-11-11T00:00:00Z');
const LA_MONDAY = Date.parse('2024-11-11T17:00:00Z');
/** The same Monday, 09:00 in Berlin (the admin's Webex profile zone). */
const BERLIN_MONDAY = Date.parse('2024-11-11T08:00:00Z');
const WEEK = 7 * 86_400_000;
const MINUTE = 60_000;

const clock = new ManualClock(T0);
let stack: TestStack;
/** Hosts "Weekly sync"; Los Angeles from the Webex profile. */
let host: SandboxUser;
/** Hosts "Shared design review" (shared with host); New York, until `timezone Asia/Tokyo`. */
let other: SandboxUser;
/** A Webex admin, connected with `connect admin`; Berlin. */
let admin: SandboxUser;
const rooms = new Map<SandboxUser, string>();
const seen = new Map<SandboxUser, string>();

beforeAll(async () => {
  stack = await startStack({}, { clock });
  host = stack.user('host@example.com');
  other = stack.user('other.host@example.com');
  admin = stack.user('admin@example.com');
  for (const user of [host, other, admin]) {
    await linkAccount(user, { admin: user === admin });
    rooms.set(user, await user.directRoomId());
    await markRead(user);
  }
  // Downloads in the week by people outside example.com (the requesters' own domain).
  const { baseUrl } = stack.running.sandbox;
  await addAccesses(baseUrl, SEED_RECORDING_IDS.weekly, [
    {
      email: 'eve@outside.example',
      name: 'Eve Outsider',
      action: 'download',
      accessTime: '2024-11-08T10:00:00Z',
    },
  ]);
  await addAccesses(baseUrl, SEED_RECORDING_IDS.shared, [
    {
      email: 'ola@partner.example',
      name: 'Ola Partner',
      action: 'download',
      accessTime: '2024-11-06T08:00:00Z',
    },
  ]);
});

afterAll(async () => {
  await stack?.close();
});

/** Moves the clock to `ms`, runs the scheduler's round to its end, and lets deliveries settle. */
async function advanceTo(ms: number): Promise<void> {
  clock.set(ms);
  await stack.running.scheduler.wake();
  await stack.running.sandbox.webhooks.idle();
}

/** The bot's messages to `user` since the last look (the 1:1 space holds everything sent). */
async function newFromBot(user: SandboxUser): Promise<SandboxMessage[]> {
  const all = await user.messages(rooms.get(user) ?? '');
  const after = all.findIndex((m) => m.id === seen.get(user)) + 1;
  const fresh = all.slice(after).filter((m) => m.personId === stack.file.bot.id);
  if (all.length > 0) seen.set(user, all[all.length - 1].id);
  return fresh;
}

/**
 * Nothing reaches anyone a minute before `ms`; at `ms` exactly one message reaches `user`: the
 * digest, checked as a valid card.
 */
async function digestAt(user: SandboxUser, ms: number): Promise<SandboxMessage> {
  await advanceTo(ms - MINUTE);
  for (const someone of [host, other, admin]) expect(await newFromBot(someone)).toEqual([]);
  await advanceTo(ms);
  const [digest, ...more] = await newFromBot(user);
  expect(more).toEqual([]);
  expectValidCard(cardOf(digest));
  return digest;
}

async function markRead(user: SandboxUser): Promise<void> {
  await newFromBot(user);
}

async function say(user: SandboxUser, text: string): Promise<string> {
  const [reply] = await ask(user, text);
  await markRead(user);
  return cardText(cardOf(reply));
}

describe('the weekly digest', () => {
  it('is set up per person and follows a timezone change', async () => {
    expect(await say(host, 'digest weekly')).toMatch(
      /Every Monday at 09:00 \(America\/Los_Angeles\)[\s\S]*The first comes Nov 11, 2024, 9:00 AM PST/,
    );
    expect(await say(other, 'digest weekly')).toContain('(America/New_York)');
    await say(other, 'timezone Asia/Tokyo');
    expect(await say(other, 'digest')).toMatch(
      /On: every Monday at 09:00 \(Asia\/Tokyo\); the next comes Nov 11, 2024, 9:00 AM GMT\+9/,
    );
  });

  it('covers every host for an admin who asks for "all", and refuses it to others', async () => {
    const refusal = await say(host, 'digest weekly all');
    expect(refusal).toContain('A digest of every host on your sites needs the admin scope.');
    expect(refusal).toContain('connect admin');
    expect(await say(admin, 'digest weekly all')).toContain('It covers every host on your sites.');
  });

  it('comes at 09:00 on Monday in Tokyo, and nothing comes before', async () => {
    const text = cardText(cardOf(await digestAt(other, TOKYO_MONDAY)));
    expect(text).toContain('Your week in recordings');
    expect(text).toContain('Nov 4, 2024, 9:00 AM GMT+9 – Nov 11, 2024, 9:00 AM GMT+9');
    expect(text).toContain('Shared design review');
    expect(text).toContain(
      'External download: Ola Partner (ola@partner.example), Nov 6, 2024, 5:00 PM GMT+9',
    );
    // Los Angeles is still on Sunday.
    expect(await newFromBot(host)).toEqual([]);
  });

  it("gives the admin every host's recordings at 09:00 in Berlin", async () => {
    const text = cardText(cardOf(await digestAt(admin, BERLIN_MONDAY)));
    expect(text).toContain("Your sites' week in recordings");
    expect(text).toMatch(/Weekly sync\n.* · host host@example\.com/);
    expect(text).toMatch(/Shared design review\n.* · host other\.host@example\.com/);
    expect(await newFromBot(host)).toEqual([]);
  });

  it('comes at 09:00 on Monday in Los Angeles, with every external download of the week', async () => {
    const digest = await digestAt(host, LA_MONDAY);
    const text = cardText(cardOf(digest));
    expect(text).toContain('Nov 4, 2024, 9:00 AM PST – Nov 11, 2024, 9:00 AM PST');
    expect(text).toContain('Weekly sync');
    expect(text).toContain('Shared design review');
    expect(text).toContain(
      'External download: Eve Outsider (eve@outside.example), Nov 8, 2024, 2:00 AM PST',
    );
    // A seeded viewer of "Weekly sync" is outside example.com too, and downloaded it.
    expect(text).toContain('(mallory@evil.example)');
    expect(text).toContain('External download: Ola Partner (ola@partner.example)');
    expect(digest.markdown).toContain('Your week in recordings');
    expect(await newFromBot(other)).toEqual([]);
  });

  it('has Audit buttons that open the report', async () => {
    const all = await other.messages(rooms.get(other) ?? '');
    const digest = all.filter((m) => cardText(cardOf(m)).includes('Your week in recordings'))[0];
    await clickButton(other, digest, 'Audit');
    const report = await other.waitForBotCard(digest.roomId, { after: seen.get(other) });
    expect(cardText(cardOf(report))).toContain('Shared design review');
    await markRead(other);
  });

  it('sends nothing in a week without views or downloads, unless asked for always', async () => {
    expect(await say(other, 'digest weekly always')).toContain(
      'It comes even in a week with no views or downloads.',
    );
    // Nothing was recorded or opened in the week to 18 November.
    await advanceTo(TOKYO_MONDAY + WEEK);
    const [quiet, ...more] = await newFromBot(other);
    expect(more).toEqual([]);
    expect(cardText(cardOf(quiet))).toContain('No views or downloads this week.');

    await advanceTo(LA_MONDAY + WEEK);
    expect(await newFromBot(host)).toEqual([]);
    // The quiet week is skipped, not dropped: the next Monday is planned.
    const job = await stack.running.store.getJob(digestJobKey(host.id));
    expect(job?.nextRunAt).toBe(LA_MONDAY + 2 * WEEK);
  });

  it('ends with "digest off", and with "disconnect" (which keeps the usage log)', async () => {
    expect(await say(other, 'digest off')).toContain(
      "I won't send you the weekly digest any more.",
    );
    expect(await say(other, 'digest')).toContain('You have no weekly digest.');

    const usageBefore = await stack.running.store.listUsage({ since: 0, limit: 1000 });
    const hostEntries = usageBefore.filter((e) => e.personId === host.id);
    // Both asked at the same (manual) time, so in no particular order.
    expect(hostEntries.map((e) => [e.command, e.hostEmail, e.outcome]).sort()).toEqual([
      ['digest', undefined, 'ok'],
      ['digest', 'all', 'missing_scope'],
    ]);
    await say(host, 'disconnect');
    expect(await stack.running.store.getDigest(host.id)).toBeNull();
    expect(await stack.running.store.getJob(digestJobKey(host.id))).toBeNull();
    const usageAfter = await stack.running.store.listUsage({ since: 0, limit: 1000 });
    expect(usageAfter.filter((e) => e.personId === host.id)).toEqual(hostEntries);

    await advanceTo(LA_MONDAY + 2 * WEEK);
    expect(await newFromBot(host)).toEqual([]);
    expect(await newFromBot(other)).toEqual([]);
  });
});
