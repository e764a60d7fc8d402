/**
 * Short answers (confirmations, errors) as a small card with the same text as markdown.
 */
import { explainError, type ExplainContext } from '../../errors';
import { buildMessageCardData } from '../../report/card-data';
import { escapeMarkdown } from '../../report/escape';
import { renderCard } from '../../cards';
import type { Reply } from '../replies';

export interface Notice {
  title: string;
  /** Our own markdown (bold commands); never text that came from a person or from Webex. */
  text: string;
  trackingId?: string;
}

/**
 * @example noticeReply({ title: 'Disconnected', text: 'Everything I stored about you is deleted.' })
 */
export function noticeReply(notice: Notice): Reply {
  const facts = notice.trackingId ? [{ title: 'Webex tracking ID', value: notice.trackingId }] : [];
  const card = renderCard(
    'message',
    buildMessageCardData({ title: notice.title, text: notice.text, facts, trustedMarkdown: true }),
  );
  const tracking = notice.trackingId
    ? `\n\nWebex tracking ID: ${escapeMarkdown(notice.trackingId)}`
    : '';
  return { markdown: `**${escapeMarkdown(notice.title)}**\n\n${notice.text}${tracking}`, card };
}

/** The friendly answer to a failure; see {@link explainError}. */
export function errorReply(err: unknown, context: ExplainContext = {}): Reply {
  return noticeReply(explainError(err, context));
}
