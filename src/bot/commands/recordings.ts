/**
 * `recordings [days] [host <email>|all]`: the requester's recent recordings with their view
 * and download counts, and a picker whose Audit button runs the audit.
 */
import { MissingScopeError, NotConnectedError } from '../../errors';
import { renderCard } from '../../cards';
import {
  buildRecordingsCardData,
  summaryWindows,
  type RecordingSummary,
} from '../../report/recordings';
import { safeLocale } from '../../report/time';
import { fetchAccessSummary } from '../../webex/recordings';
import { loadManifest } from '../manifest';
import type { Conversation } from '../replies';
import type { BotServices } from '../services';
import { requesterZone } from './audit';
import { askToConnect } from './connect';
import { errorReply } from './notice';

export interface RecordingsRequest {
  days: number;
  host?: string;
}

export async function runRecordings(
  services: BotServices,
  conversation: Conversation,
  request: RecordingsRequest,
  text: string,
): Promise<void> {
  const personId = conversation.place.person.id;
  try {
    const scopes = await services.tokens.scopes(personId);
    if (!scopes) throw new NotConnectedError('never');
    const adminScope = loadManifest().scopes.admin[0];
    if (request.host && !scopes.includes(adminScope)) throw new MissingScopeError(adminScope);

    const settings = await services.store.getSettings(personId);
    const zone = await requesterZone(services, personId, settings);
    const locale = safeLocale(settings.locale ?? services.config.defaultLocale);
    const recordings: RecordingSummary[] = [];
    for (const window of summaryWindows(Date.now(), request.days)) {
      const items = await services.tokens.withToken(personId, (token) =>
        fetchAccessSummary(services.http, {
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
      requesterId: personId,
    });
    await conversation.report(
      {
        markdown: `**${data.title}**: ${recordings.length} ${recordings.length === 1 ? 'recording' : 'recordings'}. Pick one on the card, or type **audit** and its ID.`,
        card: renderCard('recordings', data),
      },
      "I've sent you the list in a private message.",
    );
  } catch (err) {
    if (err instanceof NotConnectedError) {
      const { room, threadId } = conversation.place;
      await askToConnect(services, conversation, {
        admin: request.host !== undefined,
        pending: { text, roomId: room.id, roomType: room.type, threadId },
      });
      return;
    }
    services.logger.warn({ err }, 'recordings list failed');
    await conversation.sayPrivately(
      errorReply(err, { hostEmail: request.host }),
      "I couldn't list the recordings; I've sent you the details privately.",
    );
  }
}
