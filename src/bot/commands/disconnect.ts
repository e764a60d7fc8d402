/** `disconnect`: forget the person's tokens, settings and everything else stored for them. */
import type { Conversation } from '../replies';
import type { BotServices } from '../services';
import { noticeReply } from './notice';

export async function runDisconnect(
  services: BotServices,
  conversation: Conversation,
): Promise<void> {
  const personId = conversation.place.person.id;
  const wasConnected = (await services.tokens.scopes(personId)) !== undefined;
  await services.tokens.disconnect(personId);
  services.recordsCache.forget(personId);
  await conversation.sayPrivately(
    noticeReply({
      title: wasConnected ? 'Disconnected' : 'Nothing to disconnect',
      text: wasConnected
        ? 'I deleted your Webex tokens and your settings. Type **connect** whenever you want to audit again.'
        : 'Your Webex account was not linked. I deleted any settings I had for you.',
    }),
    "I've sent you a private message.",
  );
}
