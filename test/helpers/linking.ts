/**
 * Talking to the bot as a sandbox user: ask and wait for the answers, and link an account
 * through the consent page as a person would.
 */
import { cardOf } from './card-text';
import { connectUrlOf, consent } from './consent';
import type { SandboxMessage, SandboxUser } from './stack';

/** Sends `text` to the bot 1:1 and waits for `count` answers. */
export async function ask(user: SandboxUser, text: string, count = 1): Promise<SandboxMessage[]> {
  const sent = await user.dmBot(text);
  return user.waitForBot(sent.roomId, { after: sent.id, count, timeoutMs: 15_000 });
}

/** Links `user` (with the admin scope if asked) and waits for the bot's confirmation. */
export async function link(user: SandboxUser, admin = false): Promise<void> {
  const [card] = await ask(user, admin ? 'connect admin' : 'connect');
  const result = await consent(connectUrlOf(cardOf(card)), user.id);
  if (!result.html.includes('Connected')) throw new Error(`linking failed: ${result.html}`);
  await user.waitForBot(card.roomId, { after: card.id, timeoutMs: 15_000 });
}
