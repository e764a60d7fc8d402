/**
 * GROUP_REPLY=room: reports are posted in the space, and only the person who asked can use
 * the card's buttons.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import { clickButton, startStack, type SandboxUser, type TestStack } from '../helpers/stack';

let stack: TestStack;
let host: SandboxUser;

beforeAll(async () => {
  stack = await startStack({ GROUP_REPLY: 'room' });
  host = stack.user('host@example.com');
  const sent = await host.dmBot('connect');
  const [card] = await host.waitForBot(sent.roomId, { after: sent.id });
  await consent(connectUrlOf(cardOf(card)), host.id);
  await host.waitForBot(sent.roomId, { after: card.id });
});

afterAll(async () => {
  await stack?.close();
});

it('posts the report in the space, and refuses clicks by anyone else privately', async () => {
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

  // The space got nothing from that click; the requester's own click still works.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const afterRefusal = await host.messages(roomId);
  expect(afterRefusal[afterRefusal.length - 1].id).toBe(report.id);
  await clickButton(host, report, 'Next ▶');
  const [page2] = await host.waitForBot(roomId, { after: report.id, timeoutMs: 15_000 });
  expect(cardText(cardOf(page2))).toMatch(/Page 2 of \d+/);
  expect(cardText(cardOf(refusal))).not.toMatch(/@/);
});
