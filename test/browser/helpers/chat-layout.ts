/**
 * More ways to drive and measure the chat page, beside ChatPage: phone widths, sideways
 * scrolling, the history above the newest 50 messages, the `@` list and connecting a user
 * without the browser. Shared by the browser tests and `npm run screenshots`.
 */
import type { Locator, Page } from 'playwright-core';
import { cardOf } from '../../helpers/card-text';
import { connectUrlOf, consent } from '../../helpers/consent';
import type { SandboxUser } from '../../helpers/stack';
import type { ChatPage } from './chat-page';

/** How long older messages may take to arrive after scrolling up. */
const HISTORY_TIMEOUT_MS = 10_000;

/**
 * Resizes the window to `width` (a phone is 360–420 px), keeping the height.
 * @example await setWidth(chat.page, 420);
 */
export async function setWidth(page: Page, width: number, height = 800): Promise<void> {
  await page.setViewportSize({ width, height });
}

/**
 * How far the page is wider than the window (0: it does not scroll sideways).
 * @example expect(await sidewaysOverflow(chat.page)).toBe(0);
 */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.documentElement;
    return Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;
  });
}

/**
 * How far the page is taller than the window (0: the top bar and the composer both stay in
 * view; only the message list scrolls).
 * @example expect(await downwardOverflow(chat.page)).toBe(0);
 */
export async function downwardOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
}

/**
 * How far an element's content is wider than its box (0: everything wraps inside it).
 * @example expect(await overflowOf(bubble)).toBe(0);
 */
export async function overflowOf(locator: Locator): Promise<number> {
  return locator.evaluate((element) => element.scrollWidth - element.clientWidth);
}

/** Whether `locator` is inside the visible part of the message list. */
export async function inMessageView(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const list = element.closest('#messages');
    if (!list) return false;
    const box = element.getBoundingClientRect();
    const view = list.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  });
}

/** The messages the page shows (not the list's "older messages" line). */
export function shownMessages(page: Page): Locator {
  return page.locator('#messages > li.message');
}

/**
 * Scrolls the message list to its top once and waits until older messages came in, or the
 * page says the conversation starts here. Resolves with how many more messages show.
 * @example while (await scrollUpForOlder(chat.page)) {}
 */
export async function scrollUpForOlder(page: Page): Promise<number> {
  const before = await shownMessages(page).count();
  const top = page.locator('#messages > li.history-top');
  if (!(await top.evaluate((el) => el.classList.contains('has-older')))) return 0;
  await page.locator('#messages').evaluate((list) => (list.scrollTop = 0));
  await page.waitForFunction(
    (count) => {
      const items = document.querySelectorAll('#messages > li.message').length;
      const olderToLoad = document.querySelector('#messages > li.history-top.has-older');
      return items > count || !olderToLoad;
    },
    before,
    { timeout: HISTORY_TIMEOUT_MS },
  );
  return (await shownMessages(page).count()) - before;
}

/**
 * Types `@` and the start of a name in the message box, as keys, so the mention list opens.
 * @example await typeMention(chat.page, 'Rec'); await chat.page.keyboard.press('Enter');
 */
export async function typeMention(page: Page, start = ''): Promise<Locator> {
  const box = page.getByLabel('Message');
  await box.focus();
  await box.pressSequentially(`@${start}`);
  const picker = page.getByRole('listbox', { name: 'People to mention' });
  await picker.waitFor();
  return picker;
}

/** Turns the group space's mention toggle on or off. */
export async function setMentionToggle(page: Page, on: boolean): Promise<void> {
  const toggle = page.locator('#mention');
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
}

/**
 * Connects `user` to the bot over the API (the `connect` card, then the consent page), so a
 * browser test can start at the audit. The consent page in the browser is tested elsewhere.
 * @example await connectOverApi(stack.user('host@example.com'));
 */
export async function connectOverApi(user: SandboxUser): Promise<void> {
  const sent = await user.dmBot('connect');
  const [card] = await user.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 15_000 });
  const result = await consent(connectUrlOf(cardOf(card)), user.id);
  if (!result.html.includes('Connected')) throw new Error(`connecting ${user.email} failed`);
  await user.waitForBot(sent.roomId, { after: card.id, timeoutMs: 15_000 });
}

/**
 * Waits for the bot's progress message of a slow audit on the page.
 * @example const progress = await progressMessage(chat);
 */
export async function progressMessage(chat: ChatPage): Promise<Locator> {
  return chat.botMessage(/Reading the access report/);
}
