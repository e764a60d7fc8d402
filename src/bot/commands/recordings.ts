/**
 * `recordings [days] [all | host <email>]`: the requester's recent recordings with their view
 * and download counts, and a picker whose Audit button runs the audit. The pipeline has
 * already checked the account and the admin scope, and answers failures.
 */
import { renderCard } from '../../cards';
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

/** What a group space is told when the list could not be made. */
export const RECORDINGS_FAILURE_NOTE =
  "I couldn't list the recordings; I've sent you the details privately.";

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
  const data = buildRecordingsCardData({
    recordings,
    days: request.days,
    zone: zone.zone,
    locale,
    host: request.host,
    requesterId: ctx.person.id,
  });
  await ctx.conversation.report(
    {
      markdown: `**${data.title}**: ${recordings.length} ${recordings.length === 1 ? 'recording' : 'recordings'}. Pick one on the card, or type **audit** and its ID.`,
      card: renderCard('recordings', data),
    },
    "I've sent you the list in a private message.",
  );
}
