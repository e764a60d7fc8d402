/**
 * `timezone <zone>|auto`: the zone the person's reports use, confirmed with an example time.
 * Bare `timezone` says what is in effect and where it comes from.
 */
import { escapeMarkdown } from '../../report/escape';
import { translatorFor } from '../../locales';
import { formatAccessTime } from '../../report/time';
import type { CommandContext } from '../middleware/context';
import { noticeReply } from './notice';

export type TimezoneRequest = { mode: 'set'; zone: string } | { mode: 'auto' } | { mode: 'show' };

export async function runTimezone(ctx: CommandContext, request: TimezoneRequest): Promise<void> {
  if (request.mode === 'set') await ctx.saveSettings({ timezone: request.zone });
  if (request.mode === 'auto') await ctx.saveSettings({ timezone: null });

  const { zone, locale } = await ctx.preferences();
  // A weekly digest comes at Monday 09:00 in the zone now in effect.
  if (request.mode !== 'show') await ctx.digest.follow(zone.zone);
  const messages = translatorFor(locale);
  const { t } = messages;
  const example = formatAccessTime(Date.now(), zone.zone, locale);
  await ctx.conversation.say(
    noticeReply(
      {
        title: t(`timezone.${request.mode}.title`, { zone: zone.zone }),
        text: t('timezone.text', {
          zone: escapeMarkdown(zone.zone),
          source: t(`zone.from.${zone.source}`),
          example: escapeMarkdown(example),
        }),
      },
      messages,
    ),
  );
}
