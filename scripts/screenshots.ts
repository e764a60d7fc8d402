/**
 * The README's pictures: starts the sandbox and the bot (as `npm start` does, with a
 * throw-away data folder), drives the chat page in Chromium through an audit, and writes
 * docs/report-card.png (the report card alone) and docs/chat-page.png (the whole page).
 *
 * Usage: npm run screenshots   (builds the chat page, then runs this with tsx)
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { SEED_RECORDING_IDS } from '../src/sandbox/seed-recordings';
import { ChatPage } from '../test/browser/helpers/chat-page';
import { launchChromium } from '../test/browser/helpers/chromium';
import { startStack } from '../test/helpers/stack';

const DOCS_DIR = path.resolve(process.cwd(), 'docs');
const HOST = 'host@example.com';
/** The README should stay light. */
const MAX_PNG_BYTES = 150 * 1024;

async function main(): Promise<void> {
  await mkdir(DOCS_DIR, { recursive: true });
  const stack = await startStack();
  const browser = await launchChromium();
  try {
    const chat = await ChatPage.open(browser.context, stack.file.chatUrl);
    await chat.actAs(HOST);
    await chat.openSpace('Recording Audit');
    await chat.send(`audit ${SEED_RECORDING_IDS.example}`);
    const connect = await chat.botCard('Connect your Webex account');
    await chat.connectThroughConsent(connect, 'Connect to Webex', HOST);
    const report = await chat.botCard('Example Topic');

    const shots = {
      'report-card.png': () => chat.screenshotCard(report, path.join(DOCS_DIR, 'report-card.png')),
      'chat-page.png': async () => {
        await chat.page
          .locator('#messages')
          .evaluate((list) => (list.scrollTop = list.scrollHeight));
        await chat.page.screenshot({ path: path.join(DOCS_DIR, 'chat-page.png'), caret: 'hide' });
      },
    };
    for (const [name, take] of Object.entries(shots)) {
      await take();
      const { size } = await stat(path.join(DOCS_DIR, name));
      const note = size > MAX_PNG_BYTES ? ' (larger than 150 KB: consider a smaller shot)' : '';
      console.log(`docs/${name}: ${Math.round(size / 1024)} KB${note}`);
    }
  } finally {
    await browser.close();
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
