/**
 * `locale <tag>|auto` and `settings`: how the person's reports are written, and where each
 * value in effect comes from.
 */
import { translatorFor } from '../../locales';
import { escapeMarkdown } from '../../report/escape';
import type { Translator } from '../../report/i18n';
import { formatAccessTime } from '../../report/time';
import type { AccountStatus, CommandContext } from '../middleware/context';
import { noticeReply } from './notice';

export type LocaleRequest = { mode: 'set'; locale: string } | { mode: 'auto' } | { mode: 'show' };

export async function runLocale(ctx: CommandContext, request: LocaleRequest): Promise<void> {
  if (request.mode === 'set') await ctx.saveSettings({ locale: request.locale });
  if (request.mode === 'auto') await ctx.saveSettings({ locale: null });
  const { zone, locale, localeFromSettings } = await ctx.preferences();
  // Answered in the language just chosen.
  const messages = translatorFor(locale);
  const { t } = messages;
  const example = formatAccessTime(Date.now(), zone.zone, locale);
  await ctx.conversation.say(
    noticeReply(
      {
        title: t(request.mode === 'set' ? 'locale.set.title' : 'locale.show.title', { locale }),
        text: t('locale.text', {
          locale: escapeMarkdown(locale),
          source: t(localeFromSettings ? 'zone.from.setting' : 'zone.from.default'),
          example: escapeMarkdown(example),
        }),
      },
      messages,
    ),
  );
}

export async function runSettings(ctx: CommandContext): Promise<void> {
  const [{ zone, locale, localeFromSettings }, account] = await Promise.all([
    ctx.preferences(),
    ctx.checkAccount(),
  ]);
  const messages = translatorFor(locale);
  const { t } = messages;
  await ctx.conversation.sayPrivately(
    noticeReply(
      {
        title: t('settings.title'),
        text: [
          t('settings.zone', {
            zone: escapeMarkdown(zone.zone),
            source: t(`zone.from.${zone.source}`),
          }),
          t('settings.locale', {
            locale: escapeMarkdown(locale),
            source: t(localeFromSettings ? 'zone.from.setting' : 'zone.from.default'),
          }),
          t('settings.account', { status: accountLine(account, messages) }),
          t('settings.example', {
            example: escapeMarkdown(formatAccessTime(Date.now(), zone.zone, locale)),
          }),
        ].join('\n\n'),
      },
      messages,
    ),
    t('settings.privateNote'),
  );
}

function accountLine(status: AccountStatus, { t }: Translator): string {
  switch (status.state) {
    case 'not-linked':
      return t('settings.account.notLinked');
    case 'needs-reconnecting':
      return t('settings.account.needsReconnecting');
    case 'linked':
      return t(status.admin ? 'settings.account.linkedAdmin' : 'settings.account.linked');
    case 'unchecked':
      return t(status.admin ? 'settings.account.uncheckedAdmin' : 'settings.account.unchecked');
  }
}
