/**
 * One browser test file's world: the product as `npm start` runs it (sandbox + bot), the
 * machine's Chromium, and the chat page open in it.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startStack, type TestStack } from '../../helpers/stack';
import { ChatPage } from './chat-page';
import { launchChromium } from './chromium';

/** Where tests leave screenshots for a person to look at (ignored by git). */
export const RESULTS_DIR = path.resolve(__dirname, '../../../test-results');

export interface ChatSession {
  stack: TestStack;
  chat: ChatPage;
  close(): Promise<void>;
}

/**
 * `beforeOpen` runs once the stack is up and before the page opens (e.g. linking an account
 * over the API).
 * @example beforeAll(async () => ({ stack, chat, close } = await openChatSession()));
 */
export async function openChatSession(
  beforeOpen?: (stack: TestStack) => Promise<void>,
): Promise<ChatSession> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const stack = await startStack();
  try {
    await beforeOpen?.(stack);
    const browser = await launchChromium();
    const chat = await ChatPage.open(browser.context, stack.file.chatUrl).catch(
      async (err: unknown) => {
        await browser.close();
        throw err;
      },
    );
    return {
      stack,
      chat,
      close: async () => {
        await browser.close();
        await stack.close();
      },
    };
  } catch (err) {
    await stack.close();
    throw err;
  }
}
