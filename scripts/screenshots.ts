/**
 * The README's pictures: starts the sandbox and the bot (as `npm start` does, with a
 * throw-away data folder), drives the chat page in Chromium as a new user would, and writes
 * into docs/:
 *   report-card.png   the report card alone
 *   chat-page.png     the whole page with the report
 *   report-phone.png  the page at phone width (400 px) showing the report
 *   progress.png      the progress message of a slow audit (report pages at ~200 ms)
 *   watch-alert.png   a watch, and its private alert for a new download
 *   report-de.png     a report card after `locale de-DE`
 *
 * Usage: npm run screenshots   (builds the chat page, then runs this with tsx)
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ManualClock } from '../src/scheduler/clock';
import { SEED_RECORDING_IDS } from '../src/sandbox/seed-recordings';
import { progressMessage, setWidth } from '../test/browser/helpers/chat-layout';
import { ChatPage } from '../test/browser/helpers/chat-page';
import { launchChromium } from '../test/browser/helpers/chromium';
import { addAccesses } from '../test/helpers/sandbox-access';
import { startStack } from '../test/helpers/stack';

const DOCS_DIR = path.resolve(process.cwd(), 'docs');
const HOST = 'host@example.com';
/** The README should stay light. */
const MAX_PNG_BYTES = 150 * 1024;
const DESKTOP = { width: 1100, height: 800 };
const PHONE = { width: 400, height: 860 };
/** The page around the message list at phone width: top bar, spaces, space header, composer. */
const PHONE_CHROME_PX = 300;
/** How much of the conversation above the audit command the progress shot keeps. */
const CONTEXT_ABOVE_PX = 40;
/** Webex on a busy day: every page of the access report takes this long. */
const SLOW_PAGES = { route: 'GET /v1/recordingReport/accessDetail', latencyMs: 200 };
/** Watches poll at the default interval; the shot moves the clock instead of waiting. */
const WATCH_INTERVAL_MS = 900_000;

async function report(name: string): Promise<void> {
  const { size } = await stat(path.join(DOCS_DIR, name));
  const note = size > MAX_PNG_BYTES ? ' (larger than 150 KB: consider a smaller shot)' : '';
  console.log(`docs/${name}: ${Math.round(size / 1024)} KB${note}`);
}

async function main(): Promise<void> {
  await mkdir(DOCS_DIR, { recursive: true });
  const clock = new ManualClock(Date.now());
  const stack = await startStack({}, { clock });
  const browser = await launchChromium();
  const shot = async (name: string, take: (file: string) => Promise<unknown>) => {
    await take(path.join(DOCS_DIR, name));
    await report(name);
  };
  try {
    const chat = await ChatPage.open(browser.context, stack.file.chatUrl);
    const page = chat.page;
    const toNewest = () =>
      page.locator('#messages').evaluate((list) => (list.scrollTop = list.scrollHeight));
    /** From the last command typed down to the composer: what the bot said and where. */
    const fromLastCommand = async (file: string) => {
      await toNewest();
      const asked = page.locator('.message[data-from="me"]').last();
      const from = (await asked.boundingBox())?.y ?? 0;
      const main = await page.locator('main').boundingBox();
      if (!main) throw new Error('the page has no conversation');
      const top = Math.max(main.y, from - CONTEXT_ABOVE_PX);
      await page.screenshot({
        path: file,
        caret: 'hide',
        clip: { x: main.x, y: top, width: main.width, height: main.y + main.height - top },
      });
    };

    // A new user: audit, connect through the consent page, and the report arrives.
    await chat.actAs(HOST);
    await chat.openSpace('Recording Audit');
    await chat.send(`audit ${SEED_RECORDING_IDS.example}`);
    const connect = await chat.botCard('Connect your Webex account');
    await chat.connectThroughConsent(connect, 'Connect to Webex', HOST);
    const card = await chat.botCard('Example Topic');

    await shot('report-card.png', (file) => chat.screenshotCard(card, file));
    await shot('chat-page.png', async (file) => {
      await toNewest();
      await page.screenshot({ path: file, caret: 'hide' });
    });
    await shot('report-phone.png', async (file) => {
      await setWidth(page, PHONE.width, PHONE.height);
      // A phone a little taller than usual, so the whole report shows, from its sender line.
      const message = card.locator('xpath=ancestor::li[contains(@class, "message")]');
      const height = (await message.boundingBox())?.height ?? 0;
      await setWidth(
        page,
        PHONE.width,
        Math.max(PHONE.height, Math.ceil(height) + PHONE_CHROME_PX),
      );
      await message.evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: file, caret: 'hide' });
      await setWidth(page, DESKTOP.width, DESKTOP.height);
    });

    // A slow audit of the 2,500-record recording: the progress message, once it has a count.
    stack.running.sandbox.faults.set(SLOW_PAGES);
    try {
      await chat.send(`audit ${SEED_RECORDING_IDS.allHands}`);
      const progress = await progressMessage(chat);
      // Once edited in place, the message says so: the shot shows the page following edits.
      await progress.locator('.edited').waitFor({ timeout: 15_000 });
      await shot('progress.png', fromLastCommand);
      await chat.botCard('All-hands Q3');
    } finally {
      stack.running.sandbox.faults.clear();
    }

    // A watch: a new download comes in, and the next poll tells the watcher privately.
    await chat.send(`watch ${SEED_RECORDING_IDS.example} for 7`);
    await chat.botCard('Watching Example Topic');
    await addAccesses(stack.running.sandbox.baseUrl, SEED_RECORDING_IDS.example, [
      { email: 'eve@outside.example', name: 'Eve Outside', action: 'download' },
    ]);
    clock.advance(WATCH_INTERVAL_MS * 1.2);
    await stack.running.scheduler.wake();
    await chat.botCard('New download');
    await shot('watch-alert.png', fromLastCommand);

    // German labels: the same report after `locale de-DE`.
    await chat.send('locale de-DE');
    await chat.botMessage(/Sprache auf de-DE gesetzt/);
    await chat.send(`audit ${SEED_RECORDING_IDS.example}`);
    // The German report card, known by its German title (other cards name the topic too).
    const german = await chat.botCard('Aufzeichnungsprüfung');
    await shot('report-de.png', (file) => chat.screenshotCard(german, file));
  } finally {
    await browser.close();
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
