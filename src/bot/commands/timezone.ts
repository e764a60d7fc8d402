/**
 * `timezone <zone>|auto`: the zone the person's reports use, confirmed with an example time.
 * Bare `timezone` says what is in effect and where it comes from.
 */
import { escapeMarkdown } from '../../report/escape';
import { formatAccessTime, safeLocale } from '../../report/time';
import type { Conversation } from '../replies';
import type { BotServices } from '../services';
import { requesterZone } from './audit';
import { noticeReply } from './notice';

export type TimezoneRequest = { mode: 'set'; zone: string } | { mode: 'auto' } | { mode: 'show' };

export async function runTimezone(
  services: BotServices,
  conversation: Conversation,
  request: TimezoneRequest,
): Promise<void> {
  const personId = conversation.place.person.id;
  if (request.mode === 'set')
    await services.store.saveSettings(personId, { timezone: request.zone });
  if (request.mode === 'auto') await services.store.saveSettings(personId, { timezone: null });

  const settings = await services.store.getSettings(personId);
  const zone = await requesterZone(services, personId, settings);
  const locale = safeLocale(settings.locale ?? services.config.defaultLocale);
  const example = formatAccessTime(Date.now(), zone.zone, locale);
  const title =
    request.mode === 'set'
      ? `Time zone set to ${zone.zone}`
      : request.mode === 'auto'
        ? 'Time zone follows your Webex profile'
        : `Your reports use ${zone.zone}`;
  await conversation.say(
    noticeReply({
      title,
      text: `Reports show times in **${escapeMarkdown(zone.zone)}** (${zone.phrase}). Right now that is ${escapeMarkdown(example)}.`,
    }),
  );
}
