/**
 * `audit` end to end in the sandbox: linking through the consent page, the report card in the
 * requester's zone, group-space privacy, and Webex failures along the way.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { expectValidCard } from '../helpers/cards';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import { startStack, type SandboxUser, type TestStack } from '../helpers/stack';

let stack: TestStack;
let host: SandboxUser;

beforeAll(async () => {
  stack = await startStack();
  host = stack.user('host@example.com');
});

afterAll(async () => {
  await stack?.close();
});

/** Sends `text` to the bot 1:1 and returns the bot's answers (waiting for `count`). */
async function ask(user: SandboxUser, text: string, count = 1) {
  const sent = await user.dmBot(text);
  const replies = await user.waitForBot(sent.roomId, { after: sent.id, count, timeoutMs: 15_000 });
  return { sent, replies };
}

describe('a person who never linked', () => {
  it('goes from "audit" to the report with one consent, without typing again', async () => {
    const { sent, replies } = await ask(host, `audit ${SEED_RECORDING_IDS.example}`);
    const connectCard = cardOf(replies[0]);
    expectValidCard(connectCard);
    expect(cardText(connectCard)).toMatch(/Connect your Webex account/);

    const result = await consent(connectUrlOf(connectCard), host.id);
    expect(result.status).toBe(200);
    expect(result.html).toContain('Connected');

    const [connected, report] = await host.waitForBot(sent.roomId, {
      after: replies[0].id,
      count: 2,
      timeoutMs: 15_000,
    });
    expect(connected.markdown).toContain('linked');
    const card = cardOf(report);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('Example Topic');
    expect(text).toContain('People: 3');
    // The spec's example: John viewed, Brenda downloaded, Joe did both.
    expect(text).toMatch(/John Andersen[\s\S]*john\.andersen@example\.com/);
    expect(text).toContain('Brenda Song');
    expect(text).toContain('Joe Doe');
    // 2020-08-18T19:08:33Z in Los Angeles, the host's Webex profile zone.
    expect(text).toContain('Aug 18, 2020, 12:08 PM PDT');
    expect(text).toContain('Jul 13, 2020, 10:05 AM PDT');
    expect(text).toMatch(/America\/Los_Angeles \(from your Webex profile\)/);
    expect(report.markdown).toContain('Example Topic');
  });

  it('shows what each person did, counted and labelled, most recent first', async () => {
    const { replies } = await ask(host, `audit ${SEED_RECORDING_IDS.example}`);
    const lines = cardText(cardOf(replies[0])).split('\n');
    const order = ['Joe Doe', 'Brenda Song', 'John Andersen'].map((name) =>
      lines.findIndex((l) => l.includes(name)),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The line after the name counts what they did.
    const counts = (name: string) => lines[lines.findIndex((l) => l.includes(name)) + 1];
    expect(counts('Joe Doe')).toBe('1 view, 1 download');
    expect(counts('John Andersen')).toBe('1 view');
    expect(counts('Brenda Song')).toBe('1 download');
  });
});

describe('a linked host', () => {
  it('gets correct totals across all pages of the 2,500-record recording', async () => {
    const records = stack.running.sandbox.state.recordings.get(
      SEED_RECORDING_IDS.allHands,
    )!.accessRecords;
    const people = new Set(records.map((r) => r.email.toLowerCase())).size;
    const views = records.filter((r) => r.viewed).length;
    const downloads = records.filter((r) => r.downloaded).length;
    const { replies } = await ask(host, `audit ${SEED_RECORDING_IDS.allHands}`);
    const card = cardOf(replies[0]);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain(`People: ${people}`);
    expect(text).toContain(`Accesses: ${(2500).toLocaleString('en-US')}`);
    expect(text).toContain(`(${views.toLocaleString('en-US')} views)`);
    expect(text).toContain(`(${downloads.toLocaleString('en-US')} downloads)`);
    expect(text).toMatch(/and \d+ more/);
  });

  it('shows times in the zone given with tz', async () => {
    const { replies } = await ask(host, `audit ${SEED_RECORDING_IDS.example} tz Asia/Kolkata`);
    const text = cardText(cardOf(replies[0]));
    // 2020-07-13T17:05:35Z is 22:35 in India.
    expect(text).toMatch(/Jul 13, 2020, 10:35 PM GMT\+5:30|Jul 13, 2020, 10:35 PM IST/);
    expect(text).toContain('Asia/Kolkata (from your command)');
  });

  it('accepts a pasted Webex recording link', async () => {
    const link = `https://sandbox-example.webex.com/recordingservice/sites/sandbox-example/recording/playback/${SEED_RECORDING_IDS.example}`;
    const { replies } = await ask(host, `audit ${link}`);
    expect(cardText(cardOf(replies[0]))).toContain('Joe Doe');
  });

  it('in a group space gets the card privately and the space only a note', async () => {
    const roomId = stack.groupRoomId();
    const sent = await host.sayInRoom(roomId, `audit ${SEED_RECORDING_IDS.example}`);
    const [note] = await host.waitForBot(roomId, { after: sent.id, timeoutMs: 15_000 });
    expect(note.parentId).toBe(sent.id);
    expect(note.attachments ?? []).toEqual([]);
    expect(note.markdown).toMatch(/private/);
    expect(note.markdown).not.toMatch(/Joe|Brenda|John|Example Topic/);
    const direct = await host.directRoomId();
    const all = await host.messages(direct);
    const card = cardOf(all[all.length - 1]);
    expect(cardText(card)).toContain('Joe Doe');
    // Nobody else in the space received the report.
    const colleague = stack.user('colleague@example.com');
    const seenByColleague = await colleague.messages(roomId);
    expect(seenByColleague.some((m) => cardText(cardOf(m)).includes('Joe Doe'))).toBe(false);
  });

  it('is told plainly when a recording does not exist or is not theirs', async () => {
    const missing = await ask(host, 'audit 0123456789abcdef0123456789abcdef');
    expect(cardText(cardOf(missing.replies[0]))).toMatch(/Recording not found/);
    expect(cardText(cardOf(missing.replies[0]))).toMatch(/Webex tracking ID: \S+/);
    const notShared = await ask(host, `audit ${SEED_RECORDING_IDS.confidential}`);
    expect(cardText(cardOf(notShared.replies[0]))).toMatch(/Not allowed/);
  });

  it('is told exactly that "host" needs the admin scope', async () => {
    const { replies } = await ask(
      host,
      `audit ${SEED_RECORDING_IDS.board} host other.host@example.com`,
    );
    expect(cardText(cardOf(replies[0]))).toMatch(/admin scope/);
    expect(cardText(cardOf(replies[0]))).toContain('connect admin');
  });

  it('still gets a correct report through 429s with Retry-After and 503s', async () => {
    const route = 'GET /v1/recordingReport/accessDetail';
    stack.running.sandbox.faults.set([
      { route, failNext: 1, failNextStatus: 429, retryAfterSeconds: 1 },
    ]);
    stack.running.sandbox.faults.add({ route, failNext: 2, failNextStatus: 503 });
    const sent = await host.dmBot(`audit ${SEED_RECORDING_IDS.weekly}`);
    // Waiting out Retry-After takes over 1.5 s: a progress message comes before the card.
    const report = await host.waitForBotCard(sent.roomId, { after: sent.id });
    stack.running.sandbox.faults.clear();
    const text = cardText(cardOf(report));
    const records = stack.running.sandbox.state.recordings.get(
      SEED_RECORDING_IDS.weekly,
    )!.accessRecords;
    expect(text).toContain(`Accesses: ${records.length}`);
    expect(stack.running.sandbox.faults.counts().faulted).toBeGreaterThanOrEqual(1);
  });

  it('has an expired access token refreshed without noticing', async () => {
    const state = stack.running.sandbox.state;
    const oauthTokens = [...state.tokens.values()].filter(
      (t) => t.kind === 'oauth' && t.personId === host.id,
    );
    expect(oauthTokens.length).toBeGreaterThan(0);
    for (const token of oauthTokens) token.expiresAt = Date.now() - 1;
    const { replies } = await ask(host, `audit ${SEED_RECORDING_IDS.example}`);
    expect(cardText(cardOf(replies[0]))).toContain('Joe Doe');
    const fresh = [...state.tokens.values()].filter(
      (t) => t.kind === 'oauth' && t.personId === host.id && (t.expiresAt ?? 0) > Date.now(),
    );
    expect(fresh.length).toBeGreaterThan(0);
  });
});

describe('admins', () => {
  it('audit another host\'s recording with "host <email>" after "connect admin"', async () => {
    const admin = stack.user('admin@example.com');
    const { replies } = await ask(admin, 'connect admin');
    const card = cardOf(replies[0]);
    expect(cardText(card)).toMatch(/admin/);
    const result = await consent(connectUrlOf(card), admin.id);
    expect(result.html).toContain('Connected');
    await admin.waitForBot(replies[0].roomId, { after: replies[0].id, timeoutMs: 15_000 });

    const audit = await ask(admin, `audit ${SEED_RECORDING_IDS.board} host other.host@example.com`);
    const text = cardText(cardOf(audit.replies[0]));
    expect(text).toContain('Board prep');
    expect(text).toContain('Europe/Berlin (from your Webex profile)');
  });
});

describe('linking safety', () => {
  it('refuses a consent link used by another person, and stores nothing', async () => {
    const colleague = stack.user('colleague@example.com');
    const { replies } = await ask(colleague, 'connect');
    const url = connectUrlOf(cardOf(replies[0]));
    const other = stack.user('other.host@example.com');
    const result = await consent(url, other.id);
    expect(result.status).toBe(400);
    expect(result.html).toContain('made for someone else');
    // Still not linked: an audit asks to connect again.
    const again = await ask(colleague, `audit ${SEED_RECORDING_IDS.example}`);
    expect(cardText(cardOf(again.replies[0]))).toMatch(/Connect your Webex account/);
  });

  it('refuses a state that was already used', async () => {
    const colleague = stack.user('colleague@example.com');
    const { replies } = await ask(colleague, 'connect');
    const first = await consent(connectUrlOf(cardOf(replies[0])), colleague.id);
    expect(first.status).toBe(200);
    const replay = await fetch(first.callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already been used');
  });

  it('disconnect deletes the link: the next audit asks to connect', async () => {
    const colleague = stack.user('colleague@example.com');
    const { replies } = await ask(colleague, 'disconnect');
    expect(cardText(cardOf(replies[0]))).toContain('Disconnected');
    const again = await ask(colleague, `audit ${SEED_RECORDING_IDS.example}`);
    expect(cardText(cardOf(again.replies[0]))).toMatch(/Connect your Webex account/);
    expect(await stack.running.store.getAccount(colleague.id)).toBeNull();
  });
});
