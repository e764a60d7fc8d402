/** Talking to the bot as a sandbox user, one question at a time. */
import type { SandboxMessage, SandboxUser } from './stack';

/** Sends `text` to the bot 1:1 and waits for `count` answers. */
export async function ask(user: SandboxUser, text: string, count = 1): Promise<SandboxMessage[]> {
  const sent = await user.dmBot(text);
  return user.waitForBot(sent.roomId, { after: sent.id, count, timeoutMs: 15_000 });
}
