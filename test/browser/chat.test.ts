/**
 * The sandbox chat page in real Chromium: a new user does the whole audit flow by clicking
 * and typing, asks for help in the group space, and pages through the big report. Card
 * screenshots go to test-results/ (ignored by git) for a person to look at.
 */
import path from 'node:path';
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { cardButton, ChatPage, visibleText } from './helpers/chat-page';
import { openChatSession, RESULTS_DIR } from './helpers/chat-session';

const HOST = 'host@example.com';

let close: (() => Promise<void>) | undefined;
let chat: ChatPage;

beforeAll(async () => ({ chat, close } = await openChatSession()));

afterAll(() => close?.());

describe('the sandbox chat page', () => {
  it('takes a new user from "audit" through the consent page to the report card', async () => {
    await chat.actAs(HOST);
    await chat.openSpace('Recording Audit');
    await chat.send(`audit ${SEED_RECORDING_IDS.example}`);

    const connectCard = await chat.botCard('Connect your Webex account');
    await chat.connectThroughConsent(connectCard, 'Connect to Webex', HOST);

    await chat.botMessage(/connected|linked/i);
    const report = await chat.botCard('Example Topic');
    const text = await visibleText(report);
    for (const person of ['John Andersen', 'Brenda Song', 'Joe Doe']) {
      expect(text).toContain(person);
    }
    // The host's Webex profile is in Los Angeles: 2020-07-13T17:05:35Z is 10:05 AM there.
    expect(text).toContain('Jul 13, 2020, 10:05 AM PDT');
    expect(text).toContain('America/Los_Angeles');
    await chat.screenshotCard(report, path.join(RESULTS_DIR, 'report-card.png'));
  });

  it('shows the help card for a mention in the group space', async () => {
    await chat.actAs('admin@example.com');
    await chat.openSpace('Recording reviews');
    await chat.send('help', { mentionBot: true });
    // The sent message shows the mention as a name, not as markup.
    await chat.page
      .locator('.message[data-from="me"] .mention', { hasText: '@Recording Audit' })
      .last()
      .waitFor();

    const help = await chat.botCard(/disconnect/);
    const text = await visibleText(help);
    for (const command of ['audit', 'connect', 'disconnect', 'timezone', 'help']) {
      expect(text).toContain(command);
    }
    await chat.screenshotCard(help, path.join(RESULTS_DIR, 'help-card.png'));
  });

  it('pages the 2,500-record report with its Next button', async () => {
    await chat.actAs(HOST);
    await chat.openSpace('Recording Audit');
    await chat.send(`audit ${SEED_RECORDING_IDS.allHands}`);
    const firstPage = await chat.botCard(/Page 1 of/);
    expect(await visibleText(firstPage)).toMatch(/2,500/);

    await cardButton(firstPage, /Next/).click();
    const secondPage = await chat.botCard(/Page 2 of/);
    expect(await visibleText(secondPage)).toMatch(/Page 2 of \d+/);
    await chat.screenshotCard(secondPage, path.join(RESULTS_DIR, 'report-card-page-2.png'));
  });
});
