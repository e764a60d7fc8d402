/**
 * Drives the sandbox chat page as a person would: pick who you are and a space, type, press
 * buttons on cards, accept on the consent page. Shared by the browser tests and
 * `npm run screenshots`.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** Word joiners the bot's escaper puts in names and addresses; a reader never sees them. */
const INVISIBLE = /\u2060/g;

/** How long to wait for the bot (it answers in well under a second in the sandbox). */
const BOT_TIMEOUT_MS = 15_000;

/** Room the page keeps around the message list: top bar, space header, composer, margins. */
const CHROME_HEIGHT_PX = 320;

/**
 * The visible text of an element, as a reader sees it.
 * @example expect(await visibleText(card)).toContain('Joe Doe');
 */
export async function visibleText(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(INVISIBLE, '');
}

/**
 * A card's action button by its title. The renderer gives OpenUrl buttons the role "link",
 * so the class is what all of them share.
 * @example await cardButton(card, /Next/).click();
 */
export function cardButton(card: Locator, title: string | RegExp): Locator {
  return card.locator('button.ac-pushButton').filter({ hasText: title });
}

export class ChatPage {
  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {}

  /**
   * Opens the chat page at `chatUrl` in a new tab.
   * @example const chat = await ChatPage.open(browser.context, stack.file.chatUrl);
   */
  static async open(context: BrowserContext, chatUrl: string): Promise<ChatPage> {
    const page = await context.newPage();
    await page.goto(chatUrl);
    await page.locator('#spaces button').first().waitFor();
    return new ChatPage(page, context);
  }

  /** Chooses who you are by email. */
  async actAs(email: string): Promise<void> {
    await this.page.getByLabel('You are').selectOption(email);
  }

  /** Opens a space by its name in the sidebar (`Recording Audit` is the direct one). */
  async openSpace(name: string): Promise<void> {
    await this.page.locator('#spaces button', { hasText: name }).click();
    await this.page.locator('#space-title', { hasText: name }).waitFor();
  }

  /** Types `text` and sends it; `mentionBot` sets the group space's mention toggle. */
  async send(text: string, options: { mentionBot?: boolean } = {}): Promise<void> {
    if (options.mentionBot !== undefined) {
      const toggle = this.page.locator('#mention');
      if ((await toggle.getAttribute('aria-pressed')) !== String(options.mentionBot)) {
        await toggle.click();
      }
    }
    await this.page.getByLabel('Message').fill(text);
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
    await this.page.locator('.message[data-from="me"]', { hasText: text }).last().waitFor();
  }

  /** The newest card from the bot whose text contains `text`, once it is shown. */
  async botCard(text: string | RegExp): Promise<Locator> {
    const card = this.page
      .locator('.message[data-from="bot"] .card')
      .filter({ hasText: text })
      .last();
    await card.waitFor({ timeout: BOT_TIMEOUT_MS });
    return card;
  }

  /** The newest message from the bot (text or card) containing `text`. */
  async botMessage(text: string | RegExp): Promise<Locator> {
    const message = this.page.locator('.message[data-from="bot"]').filter({ hasText: text }).last();
    await message.waitFor({ timeout: BOT_TIMEOUT_MS });
    return message;
  }

  /**
   * A PNG of one card. A card taller than the message list would be cut by its scrolling, so
   * the window grows to fit it for the shot and goes back afterwards.
   * @example await chat.screenshotCard(card, 'test-results/report-card.png');
   */
  async screenshotCard(card: Locator, file: string): Promise<void> {
    const viewport = this.page.viewportSize() ?? { width: 1100, height: 800 };
    const box = await card.boundingBox();
    const needed = Math.ceil((box?.height ?? 0) + CHROME_HEIGHT_PX);
    if (needed > viewport.height) {
      await this.page.setViewportSize({ width: viewport.width, height: needed });
    }
    try {
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    } finally {
      await this.page.setViewportSize(viewport);
    }
  }

  /**
   * Presses a card's Action.OpenUrl button (the connect card's), then on the consent page
   * that opens signs in as `email` and accepts; resolves when the bot's callback says so.
   */
  async connectThroughConsent(card: Locator, buttonTitle: string, email: string): Promise<void> {
    const opened = this.context.waitForEvent('page');
    await cardButton(card, buttonTitle).click();
    const consent = await opened;
    await consent.waitForLoadState();
    // Whole address only: host@example.com must not pick other.host@example.com.
    const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await consent.getByLabel(new RegExp(`(^|\\s)${escaped}(\\s|$)`)).check();
    await consent.getByRole('button', { name: 'Accept' }).click();
    await consent.getByText('Connected').first().waitFor({ timeout: BOT_TIMEOUT_MS });
    await consent.close();
  }
}
