/**
 * `watch <recording> [downloads | external] [for <days>] [host <email>]`, `watches` and
 * `unwatch <recording> | all`. The watching itself is in ../watches.ts; these answer the person,
 * always privately (a group space gets a short note): what a watch is about is their business.
 */
import { translatorFor } from '../../locales';
import { escapeMarkdown } from '../../report/escape';
import type { Translator } from '../../report/i18n';
import { formatAccessTime } from '../../report/time';
import { recordingLabel } from '../../report/watch';
import type { StoredWatch } from '../../store/store';
import { fetchAccessDetail } from '../../webex/recordings';
import type { CommandContext } from '../middleware/context';
import type { WatchRequest } from '../watches';
import { noticeReply } from './notice';

/** What a group space is told (a message key) when a watch could not be started. */
export const WATCH_FAILURE_NOTE = 'watch.failureNote';

/**
 * `watch`: checks that the person can read the report now (one accessDetail read with their
 * token, whose accesses become the watch's past), then starts or renews the watch.
 */
export async function runWatch(ctx: CommandContext, request: WatchRequest): Promise<void> {
  const records = await ctx.asPerson((http, token) =>
    fetchAccessDetail(http, {
      token,
      recordingId: request.recordingId,
      hostEmail: request.hostEmail,
      timezone: 'UTC',
    }),
  );
  const started = await ctx.watches.start(request, records);
  const { zone, locale } = await ctx.preferences();
  const messages = translatorFor(locale);
  const { t } = messages;
  if (started.kind === 'too-many') {
    await say(ctx, messages, {
      title: t('watch.tooMany.title'),
      text: t('watch.tooMany.text', { limit: started.limit }),
    });
    return;
  }
  const { watch, renewed } = started;
  const until = formatAccessTime(watch.expiresAt, zone.zone, locale);
  const id = escapeMarkdown(watch.recordingId);
  const text = [
    t(`watch.started.text.${watch.filter}`, { until }),
    ...(renewed ? [t('watch.started.renewed')] : []),
    t('watch.started.stop', { id }),
  ].join(' ');
  await say(ctx, messages, {
    title: t('watch.started.title', { topic: recordingLabel(watch, messages) }),
    text,
  });
}

/** `watches`: the person's watches, with their ends in the person's zone and any pause. */
export async function runWatches(ctx: CommandContext): Promise<void> {
  const watches = await ctx.watches.list();
  const { zone, locale } = await ctx.preferences();
  const messages = translatorFor(locale);
  const { t } = messages;
  if (watches.length === 0) {
    await say(ctx, messages, { title: t('watch.list.title'), text: t('watch.list.empty') });
    return;
  }
  const lines = watches.map((watch) => {
    const line = t('watch.list.line', {
      topic: escapeMarkdown(recordingLabel(watch, messages), { maxLength: 80 }),
      id: escapeMarkdown(watch.recordingId),
      filter: t(`watch.list.filter.${watch.filter}`),
      until: formatAccessTime(watch.expiresAt, zone.zone, locale),
    });
    const paused = pausedNote(watch, messages);
    return `- ${line}${paused ? ` ${paused}` : ''}`;
  });
  await say(ctx, messages, {
    title: t('watch.list.title'),
    text: [...lines, '', t('watch.list.footer')].join('\n'),
  });
}

function pausedNote(watch: StoredWatch, { t }: Translator): string | undefined {
  if (watch.pausedReason === 'not-connected') return t('watch.list.paused.notConnected');
  if (watch.pausedReason === 'no-access') return t('watch.list.paused.noAccess');
  return undefined;
}

/** `unwatch <recording>` or `unwatch all`. */
export async function runUnwatch(
  ctx: CommandContext,
  target: { recordingId: string } | { all: true },
): Promise<void> {
  const messages = await ctx.messages();
  const { t } = messages;
  if ('all' in target) {
    const stopped = await ctx.watches.stopAll();
    await say(
      ctx,
      messages,
      stopped.length === 0
        ? { title: t('watch.none.title'), text: t('watch.none.text') }
        : {
            title: t('watch.stoppedAll.title', { count: stopped.length }),
            text: t('watch.stopped.text'),
          },
    );
    return;
  }
  const [stopped] = await ctx.watches.stop(target.recordingId);
  await say(
    ctx,
    messages,
    stopped
      ? {
          title: t('watch.stopped.title', { topic: recordingLabel(stopped, messages) }),
          text: t('watch.stopped.text'),
        }
      : {
          title: t('watch.notWatching.title'),
          text: t('watch.notWatching.text', { id: escapeMarkdown(target.recordingId) }),
        },
  );
}

/** Privately; in a group space the space gets only a note saying where to look. */
async function say(
  ctx: CommandContext,
  messages: Translator,
  notice: { title: string; text: string },
): Promise<void> {
  await ctx.conversation.sayPrivately(
    noticeReply(notice, messages),
    messages.t('watch.privateNote'),
  );
}
