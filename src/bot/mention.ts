/**
 * In group spaces Webex leaves the bot's name in the message text ("Recording Audit help").
 * The framework does not remove it, so commands are parsed from the text with it stripped.
 */
export interface MentionedMessage {
  text?: string;
  html?: string;
  mentionedPeople?: string[];
}

const MENTION_TAG =
  /<spark-mention\b[^>]*data-object-id="([^"]*)"[^>]*>[\s\S]*?<\/spark-mention>/gi;

/**
 * The message text without the bot's own mention.
 * @example stripMention({ text: 'Recording Audit help' }, bot) // 'help'
 */
export function stripMention(
  message: MentionedMessage,
  bot: { id: string; displayName: string },
): string {
  const mentionsBot = message.mentionedPeople?.includes(bot.id) ?? false;
  if (!mentionsBot) return normalise(message.text ?? '');
  if (message.html) {
    const withoutBot = message.html.replace(MENTION_TAG, (tag, id: string) =>
      id === bot.id ? ' ' : tag,
    );
    return normalise(htmlToText(withoutBot));
  }
  return normalise(stripLeadingName(message.text ?? '', bot.displayName));
}

function stripLeadingName(text: string, displayName: string): string {
  const trimmed = text.trimStart();
  // People may shorten the mention to the first name when they type it.
  const candidates = [displayName, displayName.split(/\s+/)[0]].filter(Boolean);
  for (const name of candidates) {
    if (trimmed.toLowerCase().startsWith(name.toLowerCase())) return trimmed.slice(name.length);
  }
  return trimmed;
}

function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
