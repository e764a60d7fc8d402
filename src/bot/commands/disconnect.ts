/** `disconnect`: forget the person's tokens, settings and everything else stored for them. */
import type { CommandContext } from '../middleware/context';
import { noticeReply } from './notice';

export async function runDisconnect(ctx: CommandContext): Promise<void> {
  const wasConnected = ctx.account !== undefined;
  // Read before the settings (and with them the locale) are deleted.
  const messages = await ctx.messages();
  const { t } = messages;
  const watching = (await ctx.watches.list()).length;
  await ctx.forget();
  const key = wasConnected ? 'disconnect.done' : 'disconnect.nothing';
  const text = [
    t(`${key}.text`),
    ...(watching > 0 ? [t('watch.disconnected', { count: watching })] : []),
  ].join(' ');
  await ctx.conversation.sayPrivately(
    noticeReply({ title: t(`${key}.title`), text }, messages),
    t('disconnect.privateNote'),
  );
}
