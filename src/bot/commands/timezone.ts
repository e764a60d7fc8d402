/**
 * `timezone <zone>|auto`: the zone the person's reports use, confirmed with an example time.
 * Bare `timezone` says what is in effect and where it comes from.
 */
import { escapeMarkdown } from '../../report/escape';
import { formatAccessTime } from '../../report/time';
import type { CommandContext } from '../middleware/context';
import { noticeReply } from './notice';

export type TimezoneRequest = { mode: 'set'; zone: string } | { mode: 'auto' } | { mode: 'show' };

export async function runTimezone(ctx: CommandContext, request: TimezoneRequest): Promise<void> {
  if (request.mode === 'set') await ctx.saveSettings({ timezone: request.zone });
  if (request.mode === 'auto') await ctx.saveSettings({ timezone: null });

  const { zone, locale } = await ctx.preferences();
  const example = formatAccessTime(Date.now(), zone.zone, locale);
  const title =
    request.mode === 'set'
      ? `Time zone set to ${zone.zone}`
      : request.mode === 'auto'
        ? 'Time zone follows your Webex profile'
        : `Your reports use ${zone.zone}`;
  await ctx.conversation.say(
    noticeReply({
      title,
      text: `Reports show times in **${escapeMarkdown(zone.zone)}** (${zone.phrase}). Right now that is ${escapeMarkdown(example)}.`,
    }),
  );
}
