/**
 * `audit <recording> [host <email>] [tz <zone>]` and the report card's buttons: reads the
 * recording's access report with the requester's own token and answers with the report card,
 * in the requester's time zone. The pipeline has already checked the account and the admin
 * scope, and answers failures (see ../middleware/steps.ts).
 */
import { aggregateAccess } from '../../report/aggregate';
import { buildAuditCardData, buildAuditSummaryMarkdown } from '../../report/card-data';
import type { ReportAction, ReportView } from '../../report/card-actions';
import { accessCsv, csvFileName } from '../../report/csv';
import { escapeMarkdown } from '../../report/escape';
import { renderCard } from '../../cards';
import { translatorFor } from '../../locales';
import type { ResolvedZone } from '../../report/time';
import type { AccessRecord } from '../../report/types';
import { fetchAccessDetail } from '../../webex/recordings';
import type { CommandContext } from '../middleware/context';
import type { Reply } from '../replies';
import { noticeReply } from './notice';

export interface AuditRequest {
  recordingId: string;
  hostEmail?: string;
  zone?: string;
}

/** What a group space is told (a message key) when a report could not be made. */
export const AUDIT_FAILURE_NOTE = 'audit.failureNote';

/** The `audit` command. */
export async function runAudit(ctx: CommandContext, request: AuditRequest): Promise<void> {
  const view: ReportView = {
    recordingId: request.recordingId,
    hostEmail: request.hostEmail,
    tz: request.zone,
    filter: 'everyone',
    page: 1,
    requesterId: ctx.person.id,
  };
  const reply = await reportReply(ctx, view, { fresh: true });
  await ctx.conversation.report(reply, (await ctx.messages()).t('audit.privateNote'));
}

/**
 * A report card's button (the clicker is already known to be the requester): another page or
 * filter, a refresh, or the CSV export. Answers where the card was.
 */
export async function runReportAction(ctx: CommandContext, action: ReportAction): Promise<void> {
  const { action: kind, ...view } = action;
  if (kind === 'audit.export') {
    await sendCsv(ctx, view);
    return;
  }
  const reply = await reportReply(ctx, view, { fresh: kind === 'audit.refresh' });
  // A card clicked in a group space follows GROUP_REPLY like the command did.
  await ctx.conversation.report(reply, (await ctx.messages()).t('audit.privateNote'));
}

/** The report card for one view of a recording, with its markdown fallback. */
async function reportReply(
  ctx: CommandContext,
  view: ReportView,
  options: { fresh: boolean },
): Promise<Reply> {
  const { records, zone, locale } = await loadReport(ctx, view, options);
  const report = aggregateAccess(records);
  const messages = translatorFor(locale);
  const data = buildAuditCardData({ report, zone, locale, messages, ...view });
  return { markdown: buildAuditSummaryMarkdown(data), card: renderCard('audit-report', data) };
}

/** The records of a view (from the cache unless `fresh`), and how to show their times. */
async function loadReport(
  ctx: CommandContext,
  view: ReportView,
  options: { fresh: boolean },
): Promise<{ records: AccessRecord[]; zone: ResolvedZone; locale: string }> {
  const { zone, locale } = await ctx.preferences(view.tz);
  const key = { recordingId: view.recordingId, hostEmail: view.hostEmail, zone: zone.zone };
  let records = options.fresh ? undefined : ctx.recordsCache.get(key);
  if (!records) {
    records = await ctx.asPerson((http, token) =>
      fetchAccessDetail(http, {
        token,
        recordingId: view.recordingId,
        hostEmail: view.hostEmail,
        timezone: zone.zone,
      }),
    );
    ctx.recordsCache.set(key, records);
  }
  return { records, zone, locale };
}

/** Uploads every access record as a CSV file, to the requester only. */
async function sendCsv(ctx: CommandContext, view: ReportView): Promise<void> {
  const { records, zone, locale } = await loadReport(ctx, view, { fresh: false });
  const { t } = translatorFor(locale);
  const chunks: Buffer[] = [];
  for await (const chunk of accessCsv(records, zone.zone)) chunks.push(Buffer.from(chunk));
  const topic = records[0]?.topic ?? '';
  const details = { count: records.length, zone: escapeMarkdown(zone.zone) };
  await ctx.conversation.sendFilePrivately({
    filename: csvFileName(view.recordingId, Date.now(), zone.zone),
    contentType: 'text/csv',
    data: Buffer.concat(chunks),
    markdown: topic
      ? t('csv.message', { ...details, topic: escapeMarkdown(topic, { maxLength: 200 }) })
      : t('csv.messageNoTopic', details),
  });
  if (ctx.conversation.isGroup) {
    await ctx.conversation.say(
      noticeReply({ title: t('csv.sent.title'), text: t('csv.sent.text') }, translatorFor(locale)),
    );
  }
}
