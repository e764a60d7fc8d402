/**
 * The report card on the chat page in real Chromium: paging the 2,500-record report forward
 * and back leaves one report card in the space, and at a phone's 400 px the card needs no
 * sideways scrolling and shows every button whole, also with the External filter and tags in
 * each of the five languages. Screenshots go to test-results/ (ignored by git) for a person
 * to look at.
 */
import path from 'node:path';
import { translatorFor } from '../../src/locales';
import { externalTest } from '../../src/report/organisation';
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import type { TestStack } from '../helpers/stack';
import { until } from '../helpers/until';
import { buttonsCutOff, widths } from './helpers/card-layout';
import { cardButton, ChatPage, visibleText } from './helpers/chat-page';
import { openChatSession, RESULTS_DIR } from './helpers/chat-session';

const HOST = 'host@example.com';
const PHONE_WIDTH = 400;

let close: (() => Promise<void>) | undefined;
let chat: ChatPage;
let stack: TestStack;

beforeAll(async () => {
  ({ chat, close, stack } = await openChatSession());
  await chat.actAs(HOST);
  await chat.openSpace('Recording Audit');
  await chat.send('connect');
  const connect = await chat.botCard('Connect your Webex account');
  await chat.connectThroughConsent(connect, 'Connect to Webex', HOST);
  await chat.botMessage(/connected|linked/i);
});

afterAll(() => close?.());

/** The report cards the page shows in the open space. */
const reportCards = () =>
  chat.page.locator('.message[data-from="bot"] .card').filter({ hasText: /Recording ID:/ });

async function expectOneReportCard(text: RegExp): Promise<void> {
  await until('one report card on the page', async () => (await reportCards().count()) === 1);
  expect(await visibleText(reportCards().first())).toMatch(text);
}

describe('the report card on the chat page', () => {
  it('stays one card in the space when paged forward and back', async () => {
    await chat.send(`audit ${SEED_RECORDING_IDS.allHands}`);
    const first = await chat.botCard(/Page 1 of/);
    await expectOneReportCard(/Page 1 of \d+/);

    await cardButton(first, /Next/).click();
    const second = await chat.botCard(/Page 2 of/);
    await expectOneReportCard(/Page 2 of \d+/);
    await cardButton(second, /Next/).click();
    const third = await chat.botCard(/Page 3 of/);
    await expectOneReportCard(/Page 3 of \d+/);

    await cardButton(third, /Previous/).click();
    const backToSecond = await chat.botCard(/Page 2 of/);
    await cardButton(backToSecond, /Previous/).click();
    await chat.botCard(/Page 1 of/);
    await expectOneReportCard(/Page 1 of \d+/);
    await chat.screenshotCard(
      reportCards().first(),
      path.join(RESULTS_DIR, 'report-card-paged.png'),
    );
  });

  it(`fits a ${PHONE_WIDTH} px phone: no sideways scrolling, every button whole`, async () => {
    const viewport = chat.page.viewportSize() ?? { width: 1100, height: 800 };
    await chat.page.setViewportSize({ width: PHONE_WIDTH, height: viewport.height });
    try {
      await chat.send(`audit ${SEED_RECORDING_IDS.allHands}`);
      const card = await chat.botCard(/Filter: [\d,]+ people$/m);
      await cardButton(card, 'Downloaded').click();
      const filtered = await chat.botCard(/people who downloaded it/);
      await chat.page.screenshot({ path: path.join(RESULTS_DIR, 'chat-page-400px.png') });
      const cardWidths = await widths(filtered);
      expect(cardWidths.scrollWidth).toBeLessThanOrEqual(cardWidths.clientWidth);
      const list = await widths(chat.page.locator('#messages'));
      expect(list.scrollWidth).toBeLessThanOrEqual(list.clientWidth);
      expect(await buttonsCutOff(filtered)).toEqual([]);
      // The email has its own line: as wide as the card, not a narrow column.
      const email = filtered.locator('.ac-textBlock', { hasText: /@example\.com/ }).first();
      const [emailBox, cardBox] = [await email.boundingBox(), await filtered.boundingBox()];
      expect(emailBox!.width).toBeGreaterThan(cardBox!.width * 0.8);
      await chat.screenshotCard(filtered, path.join(RESULTS_DIR, 'report-card-400px.png'));
    } finally {
      await chat.page.setViewportSize(viewport);
    }
  });

  it.each(['en-US', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP'])(
    `%s: the External filter and tags fit ${PHONE_WIDTH} px too`,
    async (locale) => {
      const { t } = translatorFor(locale);
      const recording = SEED_RECORDING_IDS.weekly;
      const isExternal = externalTest([], HOST);
      const everyone = new Set(
        stack.running.sandbox.state.recordings
          .get(recording)!
          .accessRecords.map((r) => r.email.toLowerCase()),
      );
      const outside = new Set([...everyone].filter(isExternal));
      expect(outside.size).toBeGreaterThan(0);
      const viewport = chat.page.viewportSize() ?? { width: 1100, height: 800 };
      await chat.page.setViewportSize({ width: PHONE_WIDTH, height: viewport.height });
      try {
        await chat.send(`locale ${locale}`);
        await chat.botMessage(t('locale.set.title', { locale }));
        await chat.send(`audit ${recording}`);
        // This report's card, in this language (not an earlier one).
        const card = await chat.botCard(t('audit.filterText.everyone', { count: everyone.size }));
        expect(await buttonsCutOff(card)).toEqual([]);
        // The press replaces this card with the filtered one.
        await cardButton(card, t('audit.filterButton.external')).click();
        const filtered = await chat.botCard(
          t('audit.filterText.external', { count: outside.size }),
        );
        const tags = filtered.locator('.ac-textBlock', { hasText: t('audit.externalTag') });
        // The positive filter button says "External" too; the tags are one per person.
        expect(await tags.count()).toBeGreaterThanOrEqual(outside.size);
        const cardWidths = await widths(filtered);
        expect(cardWidths.scrollWidth).toBeLessThanOrEqual(cardWidths.clientWidth);
        expect(await buttonsCutOff(filtered)).toEqual([]);
        await chat.screenshotCard(
          filtered,
          path.join(RESULTS_DIR, `report-card-external-${locale}-400px.png`),
        );
      } finally {
        await chat.page.setViewportSize(viewport);
        await chat.send('locale auto');
      }
    },
  );
});
