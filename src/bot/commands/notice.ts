/**
 * Short answers (confirmations, errors) as a small card with the same text as markdown.
 */
import { explainError, type ExplainContext } from '../../errors';
import { english } from '../../locales';
import { buildMessageCardData } from '../../report/card-data';
import { escapeMarkdown } from '../../report/escape';
import type { Translator } from '../../report/i18n';
import { renderCard } from '../../cards';
import type { Reply } from '../replies';

export interface Notice {
  title: string;
  /** Our own markdown (bold commands); never text that came from a person or from Webex. */
  text: string;
  trackingId?: string;
  /** Facts shown above the tracking ID (plain text, escaped here), e.g. which recording. */
  about?: Array<{ title: string; value: string }>;
}

/**
 * `messages` names the tracking ID in the person's language.
 * @example noticeReply({ title: 'Disconnected', text: 'Everything I stored about you is deleted.' })
 */
export function noticeReply(notice: Notice, messages: Translator = english()): Reply {
  const trackingLabel = messages.t('notice.trackingId');
  const facts = [
    ...(notice.about ?? []),
    ...(notice.trackingId ? [{ title: trackingLabel, value: notice.trackingId }] : []),
  ];
  const card = renderCard(
    'message',
    buildMessageCardData({ title: notice.title, text: notice.text, facts, trustedMarkdown: true }),
  );
  const factLines = facts.map(
    (f) => `\n\n${escapeMarkdown(f.title)}: ${escapeMarkdown(f.value, { maxLength: 300 })}`,
  );
  return {
    markdown: `**${escapeMarkdown(notice.title)}**\n\n${notice.text}${factLines.join('')}`,
    card,
  };
}

/** The friendly answer to a failure, in the person's language; see {@link explainError}. */
export function errorReply(
  err: unknown,
  context: ExplainContext = {},
  messages: Translator = english(),
): Reply {
  return noticeReply(explainError(err, context, messages), messages);
}
