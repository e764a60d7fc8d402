/**
 * `audit <recording> [host <email>] [tz <zone>]` and the report card's buttons: reads the
 * recording's access report with the requester's own token and answers with the report card,
 * in the requester's time zone. The pipeline has already checked the account and the admin
 * scope, and answers failures (see ../middleware/steps.ts), except where a long audit's
 * progress message stands: that message becomes the answer (see ./progress.ts).
 */
import { aggregateAccess, filterRecords } from '../../report/aggregate';
import { buildAuditCardData, buildAuditSummaryMarkdown } from '../../report/card-data';
import { isReportCardFor, type ReportAction, type ReportView } from '../../report/card-actions';
import { accessCsv, csvFileName } from '../../report/csv';
import { externalTest } from '../../report/organisation';
import { escapeMarkdown } from '../../report/escape';
import { renderCard } from '../../cards';
import { NotConnectedError, failureSummary, logFailure } from '../../errors';
import { translatorFor } from '../../locales';
import type { ResolvedZone } from '../../report/time';
import type { AccessRecord } from '../../report/types';
import type { PostedMessage, SentMessage } from '../../webex/messages';
import { fetchAccessDetail } from '../../webex/recordings';
import type { CommandContext } from '../middleware/context';
import type { Conversation, Reply } from '../replies';
import { errorReply, noticeReply } from './notice';
import { AuditProgress, type ProgressOutlet } from './progress';

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
  await answerWithReport(ctx, view, { fresh: true });
}

/**
 * A report card's button (the clicker is already known to be the requester): another page or
 * filter, a refresh, or the CSV export. `clickedMessageId` is the message carrying the card:
 * a new view replaces it, so a report stays one message however much it is paged.
 */
export async function runReportAction(
  ctx: CommandContext,
  action: ReportAction,
  clickedMessageId: string,
): Promise<void> {
  const { action: kind, ...view } = action;
  if (kind === 'audit.export') {
    await sendCsv(ctx, view);
    return;
  }
  // A card clicked in a group space follows GROUP_REPLY like the command did.
  await answerWithReport(ctx, view, {
    fresh: kind === 'audit.refresh',
    replaces: clickedMessageId,
  });
}

/** Where the progress message goes: where the report will (privately under GROUP_REPLY=dm). */
function progressOutlet(conversation: Conversation): ProgressOutlet {
  return {
    post: (markdown) => conversation.sayWhereReportGoes({ markdown }),
    edit: (message, markdown) => conversation.edit(message, markdown),
    remove: (messageId) => conversation.remove(messageId),
  };
}

/**
 * Makes and posts the report; a long one shows progress meanwhile, removed once the card is
 * posted. On failure the progress message, if shown, becomes the answer; otherwise the
 * pipeline answers as usual.
 */
async function answerWithReport(
  ctx: CommandContext,
  view: ReportView,
  options: { fresh: boolean; replaces?: string },
): Promise<void> {
  const progress = new AuditProgress({
    outlet: progressOutlet(ctx.conversation),
    logger: ctx.logger,
  });
  // Read while the report is made; a failed report leaves the old card as it was.
  const previous = options.replaces ? replaceableCard(ctx, view, options.replaces) : undefined;
  let reply: Reply;
  try {
    reply = await reportReply(ctx, view, { ...options, progress });
  } catch (err) {
    if (!(err instanceof NotConnectedError) && (await failInPlace(ctx, progress, view, err))) {
      return;
    }
    await progress.finish();
    throw err;
  }
  const old = await previous;
  let sent: SentMessage;
  try {
    sent = await ctx.conversation.report(reply, (await ctx.messages()).t('audit.privateNote'), {
      // The new card takes the old one's place in its thread of the space.
      threadId: old?.roomId === ctx.place.room.id ? old.parentId : undefined,
    });
  } finally {
    // Gone either way: after a failed post the event may be tried again from the start.
    await progress.finish();
  }
  if (old) await removeReplaced(ctx, old, sent);
}

/**
 * The clicked message, when it is the bot's own report card for this person and recording:
 * the one message a new view may delete. Undefined when it cannot be read (then it stays).
 */
async function replaceableCard(
  ctx: CommandContext,
  view: ReportView,
  messageId: string,
): Promise<PostedMessage | undefined> {
  try {
    const message = await ctx.conversation.read(messageId);
    const card = message.attachments?.[0]?.content;
    return isReportCardFor(card, ctx.person.id, view.recordingId) ? message : undefined;
  } catch (err) {
    ctx.logger.info({ messageId, failure: failureSummary(err) }, 'clicked card not read; kept');
    return undefined;
  }
}

/**
 * Deletes the card the new one replaces, if both are the bot's in the same space. The new card
 * is posted already: a failed delete is only logged, and the event is done (not tried again).
 */
async function removeReplaced(
  ctx: CommandContext,
  old: PostedMessage,
  sent: SentMessage,
): Promise<void> {
  const sameAuthor = old.personId !== undefined && old.personId === sent.personId;
  if (!sameAuthor || old.roomId !== sent.roomId || old.id === sent.id) return;
  try {
    await ctx.conversation.remove(old.id);
  } catch (err) {
    ctx.logger.warn(
      { messageId: old.id, failure: failureSummary(err) },
      'replaced report card not deleted; the new one stands',
    );
  }
}

/**
 * Turns the progress message into the failure answer, keeping the pipeline's rule that error
 * details go to the person alone: a progress message in a group space becomes the short note
 * and the details go privately. False when no progress message was shown.
 */
async function failInPlace(
  ctx: CommandContext,
  progress: AuditProgress,
  view: ReportView,
  err: unknown,
): Promise<boolean> {
  const messages = await ctx.messages();
  const explain = {
    recordingId: view.recordingId,
    hostEmail: view.hostEmail,
    ...ctx.about,
    command: 'audit',
  };
  const error = errorReply(err, explain, messages);
  const note = messages.t(AUDIT_FAILURE_NOTE);
  const { conversation } = ctx;
  const progressIsPrivate = !conversation.isGroup || conversation.reportsPrivately;
  if (!(await progress.fail(progressIsPrivate ? error.markdown : note))) return false;
  ctx.handledFailure = err;
  logFailure(ctx.logger, err, 'command failed for the person', { command: 'audit' });
  if (!progressIsPrivate) await conversation.sayPrivately(error);
  else if (conversation.isGroup) await conversation.say({ markdown: note });
  return true;
}

/** The report card for one view of a recording, with its markdown fallback. */
async function reportReply(
  ctx: CommandContext,
  view: ReportView,
  options: { fresh: boolean; progress?: AuditProgress },
): Promise<Reply> {
  const { records, zone, locale } = await loadReport(ctx, view, options);
  const report = aggregateAccess(records);
  const messages = translatorFor(locale);
  const data = buildAuditCardData({
    report,
    zone,
    locale,
    messages,
    ...view,
    organisation: organisationOf(ctx),
  });
  return { markdown: buildAuditSummaryMarkdown(data), card: renderCard('audit-report', data) };
}

/** The records of a view (from the cache unless `fresh`), and how to show their times. */
async function loadReport(
  ctx: CommandContext,
  view: ReportView,
  options: { fresh: boolean; progress?: AuditProgress },
): Promise<{ records: AccessRecord[]; zone: ResolvedZone; locale: string }> {
  const { zone, locale } = await ctx.preferences(view.tz);
  const key = { recordingId: view.recordingId, hostEmail: view.hostEmail, zone: zone.zone };
  const cached = ctx.recordsCache.get(key);
  // A failure reply names the recording by its topic once any record has told it.
  const learnTopic = (records: readonly AccessRecord[]) => {
    const topic = records.find((r) => r.topic.trim())?.topic;
    if (topic && !ctx.about.topic) ctx.about.topic = topic;
  };
  if (cached) learnTopic(cached);
  let records = options.fresh ? undefined : cached;
  if (!records) {
    const { progress } = options;
    progress?.start(locale);
    records = await ctx.asPerson((http, token) =>
      fetchAccessDetail(http, {
        token,
        recordingId: view.recordingId,
        hostEmail: view.hostEmail,
        timezone: zone.zone,
        onPage: (readSoFar, page) => {
          learnTopic(page);
          progress?.read(readSoFar);
        },
      }),
    );
    ctx.recordsCache.set(key, records);
  }
  return { records, zone, locale };
}

/** Who is inside the organisation for this requester (judged by email domains alone). */
function organisationOf(ctx: CommandContext): {
  domains: readonly string[];
  requesterEmail: string;
} {
  return { domains: ctx.orgEmailDomains, requesterEmail: ctx.person.email };
}

/** Uploads the access records the card shows (its filter, every page) as a CSV file, privately. */
async function sendCsv(ctx: CommandContext, view: ReportView): Promise<void> {
  const { records: all, zone, locale } = await loadReport(ctx, view, { fresh: false });
  const { domains, requesterEmail } = organisationOf(ctx);
  const isExternal = externalTest(domains, requesterEmail);
  const records = filterRecords(all, view.filter, isExternal);
  const { t } = translatorFor(locale);
  const chunks: Buffer[] = [];
  for await (const chunk of accessCsv(records, zone.zone, isExternal)) {
    chunks.push(Buffer.from(chunk));
  }
  const topic = all.find((r) => r.topic.trim())?.topic ?? '';
  const details = { count: records.length, zone: escapeMarkdown(zone.zone) };
  const what = topic
    ? t('csv.message', { ...details, topic: escapeMarkdown(topic, { maxLength: 200 }) })
    : t('csv.messageNoTopic', details);
  const filtered = view.filter === 'everyone' ? '' : ` ${t(`csv.filter.${view.filter}`)}`;
  await ctx.conversation.sendFilePrivately({
    filename: csvFileName(view.recordingId, Date.now(), zone.zone),
    contentType: 'text/csv',
    data: Buffer.concat(chunks),
    markdown: `${what}${filtered}`,
  });
  if (ctx.conversation.isGroup) {
    await ctx.conversation.say(
      noticeReply({ title: t('csv.sent.title'), text: t('csv.sent.text') }, translatorFor(locale)),
    );
  }
}
