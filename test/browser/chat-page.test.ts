/**
 * The sandbox chat page as a phone-sized window and a long space: long words wrap, nothing
 * scrolls sideways at 420 or 360 px, history beyond the newest 50 messages loads on scrolling
 * up, and `@` in a group space offers the bot as a real mention it answers.
 */
import type { SandboxMessage, TestStack } from '../helpers/stack';
import { ChatPage, visibleText } from './helpers/chat-page';
import { openChatSession } from './helpers/chat-session';
import {
  downwardOverflow,
  inMessageView,
  overflowOf,
  scrollUpForOlder,
  setMentionToggle,
  setWidth,
  shownMessages,
  sidewaysOverflow,
  typeMention,
} from './helpers/chat-layout';

const ADMIN = 'admin@example.com';
const COLLEAGUE = 'colleague@example.com';
const GROUP = 'Recording reviews';
/** More than two pages of Webex's 50, so the page must load older ones twice. */
const HISTORY_SIZE = 110;

let stack: TestStack;
let close: (() => Promise<void>) | undefined;
let chat: ChatPage;

beforeAll(async () => ({ stack, chat, close } = await openChatSession()));

afterAll(() => close?.());

/** The group room's messages as the sandbox holds them, oldest first. */
function groupMessages(): SandboxMessage[] {
  const roomId = stack.groupRoomId();
  return stack.running.sandbox.state.messages.filter((m) => m.roomId === roomId);
}

describe('the chat page in a long group space', () => {
  beforeAll(async () => {
    const colleague = stack.user(COLLEAGUE);
    for (let i = 1; i <= HISTORY_SIZE; i++) {
      await colleague.sayInRoom(
        stack.groupRoomId(),
        `history ${String(i).padStart(3, '0')}`,
        false,
      );
    }
  }, 60_000);

  it('shows the newest 50 and loads older ones on scrolling up, keeping the view', async () => {
    await setWidth(chat.page, 1100);
    await chat.actAs(ADMIN);
    await chat.openSpace(GROUP);
    const newest = chat.page.locator('.message', { hasText: `history ${HISTORY_SIZE}` });
    await newest.waitFor();
    expect(await inMessageView(newest)).toBe(true);
    expect(await shownMessages(chat.page).count()).toBe(50);
    const first = chat.page.locator('.message', { hasText: 'history 001' });
    expect(await first.count()).toBe(0);

    // The message at the top stays where it was while older ones go in above it.
    const topBefore = shownMessages(chat.page).first();
    const topId = await topBefore.getAttribute('data-id');
    expect(await scrollUpForOlder(chat.page)).toBe(50);
    const anchor = chat.page.locator(`.message[data-id="${topId}"]`);
    expect(await inMessageView(anchor)).toBe(true);
    expect(await first.count()).toBe(0);

    while ((await scrollUpForOlder(chat.page)) > 0) {
      // Keeps asking until the room has nothing older.
    }
    await chat.page.locator('#messages').evaluate((list) => (list.scrollTop = 0));
    expect(await inMessageView(first)).toBe(true);
    await chat.page.getByText('This is the start of the conversation.').waitFor();
    const ids = await shownMessages(chat.page).evaluateAll((items) =>
      items.map((item) => (item as HTMLElement).dataset.id),
    );
    expect(ids).toEqual(groupMessages().map((m) => m.id));
  });

  it('still shows new messages, at the bottom, with the history kept', async () => {
    const before = await shownMessages(chat.page).count();
    await stack.user(COLLEAGUE).sayInRoom(stack.groupRoomId(), 'live after history', false);
    const live = shownMessages(chat.page).last();
    await chat.page
      .locator('#messages > li.message:last-child', { hasText: 'live after history' })
      .waitFor();
    expect(await live.getAttribute('data-id')).toBe(groupMessages().at(-1)?.id);
    expect(await shownMessages(chat.page).count()).toBe(before + 1);
  });
});

describe('the chat page at phone width', () => {
  const word = 'x'.repeat(300);
  const url = `https://example.com/${'a'.repeat(280)}`;

  it.each([420, 360])(
    'wraps a 300-character word and never scrolls sideways at %i px',
    async (width) => {
      await setWidth(chat.page, width);
      await chat.actAs(ADMIN);
      await chat.openSpace(GROUP);
      await chat.send(`${word} ${width}`, { mentionBot: false });
      // A link posted as markdown must wrap too.
      await stack
        .user(COLLEAGUE)
        .post({ roomId: stack.groupRoomId(), markdown: `see ${url} (${width})` });
      const link = chat.page.locator('.message .text a', { hasText: url }).last();
      await link.waitFor();

      const mine = chat.page.locator('.message[data-from="me"]', { hasText: word }).last();
      for (const bubble of [mine.locator('.body'), mine.locator('.text')]) {
        expect(await overflowOf(bubble)).toBeLessThanOrEqual(0);
        const box = await bubble.boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      }
      const linkBody = chat.page
        .locator('.message .text')
        .filter({ has: chat.page.locator(`a[href="${url}"]`) })
        .last();
      expect(await overflowOf(linkBody)).toBeLessThanOrEqual(0);
      expect(await sidewaysOverflow(chat.page)).toBe(0);

      // Spaces, conversation and composer all fit the window.
      for (const selector of ['#spaces', '#messages', '#composer', '#input', '.send', '#user']) {
        const box = await chat.page.locator(selector).boundingBox();
        expect({ selector, fits: box!.x + box!.width <= width }).toEqual({ selector, fits: true });
      }
    },
  );

  it('switches spaces, fills in a recording and shows a card within the width', async () => {
    await setWidth(chat.page, 420);
    await chat.actAs(ADMIN);
    await chat.openSpace('Recording Audit');
    // The recordings list is folded on a phone; opening it and picking one fills the box.
    const recordings = chat.page.locator('#recordings-panel');
    expect(await recordings.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    await recordings.locator('summary').click();
    await chat.page.locator('#recordings button', { hasText: 'Example Topic' }).click();
    expect(await chat.page.getByLabel('Message').inputValue()).toMatch(/^audit [0-9a-f]{32}$/);
    expect(await recordings.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);

    await chat.send('help');
    const help = await chat.botCard(/disconnect/);
    const box = await help.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(420);
    expect(await sidewaysOverflow(chat.page)).toBe(0);
    // A tall card scrolls inside the message list; the page itself stays put.
    expect(await downwardOverflow(chat.page)).toBeLessThanOrEqual(0);
  });
});

describe('mentions in a group space', () => {
  beforeAll(async () => {
    await setWidth(chat.page, 1100);
    await chat.actAs(ADMIN);
    await chat.openSpace(GROUP);
    await setMentionToggle(chat.page, false);
  });

  it('offers the members on @, moves with the arrows and closes on Escape', async () => {
    const picker = await typeMention(chat.page);
    const options = picker.getByRole('option');
    const names = await options.locator('.picker-name').allInnerTexts();
    // The bot first, then the other members; never yourself.
    expect(names[0]).toBe('Recording Audit');
    expect(names).toEqual(expect.arrayContaining(['Hana Host', 'Cole Colleague']));
    expect(names).not.toContain('Ada Admin');
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await chat.page.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await chat.page.keyboard.press('ArrowUp');
    expect(await options.first().getAttribute('aria-selected')).toBe('true');

    await chat.page.keyboard.type('cole');
    expect(await options.locator('.picker-name').allInnerTexts()).toEqual(['Cole Colleague']);
    await chat.page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden' });
    // What was typed stays, and the hint says it will not be a mention.
    expect(await chat.page.getByLabel('Message').inputValue()).toBe('@cole');
    await chat.page.getByRole('status').filter({ hasText: '“@cole” names nobody' }).waitFor();

    // A click on a name chooses it.
    await chat.page.getByLabel('Message').fill('');
    const again = await typeMention(chat.page, 'Ha');
    await again.getByRole('option', { name: /Hana Host/ }).click();
    expect(await chat.page.getByLabel('Message').inputValue()).toBe('@Hana Host ');
    await chat.page.locator('#composer-hint .mention-chip', { hasText: '@Hana Host' }).waitFor();
    await chat.page.getByLabel('Message').fill('');
  });

  it('sends a picked bot as a real mention, and the bot answers', async () => {
    await typeMention(chat.page, 'Rec');
    await chat.page.keyboard.press('Enter');
    const box = chat.page.getByLabel('Message');
    expect(await box.inputValue()).toBe('@Recording Audit ');
    await chat.page
      .locator('#composer-hint .mention-chip', { hasText: '@Recording Audit' })
      .waitFor();
    await box.pressSequentially('help');
    await chat.page.keyboard.press('Enter');

    const shown = chat.page.locator('.message[data-from="me"]', { hasText: 'help' }).last();
    await shown.locator('.mention', { hasText: '@Recording Audit' }).waitFor();
    const sent = groupMessages()
      .filter((m) => m.personEmail === ADMIN)
      .at(-1);
    const bot = stack.file.bot;
    expect(sent?.markdown).toBe(`<@personId:${bot.id}|${bot.displayName}> help`);
    expect(sent?.mentionedPeople).toEqual([bot.id]);

    const help = await chat.botCard(/disconnect/);
    expect(await visibleText(help)).toContain('audit');
  });

  it('turns a typed "@Recording Audit" into a mention, and says when an @word names nobody', async () => {
    const box = chat.page.getByLabel('Message');
    await box.fill('@Recordin help');
    await chat.page.getByRole('status').filter({ hasText: '“@Recordin” names nobody' }).waitFor();
    await box.fill('');
    await chat.page
      .getByRole('status')
      .filter({ hasText: 'names nobody' })
      .waitFor({ state: 'detached' });

    const helpCards = chat.page.locator('.message[data-from="bot"] .card', {
      hasText: /disconnect/,
    });
    const before = await helpCards.count();
    await chat.send('@Recording Audit help');
    const sent = groupMessages()
      .filter((m) => m.personEmail === ADMIN)
      .at(-1);
    expect(sent?.mentionedPeople).toEqual([stack.file.bot.id]);
    expect(sent?.markdown).toMatch(/^<@personId:[^|]+\|Recording Audit> help$/);
    // The bot heard it: another help card comes.
    await helpCards.nth(before).waitFor({ timeout: 15_000 });
  });

  it('keeps the mention toggle: on, it mentions the bot once', async () => {
    await setMentionToggle(chat.page, true);
    await chat.page.getByLabel('Message').fill('help');
    await chat.page
      .locator('#composer-hint .mention-chip', { hasText: '@Recording Audit' })
      .waitFor();
    await chat.send('@Recording Audit help', { mentionBot: true });
    const sent = groupMessages()
      .filter((m) => m.personEmail === ADMIN)
      .at(-1);
    expect(sent?.markdown).toBe(`<@personId:${stack.file.bot.id}|Recording Audit> help`);
  });
});
