/**
 * `locale <tag>|auto` and `settings`: how the person's reports are written, and where each
 * value in effect comes from.
 */
import { escapeMarkdown } from '../../report/escape';
import { formatAccessTime, safeLocale } from '../../report/time';
import type { Conversation } from '../replies';
import type { BotServices } from '../services';
import { requesterZone } from './audit';
import { noticeReply } from './notice';

export type LocaleRequest = { mode: 'set'; locale: string } | { mode: 'auto' } | { mode: 'show' };

export async function runLocale(
  services: BotServices,
  conversation: Conversation,
  request: LocaleRequest,
): Promise<void> {
  const personId = conversation.place.person.id;
  if (request.mode === 'set')
    await services.store.saveSettings(personId, { locale: request.locale });
  if (request.mode === 'auto') await services.store.saveSettings(personId, { locale: null });
  const settings = await services.store.getSettings(personId);
  const zone = await requesterZone(services, personId, settings);
  const locale = safeLocale(settings.locale ?? services.config.defaultLocale);
  const example = formatAccessTime(Date.now(), zone.zone, locale);
  await conversation.say(
    noticeReply({
      title: request.mode === 'set' ? `Locale set to ${locale}` : `Your reports use ${locale}`,
      text: `Dates and numbers are written for **${escapeMarkdown(locale)}** (${settings.locale ? 'from your settings' : "the bot's default"}). Right now is ${escapeMarkdown(example)}.`,
    }),
  );
}

export async function runSettings(
  services: BotServices,
  conversation: Conversation,
): Promise<void> {
  const personId = conversation.place.person.id;
  const settings = await services.store.getSettings(personId);
  const zone = await requesterZone(services, personId, settings);
  const locale = safeLocale(settings.locale ?? services.config.defaultLocale);
  const scopes = await services.tokens.scopes(personId);
  const account = scopes
    ? `linked${scopes.some((s) => s.includes('admin')) ? ', with admin access' : ''}`
    : 'not linked (type **connect**)';
  await conversation.sayPrivately(
    noticeReply({
      title: 'Your settings',
      text: [
        `Time zone: **${escapeMarkdown(zone.zone)}** (${zone.phrase}); change with **timezone** *zone* or **timezone auto**.`,
        `Locale: **${escapeMarkdown(locale)}** (${settings.locale ? 'from your settings' : "the bot's default"}); change with **locale** *tag* or **locale auto**.`,
        `Webex account: ${account}.`,
        `Example time: ${escapeMarkdown(formatAccessTime(Date.now(), zone.zone, locale))}.`,
      ].join('\n\n'),
    }),
    "I've sent you your settings privately.",
  );
}
