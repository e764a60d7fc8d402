/**
 * `locale <tag>|auto` and `settings`: how the person's reports are written, and where each
 * value in effect comes from.
 */
import { escapeMarkdown } from '../../report/escape';
import { formatAccessTime } from '../../report/time';
import type { AccountStatus, CommandContext } from '../middleware/context';
import { noticeReply } from './notice';

export type LocaleRequest = { mode: 'set'; locale: string } | { mode: 'auto' } | { mode: 'show' };

export async function runLocale(ctx: CommandContext, request: LocaleRequest): Promise<void> {
  if (request.mode === 'set') await ctx.saveSettings({ locale: request.locale });
  if (request.mode === 'auto') await ctx.saveSettings({ locale: null });
  const { zone, locale, localeFromSettings } = await ctx.preferences();
  const example = formatAccessTime(Date.now(), zone.zone, locale);
  await ctx.conversation.say(
    noticeReply({
      title: request.mode === 'set' ? `Locale set to ${locale}` : `Your reports use ${locale}`,
      text: `Dates and numbers are written for **${escapeMarkdown(locale)}** (${localeFromSettings ? 'from your settings' : "the bot's default"}). Right now is ${escapeMarkdown(example)}.`,
    }),
  );
}

export async function runSettings(ctx: CommandContext): Promise<void> {
  const [{ zone, locale, localeFromSettings }, account] = await Promise.all([
    ctx.preferences(),
    ctx.checkAccount(),
  ]);
  await ctx.conversation.sayPrivately(
    noticeReply({
      title: 'Your settings',
      text: [
        `Time zone: **${escapeMarkdown(zone.zone)}** (${zone.phrase}); change with **timezone** *zone* or **timezone auto**.`,
        `Locale: **${escapeMarkdown(locale)}** (${localeFromSettings ? 'from your settings' : "the bot's default"}); change with **locale** *tag* or **locale auto**.`,
        `Webex account: ${accountLine(account)}.`,
        `Example time: ${escapeMarkdown(formatAccessTime(Date.now(), zone.zone, locale))}.`,
      ].join('\n\n'),
    }),
    "I've sent you your settings privately.",
  );
}

function accountLine(status: AccountStatus): string {
  switch (status.state) {
    case 'not-linked':
      return 'not linked (type **connect**)';
    case 'needs-reconnecting':
      return 'needs reconnecting: the stored link no longer works with Webex (type **connect**)';
    case 'linked':
      return `linked${status.admin ? ', with admin access' : ''}`;
    case 'unchecked':
      return `linked${status.admin ? ', with admin access' : ''} (Webex could not be asked just now whether it still works)`;
  }
}
