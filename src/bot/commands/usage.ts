/**
 * `usage [days]`: the bot's usage log (every audit, export, watch and digest request in the
 * organisation) as a CSV file, for admins only (connected with `connect admin`). Sent
 * privately; a group space gets a short note.
 */
import { MissingScopeError } from '../../errors';
import { translatorFor } from '../../locales';
import { escapeMarkdown } from '../../report/escape';
import { usageCsv, usageCsvFileName } from '../../report/usage-csv';
import { loadManifest } from '../manifest';
import type { CommandContext } from '../middleware/context';
import { USAGE_MAX_ROWS } from '../usage-log';
import { noticeReply } from './notice';

/** What a group space is told (a message key) when the log could not be sent. */
export const USAGE_FAILURE_NOTE = 'usage.failureNote';

export async function runUsage(ctx: CommandContext, request: { days: number }): Promise<void> {
  // It is the organisation's record, not the person's: only admins read it.
  if (!ctx.account?.admin) throw new MissingScopeError(loadManifest().scopes.admin[0], 'usage');
  const { zone, locale } = await ctx.preferences();
  const messages = translatorFor(locale);
  const { t } = messages;
  const recent = await ctx.usageLog.recent(request.days);
  const chunks: Buffer[] = [];
  for await (const chunk of usageCsv(recent.entries, zone.zone)) chunks.push(Buffer.from(chunk));
  const lines = [
    t('usage.message', {
      days: recent.days,
      count: recent.entries.length,
      zone: escapeMarkdown(zone.zone),
    }),
    ...(recent.capped
      ? [t('usage.capped', { retention: ctx.usageLog.retentionDays, asked: request.days })]
      : []),
    ...(recent.truncated ? [t('usage.truncated', { max: USAGE_MAX_ROWS })] : []),
  ];
  await ctx.conversation.sendFilePrivately({
    filename: usageCsvFileName(recent.now, zone.zone, recent.days),
    contentType: 'text/csv',
    data: Buffer.concat(chunks),
    markdown: lines.join(' '),
  });
  if (ctx.conversation.isGroup) {
    await ctx.conversation.say(
      noticeReply({ title: t('usage.sent.title'), text: t('usage.sent.text') }, messages),
    );
  }
}
