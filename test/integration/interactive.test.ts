/**
 * Interactive reports end to end: paging and filters through card buttons, the CSV export,
 * the recordings picker and personal settings.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { expectValidCard, cardBytes } from '../helpers/cards';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import { pressAndWaitForReplacement, reportCards, settled } from '../helpers/report-cards';
import {
  cardActions,
  clickButton,
  startStack,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';

let stack: TestStack;
let host: SandboxUser;
let directRoom: string;

/** Links `user`'s account through the consent page and waits for the bot's confirmation. */
async function link(user: SandboxUser): Promise<void> {
  const sent = await user.dmBot('connect');
  const [card] = await user.waitForBot(sent.roomId, { after: sent.id });
  await consent(connectUrlOf(cardOf(card)), user.id);
  await user.waitForBot(sent.roomId, { after: card.id });
}

/** The last bot message in the 1:1 room after `after`, waiting for it. */
async function nextBotMessage(user: SandboxUser, after: SandboxMessage): Promise<SandboxMessage> {
  const replies = await user.waitForBot(directRoom, { after: after.id, timeoutMs: 15_000 });
  return replies[replies.length - 1];
}

async function ask(user: SandboxUser, text: string): Promise<SandboxMessage> {
  const sent = await user.dmBot(text);
  const [reply] = await user.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 15_000 });
  return reply;
}

function emailsOnCard(card: unknown): string[] {
  return cardText(card).match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? [];
}

function records(id: string) {
  return stack.running.sandbox.state.recordings.get(id)!.accessRecords;
}

beforeAll(async () => {
  stack = await startStack();
  host = stack.user('host@example.com');
  await link(host);
  directRoom = await host.directRoomId();
});

afterAll(async () => {
  await stack?.close();
});

describe('paging', () => {
  it('goes through the 2,500-record report forward and back in one card, showing every person once', async () => {
    const expected = new Set(
      records(SEED_RECORDING_IDS.allHands).map((r) => r.email.toLowerCase()),
    );
    let message = await ask(host, `audit ${SEED_RECORDING_IDS.allHands}`);
    const seen: string[] = [];
    let pages = 1;
    for (;;) {
      const card = cardOf(message);
      expectValidCard(card);
      expect(cardBytes(card)).toBeLessThan(16 * 1024);
      seen.push(...emailsOnCard(card));
      if (!cardActions(card).some((a) => a.title === 'Next ▶')) break;
      message = await pressAndWaitForReplacement(host, directRoom, message, 'Next ▶');
      pages++;
    }
    expect(cardText(cardOf(message))).toContain(`Page ${pages} of ${pages}`);
    expect(seen).toHaveLength(expected.size);
    expect(new Set(seen)).toEqual(expected);

    const back: string[] = [...emailsOnCard(cardOf(message))];
    while (cardActions(cardOf(message)).some((a) => a.title === '◀ Previous')) {
      message = await pressAndWaitForReplacement(host, directRoom, message, '◀ Previous');
      back.push(...emailsOnCard(cardOf(message)));
    }
    expect(cardText(cardOf(message))).toContain(`Page 1 of ${pages}`);
    expect(back.sort()).toEqual([...seen].sort());
    // Every click replaced the card: the space holds this one report card.
    await settled(stack);
    expect((await reportCards(host, directRoom)).map((m) => m.id)).toEqual([message.id]);
  });

  it('still applies the "Show" choice of a card from before the filter buttons', async () => {
    const all = records(SEED_RECORDING_IDS.allHands);
    const downloaders = new Set(all.filter((r) => r.downloaded).map((r) => r.email.toLowerCase()));
    const report = await ask(host, `audit ${SEED_RECORDING_IDS.allHands}`);
    // Old cards submitted their Input.ChoiceSet with every button, Refresh included.
    const filtered = await pressAndWaitForReplacement(host, directRoom, report, 'Refresh', {
      filterChoice: 'downloaded',
    });
    const text = cardText(cardOf(filtered));
    expect(text).toContain(`Filter: ${downloaders.size} people who downloaded it`);
    expect(text).toContain('Page 1 of');
    for (const email of emailsOnCard(cardOf(filtered))) expect(downloaders.has(email)).toBe(true);
  });

  it('refreshes with data fetched again', async () => {
    const report = await ask(host, `audit ${SEED_RECORDING_IDS.example}`);
    stack.running.sandbox.state.recordings.get(SEED_RECORDING_IDS.example)!.accessRecords.push({
      name: 'Late Viewer',
      email: 'late.viewer@example.com',
      accessTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      viewed: true,
      downloaded: false,
    });
    const refreshed = await pressAndWaitForReplacement(host, directRoom, report, 'Refresh');
    expect(cardText(cardOf(refreshed))).toContain('Late Viewer');
    expect(cardText(cardOf(refreshed))).toContain('People: 4');
  });
});

describe('CSV export', () => {
  async function exportCsv(recordingId: string): Promise<{ message: SandboxMessage; csv: string }> {
    const report = await ask(host, `audit ${recordingId}`);
    const rows = records(recordingId).length.toLocaleString('en-US');
    expect(cardActions(cardOf(report)).map((a) => a.title)).toContain(`Export CSV (${rows} rows)`);
    await clickButton(host, report, 'Export CSV');
    const message = await nextBotMessage(host, report);
    expect(message.files).toHaveLength(1);
    const file = await host.api.get<string>(message.files![0], { responseType: 'text' });
    expect(file.status).toBe(200);
    expect(String(file.headers['content-disposition'])).toContain(
      `recording-access-${recordingId}-`,
    );
    return { message, csv: file.data };
  }

  it('has one row per access record of the 2,500-record recording', async () => {
    const { message, csv } = await exportCsv(SEED_RECORDING_IDS.allHands);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe(
      'Name,Email,Viewed,Downloaded,Access time (America/Los_Angeles),Access time (UTC),external',
    );
    expect(lines).toHaveLength(2_501);
    expect(message.markdown).toContain('2,500 access rows');
  });

  it('neutralises cells that would run as spreadsheet formulas', async () => {
    const { csv } = await exportCsv(SEED_RECORDING_IDS.weekly);
    const formulaLike = csv.split('\n').filter((line) => /^"?[=+\-@]/.test(line));
    expect(formulaLike).toEqual([]);
    expect(csv).toContain("'=HYPERLINK");
  });
});

describe('recordings', () => {
  it('lists the recent recordings with their counts, and Audit runs the chosen one', async () => {
    const list = await ask(host, 'recordings');
    const card = cardOf(list);
    expectValidCard(card);
    const text = cardText(card);
    const weekly = records(SEED_RECORDING_IDS.weekly);
    expect(text).toContain('Weekly sync');
    expect(text).toContain(
      `${weekly.filter((r) => r.viewed).length} views · ${weekly.filter((r) => r.downloaded).length} downloads`,
    );
    expect(text).toContain('Shared design review');
    expect(text).not.toContain('All-hands Q3'); // 59 days old: outside the default 30 days
    expect(text).not.toContain('Confidential'); // someone else's, not shared

    await clickButton(host, list, 'Audit', { recordingChoice: SEED_RECORDING_IDS.weekly });
    const report = await nextBotMessage(host, list);
    expect(cardText(cardOf(report))).toContain(`Accesses: ${weekly.length}`);
  });

  it('looks further back when asked', async () => {
    const text = cardText(cardOf(await ask(host, 'recordings 90')));
    expect(text).toContain('All-hands Q3');
  });
});

describe('settings', () => {
  it('timezone and locale change the times on the next report', async () => {
    const tz = await ask(host, 'timezone Asia/Tokyo');
    expect(cardText(cardOf(tz))).toContain('Time zone set to Asia/Tokyo');
    expect(cardText(cardOf(tz))).toContain('(from your settings)');
    const tokyo = cardText(cardOf(await ask(host, `audit ${SEED_RECORDING_IDS.example}`)));
    // 2020-07-13T17:05:35Z is 02:05 the next day in Tokyo.
    expect(tokyo).toContain('Jul 14, 2020, 2:05 AM GMT+9');
    expect(tokyo).toContain('Asia/Tokyo (from your settings)');

    await ask(host, 'locale de-DE');
    const german = cardText(cardOf(await ask(host, `audit ${SEED_RECORDING_IDS.example}`)));
    expect(german).toContain('14. Juli 2020, 02:05');

    const settings = cardText(cardOf(await ask(host, 'settings')));
    expect(settings).toContain('Asia/Tokyo');
    expect(settings).toContain('de-DE');

    await ask(host, 'timezone auto');
    await ask(host, 'locale auto');
    const back = cardText(cardOf(await ask(host, `audit ${SEED_RECORDING_IDS.example}`)));
    expect(back).toContain('Jul 13, 2020, 10:05 AM PDT');
  });

  it('refuses an unknown zone with a valid example', async () => {
    const reply = cardText(cardOf(await ask(host, 'timezone Mars/Olympus')));
    expect(reply).toMatch(/Europe\/Berlin|America\/New_York/);
  });
});

describe('privacy of card clicks', () => {
  it('answers a report button pressed in a group space privately (GROUP_REPLY=dm)', async () => {
    const roomId = stack.groupRoomId();
    const asked = await host.sayInRoom(roomId, 'help');
    const [helpCard] = await host.waitForBot(roomId, { after: asked.id });
    // A crafted submission on a card in the space, asking for a report page.
    const response = await host.api.post('/attachment/actions', {
      type: 'submit',
      messageId: helpCard.id,
      inputs: {
        action: 'audit.page',
        recordingId: SEED_RECORDING_IDS.example,
        requesterId: host.id,
        page: 1,
        filter: 'everyone',
      },
    });
    expect(response.status).toBeLessThan(300);
    const report = await nextBotMessage(host, (await host.messages(directRoom)).at(-1)!);
    expect(cardText(cardOf(report))).toContain('Joe Doe');
    const inRoom = (await host.messages(roomId)).filter((m) => m.personId === stack.file.bot.id);
    for (const message of inRoom) expect(cardText(cardOf(message))).not.toContain('Joe Doe');
    expect(inRoom.at(-1)?.markdown).toMatch(/private/);
    // The click named the help card: it is no report card, so nothing replaced it.
    await settled(stack);
    expect(inRoom.map((m) => m.id)).toContain(helpCard.id);
  });
});
