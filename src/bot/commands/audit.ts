/**
 * `audit <recording> [host <email>] [tz <zone>]`: reads the recording's access report with
 * the requester's own token and answers with the report card, in the requester's time zone.
 */
import { MissingScopeError, NotConnectedError } from '../../errors';
import { aggregateAccess } from '../../report/aggregate';
import { buildAuditCardData, buildAuditSummaryMarkdown } from '../../report/card-data';
import { renderCard } from '../../report/render-card';
import { resolveZone, safeLocale, type ResolvedZone } from '../../report/time';
import type { PersonSettings } from '../../store/store';
import { fetchAccessDetail } from '../../webex/recordings';
import { getMe } from '../../webex/people';
import { loadManifest } from '../manifest';
import type { Conversation, Reply } from '../replies';
import type { BotServices } from '../services';
import { askToConnect } from './connect';
import { errorReply } from './notice';

export interface AuditRequest {
  recordingId: string;
  hostEmail?: string;
  zone?: string;
}

/** How long a profile's time zone is trusted before `GET /people/me` is asked again. */
const PROFILE_TTL_MS = 24 * 60 * 60_000;

/** Runs an audit for the person in `conversation`; `text` is what they typed (kept if they must connect first). */
export async function runAudit(
  services: BotServices,
  conversation: Conversation,
  request: AuditRequest,
  text: string,
): Promise<void> {
  const personId = conversation.place.person.id;
  try {
    const scopes = await services.tokens.scopes(personId);
    if (!scopes) throw new NotConnectedError('never');
    const adminScope = loadManifest().scopes.admin[0];
    if (request.hostEmail && !scopes.includes(adminScope)) throw new MissingScopeError(adminScope);

    const reply = await buildAuditReply(services, personId, request);
    await conversation.report(reply, "I've sent you the report in a private message.");
  } catch (err) {
    if (err instanceof NotConnectedError) {
      const { room, threadId } = conversation.place;
      await askToConnect(services, conversation, {
        admin: request.hostEmail !== undefined,
        pending: { text, roomId: room.id, roomType: room.type, threadId },
      });
      return;
    }
    services.logger.warn({ err, recordingId: request.recordingId }, 'audit failed');
    await conversation.sayPrivately(
      errorReply(err, { recordingId: request.recordingId, hostEmail: request.hostEmail }),
      "I couldn't make that report; I've sent you the details privately.",
    );
  }
}

/** Fetches every access record and turns them into the card and its markdown fallback. */
export async function buildAuditReply(
  services: BotServices,
  personId: string,
  request: AuditRequest,
): Promise<Reply> {
  const settings = await services.store.getSettings(personId);
  const zone = await requesterZone(services, personId, settings, request.zone);
  const locale = safeLocale(settings.locale ?? services.config.defaultLocale);
  const records = await services.tokens.withToken(personId, (token) =>
    fetchAccessDetail(services.http, {
      token,
      recordingId: request.recordingId,
      hostEmail: request.hostEmail,
      timezone: zone.zone,
    }),
  );
  const report = aggregateAccess(records);
  const data = buildAuditCardData({
    report,
    zone,
    locale,
    recordingId: request.recordingId,
  });
  return { markdown: buildAuditSummaryMarkdown(data), card: renderCard('audit-report', data) };
}

/**
 * The zone to show times in: `tz` on the command, the person's setting, their Webex
 * profile (cached), then DEFAULT_TIMEZONE.
 */
export async function requesterZone(
  services: BotServices,
  personId: string,
  settings: PersonSettings,
  commandZone?: string,
): Promise<ResolvedZone> {
  const needsProfile = !commandZone && !settings.timezone;
  const profile = needsProfile ? await profileTimezone(services, personId) : undefined;
  return resolveZone({
    command: commandZone,
    setting: settings.timezone,
    profile,
    defaultZone: services.config.defaultTimezone,
  });
}

async function profileTimezone(
  services: BotServices,
  personId: string,
): Promise<string | undefined> {
  const cached = await services.store.getProfileTimezone(personId);
  if (cached && Date.now() - cached.fetchedAt < PROFILE_TTL_MS) return cached.timezone ?? undefined;
  try {
    const me = await services.tokens.withToken(personId, (token) => getMe(services.http, token));
    await services.store.saveProfileTimezone(personId, me.timezone ?? null, Date.now());
    return me.timezone;
  } catch (err) {
    // The profile only refines the zone; without it the default stands in.
    if (err instanceof NotConnectedError) return undefined;
    services.logger.warn({ err }, 'could not read the profile time zone');
    return cached?.timezone ?? undefined;
  }
}
