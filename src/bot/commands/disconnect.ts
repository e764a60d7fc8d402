/** `disconnect`: forget the person's tokens, settings and everything else stored for them. */
import type { CommandContext } from '../middleware/context';
import { noticeReply } from './notice';

export async function runDisconnect(ctx: CommandContext): Promise<void> {
  const wasConnected = ctx.account !== undefined;
  await ctx.forget();
  await ctx.conversation.sayPrivately(
    noticeReply({
      title: wasConnected ? 'Disconnected' : 'Nothing to disconnect',
      text: wasConnected
        ? 'I deleted your Webex tokens and your settings. Type **connect** whenever you want to audit again.'
        : 'Your Webex account was not linked. I deleted any settings I had for you.',
    }),
    "I've sent you a private message.",
  );
}
