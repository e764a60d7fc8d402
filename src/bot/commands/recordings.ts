/**
 * `recordings [days] [all | host <email>]`: the requester's recent recordings with their view
 * and download counts, and a picker whose Audit button runs the audit. The pipeline has
 * already checked the account and the admin scope, and answers failures.
 */
import { renderCard } from '../../cards';
import { translatorFor } from '../../locales';
import {
  buildRecordingsCardData,
  summaryWindows,
  type RecordingSummary,
} from '../../report/recordings';
import { fetchAccessSummary } from '../../webex/recordings';
import type { CommandContext } from '../middleware/context';

export interface RecordingsRequest {
  days: number;
  host?: string;
}

/** What a group space is told (a message key) when the list could not be made. */
export const RECORDINGS_FAILURE_NOTE = 'recordings.failureNote';

export async function runRecordings(
  ctx: CommandContext,
  request: RecordingsRequest,
): Promise<void> {
  const { zone, locale } = await ctx.preferences();
  const recordings: RecordingSummary[] = [];
  for (const window of summaryWindows(Date.now(), request.days)) {
    const items = await ctx.asPerson((http, token) =>
      fetchAccessSummary(http, {
        token,
        from: window.from,
        to: window.to,
        hostEmail: request.host,
        timezone: zone.zone,
      }),
    );
    recordings.push(...items);
  }
  const messages = translatorFor(locale);
  const data = buildRecordingsCardData({
    messages,
    recordings,
    days: request.days,
    zone: zone.zone,
    locale,
    host: request.host,
    requesterId: ctx.person.id,
  });
  await ctx.conversation.report(
    {
      markdown: messages.t('recordings.markdown', {
        title: data.title,
        count: recordings.length,
      }),
      card: renderCard('recordings', data),
    },
    messages.t('recordings.privateNote'),
  );
}
