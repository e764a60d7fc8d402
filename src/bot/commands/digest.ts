/**
 * `digest weekly [all] [always]`, `digest off` and bare `digest`: the weekly digest of the
 * person's recordings (see ../digest.ts), sent privately every Monday at 09:00 in their zone.
 * Answered privately (the state of a personal subscription), with a note in a group space.
 */
import { MissingScopeError, NotConnectedError } from '../../errors';
import { translatorFor } from '../../locales';
import { escapeMarkdown } from '../../report/escape';
import type { Translator } from '../../report/i18n';
import { formatAccessTime } from '../../report/time';
import { loadManifest } from '../manifest';
import type { CommandContext } from '../middleware/context';
import { noticeReply, type Notice } from './notice';

export type DigestRequest =
  { mode: 'weekly'; always: boolean; allHosts: boolean } | { mode: 'off' } | { mode: 'show' };

/** What a group space is told (a message key) when the digest could not be set up. */
export const DIGEST_FAILURE_NOTE = 'digest.failureNote';

export async function runDigest(ctx: CommandContext, request: DigestRequest): Promise<void> {
  if (request.mode === 'weekly') {
    // Only subscribing needs an account; `digest` and `digest off` answer without one.
    if (!ctx.account) throw new NotConnectedError('never');
    if (request.allHosts && !ctx.account.admin) {
      throw new MissingScopeError(loadManifest().scopes.admin[0], 'digestAll');
    }
  }
  const { zone, locale } = await ctx.preferences();
  const messages = translatorFor(locale);
  const { t } = messages;
  const when = (ms: number, inZone = zone.zone) =>
    escapeMarkdown(formatAccessTime(ms, inZone, locale));
  let notice: Notice;
  if (request.mode === 'weekly') {
    const first = await ctx.digest.subscribe(
      { always: request.always, allHosts: request.allHosts },
      zone.zone,
    );
    notice = {
      title: t('digest.on.title'),
      text: [
        t('digest.on.text', { zone: escapeMarkdown(zone.zone), when: when(first) }),
        ...optionLines(request, messages),
      ].join(' '),
    };
  } else if (request.mode === 'off') {
    notice = (await ctx.digest.cancel())
      ? { title: t('digest.off.title'), text: t('digest.off.text') }
      : { title: t('digest.none.title'), text: t('digest.none.text') };
  } else {
    const current = await ctx.digest.get();
    const runsIn = current?.zone ?? zone.zone;
    notice = current
      ? {
          title: t('digest.show.title'),
          text: [
            current.nextRunAt === undefined
              ? t('digest.show.textNoRun', { zone: escapeMarkdown(runsIn) })
              : t('digest.show.text', {
                  zone: escapeMarkdown(runsIn),
                  when: when(current.nextRunAt, runsIn),
                }),
            ...optionLines(current.subscription, messages),
          ].join(' '),
        }
      : { title: t('digest.none.title'), text: t('digest.none.text') };
  }
  await ctx.conversation.sayPrivately(noticeReply(notice, messages), t('digest.privateNote'));
}

function optionLines(options: { always: boolean; allHosts: boolean }, { t }: Translator) {
  return [
    t(options.always ? 'digest.on.always' : 'digest.on.quiet'),
    ...(options.allHosts ? [t('digest.on.allHosts')] : []),
  ];
}
