/**
 * `audit <recording> [host <email>] [tz <zone>]` and the report card's buttons: reads the
 * recording's access report with the requester's own token and answers with the report card,
 * in the requester's time zone.
 */
import { MissingScopeError, NotConnectedError } from '../../errors';
import { aggregateAccess } from '../../report/aggregate';
import { buildAuditCardData, buildAuditSummaryMarkdown } from '../../report/card-data';
import { accessCsv, csvFileName } from '../../report/csv';
import { escapeMarkdown } from '../../report/escape';
import { renderCard } from '../../cards';
import { resolveZone, safeLocale, type ResolvedZone } from '../../report/time';
import type { AccessRecord } from '../../report/types';
import type { PersonSettings } from '../../store/store';
import { getMe } from '../../webex/people';
import { fetchAccessDetail } from '../../webex/recordings';
import type { ReportAction, ReportView } from '../../report/card-actions';
import { loadManifest } from '../manifest';
import type { Conversation, Reply } from '../replies';
import type { BotServices } from '../services';
import { askToConnect } from './connect';
import { errorReply, noticeReply } from './notice';

export interface AuditRequest {
  recordingId: string;
  hostEmail?: string;
  zone?: string;
}

/** How long a profile's time zone is trusted before `GET /people/me` is asked again. */
const PROFILE_TTL_MS = 24 * 60 * 60_000;
const PRIVATE_NOTE = "I've sent you the report in a private message.";

/** The `audit` command; `text` is what the person typed (run again if they must connect first). */
export async function runAudit(
  services: BotServices,
  conversation: Conversation,
  request: AuditRequest,
  text: string,
): Promise<void> {
  const view: ReportView = {
    recordingId: request.recordingId,
    hostEmail: request.hostEmail,
    tz: request.zone,
    filter: 'everyone',
    page: 1,
    requesterId: conversation.place.person.id,
  };
  await answerSafely(
    services,
    conversation,
    view,
    async () => {
      const reply = await reportReply(services, view, { fresh: true });
      await conversation.report(reply, PRIVATE_NOTE);
    },
    text,
  );
}

/**
 * A report card's button (the clicker is already known to be the requester): another page or
 * filter, a refresh, or the CSV export. Answers where the card was.
 */
export async function runReportAction(
  services: BotServices,
  conversation: Conversation,
  action: ReportAction,
): Promise<void> {
  const { action: kind, ...view } = action;
  await answerSafely(services, conversation, view, async () => {
    if (kind === 'audit.export') {
      await sendCsv(services, conversation, view);
      return;
    }
    const reply = await reportReply(services, view, { fresh: kind === 'audit.refresh' });
    // A card clicked in a group space follows GROUP_REPLY like the command did.
    await conversation.report(reply, PRIVATE_NOTE);
  });
}

/** Turns every failure into a private, friendly answer; a missing link starts linking. */
async function answerSafely(
  services: BotServices,
  conversation: Conversation,
  view: ReportView,
  work: () => Promise<void>,
  pendingText?: string,
): Promise<void> {
  try {
    const scopes = await services.tokens.scopes(view.requesterId);
    if (!scopes) throw new NotConnectedError('never');
    const adminScope = loadManifest().scopes.admin[0];
    if (view.hostEmail && !scopes.includes(adminScope)) throw new MissingScopeError(adminScope);
    await work();
  } catch (err) {
    if (err instanceof NotConnectedError) {
      const { room, threadId } = conversation.place;
      await askToConnect(services, conversation, {
        admin: view.hostEmail !== undefined,
        pending: pendingText
          ? { text: pendingText, roomId: room.id, roomType: room.type, threadId }
          : undefined,
      });
      return;
    }
    services.logger.warn({ err, recordingId: view.recordingId }, 'audit failed');
    await conversation.sayPrivately(
      errorReply(err, { recordingId: view.recordingId, hostEmail: view.hostEmail }),
      "I couldn't make that report; I've sent you the details privately.",
    );
  }
}

/** The report card for one view of a recording, with its markdown fallback. */
async function reportReply(
  services: BotServices,
  view: ReportView,
  options: { fresh: boolean },
): Promise<Reply> {
  const { records, zone, locale } = await loadReport(services, view, options);
  const report = aggregateAccess(records);
  const data = buildAuditCardData({
    report,
    zone,
    locale,
    ...view,
  });
  return { markdown: buildAuditSummaryMarkdown(data), card: renderCard('audit-report', data) };
}

/** The records of a view (from the cache unless `fresh`), and how to show their times. */
async function loadReport(
  services: BotServices,
  view: ReportView,
  options: { fresh: boolean },
): Promise<{ records: AccessRecord[]; zone: ResolvedZone; locale: string }> {
  const settings = await services.store.getSettings(view.requesterId);
  const zone = await requesterZone(services, view.requesterId, settings, view.tz);
  const locale = safeLocale(settings.locale ?? services.config.defaultLocale);
  const key = { ...view, zone: zone.zone };
  let records = options.fresh ? undefined : services.recordsCache.get(key);
  if (!records) {
    records = await services.tokens.withToken(view.requesterId, (token) =>
      fetchAccessDetail(services.http, {
        token,
        recordingId: view.recordingId,
        hostEmail: view.hostEmail,
        timezone: zone.zone,
      }),
    );
    services.recordsCache.set(key, records);
  }
  return { records, zone, locale };
}

/** Uploads every access record as a CSV file, to the requester only. */
async function sendCsv(
  services: BotServices,
  conversation: Conversation,
  view: ReportView,
): Promise<void> {
  const { records, zone } = await loadReport(services, view, { fresh: false });
  const chunks: Buffer[] = [];
  for await (const chunk of accessCsv(records, zone.zone)) chunks.push(Buffer.from(chunk));
  const topic = records[0]?.topic ?? '';
  const rows = new Intl.NumberFormat('en-US').format(records.length);
  await conversation.sendFilePrivately({
    filename: csvFileName(view.recordingId, Date.now(), zone.zone),
    contentType: 'text/csv',
    data: Buffer.concat(chunks),
    markdown: `CSV export${topic ? ` of **${escapeMarkdown(topic, { maxLength: 200 })}**` : ''}: ${rows} access ${records.length === 1 ? 'row' : 'rows'}, one per view or download, times in ${escapeMarkdown(zone.zone)} and UTC.`,
  });
  if (conversation.isGroup) {
    await conversation.say(
      noticeReply({ title: 'CSV sent', text: "I've sent you the CSV in a private message." }),
    );
  }
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
