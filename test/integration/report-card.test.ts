/**
 * One message per report, end to end: a button that changes the view replaces the card (also
 * privately, for a report asked for in a group space under GROUP_REPLY=dm), the filter buttons
 * apply at once, Export CSV exports what the card shows, a card that cannot be deleted leaves
 * the new one standing with nothing posted twice, and error replies name the command and the
 * recording.
 */
import { SEED_RECORDING_IDS, SEED_RECORDING_TOPICS } from '../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../helpers/card-text';
import { expectValidCard } from '../helpers/cards';
import { linkAccount } from '../helpers/consent';
import {
  metricSum,
  pressAndWaitForReplacement,
  reportCards,
  settled,
} from '../helpers/report-cards';
import {
  cardActions,
  clickButton,
  startStack,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';
import { until } from '../helpers/until';

const ACCESS_DETAIL = 'GET /v1/recordingReport/accessDetail';

let stack: TestStack;
let host: SandboxUser;
let directRoom: string;

beforeAll(async () => {
  stack = await startStack();
  host = stack.user('host@example.com');
  directRoom = await linkAccount(host);
});

afterEach(() => stack.running.sandbox.faults.clear());
afterAll(async () => {
  await stack?.close();
});

function records(id: string) {
  return stack.running.sandbox.state.recordings.get(id)!.accessRecords;
}

function emailsOnCard(card: unknown): string[] {
  return cardText(card).match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? [];
}

/** Sends `audit <id>` in the direct space and waits for the report card. */
async function audit(recordingId: string): Promise<SandboxMessage> {
  const sent = await host.dmBot(`audit ${recordingId}`);
  return host.waitForBotCard(directRoom, { after: sent.id });
}

/** The report cards in the direct space from `from` on (itself included): one report's. */
async function reportCardsFrom(from: SandboxMessage): Promise<SandboxMessage[]> {
  return (await reportCards(host, directRoom)).filter((m) => m.created >= from.created);
}

/** The first report card in the direct space posted after `after`, once it is there. */
async function newReportCard(after: SandboxMessage): Promise<SandboxMessage> {
  let found: SandboxMessage | undefined;
  await until('a new report card', async () => {
    found = (await reportCards(host, directRoom)).find(
      (m) => m.id !== after.id && m.created >= after.created,
    );
    return found !== undefined;
  });
  return found!;
}

/** The bot's messages in a room from `after` on (itself included), oldest first. */
async function botMessagesAfter(roomId: string, after: SandboxMessage): Promise<SandboxMessage[]> {
  const all = await host.messages(roomId);
  return all.filter((m) => m.personId === stack.file.bot.id && m.created >= after.created);
}

describe('filter buttons', () => {
  it('show only the people who downloaded it at once, from page 1, in place of the card', async () => {
    const downloaders = new Set(
      records(SEED_RECORDING_IDS.allHands)
        .filter((r) => r.downloaded)
        .map((r) => r.email.toLowerCase()),
    );
    const report = await audit(SEED_RECORDING_IDS.allHands);
    const page2 = await pressAndWaitForReplacement(host, directRoom, report, 'Next ▶');
    const filtered = await pressAndWaitForReplacement(host, directRoom, page2, 'Downloaded');

    const card = cardOf(filtered);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain(`Filter: ${downloaders.size} people who downloaded it`);
    expect(text).toMatch(/Page 1 of \d+ · [\d,]+ people/);
    const shown = emailsOnCard(card);
    expect(shown.length).toBeGreaterThan(0);
    for (const email of shown) expect(downloaders.has(email)).toBe(true);
    // The chosen filter is the marked one.
    const styles = Object.fromEntries(
      cardActions(card)
        .filter((a) => ['All', 'Viewed', 'Downloaded'].includes(a.title ?? ''))
        .map((a) => [a.title, (a as { style?: string }).style]),
    );
    expect(styles).toEqual({ All: 'default', Viewed: 'default', Downloaded: 'positive' });

    await settled(stack);
    expect((await reportCardsFrom(report)).map((m) => m.id)).toEqual([filtered.id]);
  });

  it('Export CSV then exports exactly the downloaders’ access rows, as its label says', async () => {
    const all = records(SEED_RECORDING_IDS.allHands);
    const downloaders = new Set(all.filter((r) => r.downloaded).map((r) => r.email.toLowerCase()));
    const theirRows = all.filter((r) => downloaders.has(r.email.toLowerCase()));
    expect(theirRows.length).toBeLessThan(all.length); // the filter leaves rows out

    const report = await audit(SEED_RECORDING_IDS.allHands);
    const filtered = await pressAndWaitForReplacement(host, directRoom, report, 'Downloaded');
    const label = `Export CSV (${theirRows.length.toLocaleString('en-US')} rows)`;
    expect(cardActions(cardOf(filtered)).map((a) => a.title)).toContain(label);

    await clickButton(host, filtered, 'Export CSV');
    const [file] = (
      await host.waitForBot(directRoom, { after: filtered.id, timeoutMs: 15_000 })
    ).filter((m) => m.files?.length);
    expect(file.markdown).toContain(`${theirRows.length.toLocaleString('en-US')} access rows`);
    expect(file.markdown).toContain('Only people who downloaded it, with all their accesses.');
    const csv = (await host.api.get<string>(file.files![0], { responseType: 'text' })).data;
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n')
      .slice(1);
    expect(lines).toHaveLength(theirRows.length);
    const emails = new Set(lines.map((line) => line.split(',')[1].toLowerCase()));
    expect(emails).toEqual(downloaders);

    // The export is sent beside the card: the card stays.
    await settled(stack);
    expect((await reportCardsFrom(report)).map((m) => m.id)).toEqual([filtered.id]);
  });
});

describe('a card that cannot be deleted', () => {
  it.each([404, 403])(
    'with Webex answering %d, the new card stands and nothing is posted twice',
    async (status) => {
      const report = await audit(SEED_RECORDING_IDS.allHands);
      await settled(stack);
      const retriesBefore = await metricSum(stack, 'audit_bot_inbox_retries_total');
      stack.running.sandbox.faults.set({
        route: 'DELETE /v1/messages',
        failNext: 1,
        failNextStatus: status,
      });

      await clickButton(host, report, 'Next ▶');
      expect(cardText(cardOf(await newReportCard(report)))).toContain('Page 2 of');
      await settled(stack);

      // The delete was tried (and refused); the old card and one new one, and nothing else.
      expect(stack.running.sandbox.faults.config().rules[0].failNext).toBe(0);
      const after = await botMessagesAfter(directRoom, report);
      expect(after.map((m) => m.id)[0]).toBe(report.id);
      expect(after).toHaveLength(2);
      expect(cardText(cardOf(after[1]))).toContain('Page 2 of');
      expect(await metricSum(stack, 'audit_bot_inbox_retries_total')).toBe(retriesBefore);

      // The new card works as usual, and replaces itself.
      const page3 = await pressAndWaitForReplacement(host, directRoom, after[1], 'Next ▶');
      expect(cardText(cardOf(page3))).toContain('Page 3 of');
    },
  );
});

describe('a report asked for in a group space (GROUP_REPLY=dm)', () => {
  it('is paged privately in one card, and the space only gets the note', async () => {
    const roomId = stack.groupRoomId();
    const asked = await host.sayInRoom(roomId, `audit ${SEED_RECORDING_IDS.allHands}`);
    await host.waitForBot(roomId, { after: asked.id, timeoutMs: 15_000 });
    const report = await newReportCard(asked);

    const page2 = await pressAndWaitForReplacement(host, directRoom, report, 'Next ▶');
    const page1 = await pressAndWaitForReplacement(host, directRoom, page2, '◀ Previous');
    await settled(stack);
    expect((await reportCardsFrom(report)).map((m) => m.id)).toEqual([page1.id]);
    const inSpace = await botMessagesAfter(roomId, asked);
    expect(inSpace.map((m) => m.markdown)).toEqual([expect.stringMatching(/private message/)]);
  });
});

describe('error replies', () => {
  it('name the command and the topic for a card whose refresh fails', async () => {
    const report = await audit(SEED_RECORDING_IDS.example);
    stack.running.sandbox.faults.set({ route: ACCESS_DETAIL, failNext: 1, failNextStatus: 404 });
    await clickButton(host, report, 'Refresh');
    const [reply] = await host.waitForBot(directRoom, { after: report.id, timeoutMs: 15_000 });
    const text = cardText(cardOf(reply));
    expect(text).toContain('Recording not found');
    expect(text).toContain('Command: audit');
    expect(text).toContain(`Recording: ${SEED_RECORDING_TOPICS.example}`);
    expect(reply.markdown).toContain(`Recording: ${SEED_RECORDING_TOPICS.example}`);
    // The report could not be made: the card it would have replaced stays.
    await settled(stack);
    expect((await reportCards(host, directRoom)).map((m) => m.id)).toContain(report.id);
  });

  it('name the topic read so far when a long audit fails midway', async () => {
    const faults = stack.running.sandbox.faults;
    faults.set({ route: ACCESS_DETAIL, latencyMs: 100 });
    faults.resetCounts();
    // A zone not used before: no cached copy of this report can tell the topic.
    const sent = await host.dmBot(`audit ${SEED_RECORDING_IDS.allHands} tz Asia/Kolkata`);
    // The first page is on its way (its fate decided); the next one fails.
    await until(
      'the first page to be asked for',
      () => (faults.counts().byRoute[ACCESS_DETAIL] ?? 0) >= 1,
    );
    faults.add({ route: ACCESS_DETAIL, failNext: 1, failNextStatus: 404 });
    const [reply] = await host.waitForBot(directRoom, { after: sent.id, timeoutMs: 15_000 });
    const shown = `${reply.markdown ?? ''}\n${cardText(cardOf(reply))}`;
    expect(shown).toContain('Command: audit');
    expect(shown).toContain(`Recording: ${SEED_RECORDING_TOPICS.allHands}`);
  });

  it('name the command and the ID when the topic is not known', async () => {
    const missing = '0000000000000000ffffffffffffffff';
    const sent = await host.dmBot(`audit ${missing}`);
    const [reply] = await host.waitForBot(directRoom, { after: sent.id, timeoutMs: 15_000 });
    const text = cardText(cardOf(reply));
    expect(text).toContain('Command: audit');
    expect(text).toContain(`Recording: ${missing}`);
  });
});
