/**
 * What a person is told when their request could not be processed at all (the inbox gave
 * up on it): Webex did not let the bot read it, or did not take any reply, for a long time.
 */
import type { WebhookEnvelope } from './envelope';
import { noticeReply } from './commands/notice';
import type { Reply } from './replies';

/**
 * The private note about a request that was given up, and who gets it (nobody when the
 * envelope names no person, or names the bot itself).
 * @example const note = undeliveredNote(envelope, bot.id); if (note) await messenger.send(note.to, note.reply);
 */
export function undeliveredNote(
  envelope: WebhookEnvelope,
  botId: string | undefined,
): { to: { toPersonId: string }; reply: Reply } | undefined {
  const personId = envelope.data.personId;
  if (!personId || personId === botId) return undefined;
  if (envelope.resource !== 'messages' && envelope.resource !== 'attachmentActions') return;
  const what = envelope.resource === 'messages' ? 'your message' : 'your click on a card';
  return {
    to: { toPersonId: personId },
    reply: noticeReply({
      title: 'Sorry, that request was not processed',
      text: `Webex did not let me read ${what}, or did not take my answer, for several minutes. Please send it again.`,
    }),
  };
}
