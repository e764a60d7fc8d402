/**
 * A slow audit on the chat page: with Webex's report pages slowed to ~200 ms, auditing the
 * 2,500-record recording shows the bot's progress message, and once the report card is
 * there the progress message is gone from the page (and from the space).
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import type { TestStack } from '../helpers/stack';
import { ChatPage, visibleText } from './helpers/chat-page';
import { openChatSession } from './helpers/chat-session';
import { connectOverApi, progressMessage } from './helpers/chat-layout';

const HOST = 'host@example.com';
/** Every page of the access report takes this long, as Webex does on a busy day. */
const SLOW_PAGES = { route: 'GET /v1/recordingReport/accessDetail', latencyMs: 200 };

let stack: TestStack;
let close: (() => Promise<void>) | undefined;
let chat: ChatPage;

beforeAll(async () => {
  ({ stack, chat, close } = await openChatSession((started) => connectOverApi(started.user(HOST))));
}, 60_000);

afterAll(() => close?.());

it('shows the progress message on a slow audit and removes it once the card is there', async () => {
  stack.running.sandbox.faults.set(SLOW_PAGES);
  await chat.actAs(HOST);
  await chat.openSpace('Recording Audit');
  await chat.send(`audit ${SEED_RECORDING_IDS.allHands}`);

  const progress = await progressMessage(chat);
  expect(await visibleText(progress)).toMatch(/Reading the access report…/);
  expect(await progress.locator('.card').count()).toBe(0);
  const progressId = await progress.getAttribute('data-id');

  const report = await chat.botCard('All-hands Q3');
  expect(await visibleText(report)).toMatch(/2,500/);
  await chat.page.locator(`.message[data-id="${progressId}"]`).waitFor({ state: 'detached' });
  expect(await chat.page.getByText('Reading the access report').count()).toBe(0);
  const gone = await stack.user(HOST).api.get(`/messages/${progressId}`);
  expect(gone.status).toBe(404);
}, 60_000);
