/**
 * GROUP_REPLY=room: reports are posted in the space, and only the person who asked can use
 * the card's buttons.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../helpers/card-text';
import { linkAccount } from '../helpers/consent';
import { pressAndWaitForReplacement, reportCards, settled } from '../helpers/report-cards';
import { clickButton, startStack, type SandboxUser, type TestStack } from '../helpers/stack';

let stack: TestStack;
let host: SandboxUser;

beforeAll(async () => {
  stack = await startStack({ GROUP_REPLY: 'room' });
  host = stack.user('host@example.com');
  await linkAccount(host);
});

afterAll(async () => {
  await stack?.close();
});

it('posts the report in the space, replaces it there on a click, and refuses clicks by anyone else privately', async () => {
  const roomId = stack.groupRoomId();
  const asked = await host.sayInRoom(roomId, `audit ${SEED_RECORDING_IDS.allHands}`);
  const [report] = await host.waitForBot(roomId, { after: asked.id, timeoutMs: 15_000 });
  expect(report.parentId).toBe(asked.id);
  expect(cardText(cardOf(report))).toContain('All-hands Q3');

  const colleague = stack.user('colleague@example.com');
  await clickButton(colleague, report, 'Next ▶');
  const colleagueDm = await colleague.directRoomId();
  const [refusal] = await colleague.waitForBot(colleagueDm, { timeoutMs: 15_000 });
  expect(cardText(cardOf(refusal))).toContain('That card is not yours');
  // It says which report the card was about, from what the click carried.
  expect(cardText(cardOf(refusal))).toContain('Command: audit');
  expect(cardText(cardOf(refusal))).toContain(`Recording: ${SEED_RECORDING_IDS.allHands}`);

  // The space got nothing from that click; the requester's own click still works.
  await settled(stack);
  const afterRefusal = await host.messages(roomId);
  expect(afterRefusal[afterRefusal.length - 1].id).toBe(report.id);
  const page2 = await pressAndWaitForReplacement(host, roomId, report, 'Next ▶');
  expect(cardText(cardOf(page2))).toMatch(/Page 2 of \d+/);
  expect(cardText(cardOf(refusal))).not.toMatch(/@/);
  // In the space, in the report's thread, in place of the first page: one report card.
  expect(page2.parentId).toBe(asked.id);
  const back = await pressAndWaitForReplacement(host, roomId, page2, '◀ Previous');
  expect(cardText(cardOf(back))).toMatch(/Page 1 of \d+/);
  await settled(stack);
  expect((await reportCards(host, roomId)).map((m) => m.id)).toEqual([back.id]);
  expect(await reportCards(colleague, colleagueDm)).toEqual([]);
});
