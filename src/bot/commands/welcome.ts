/**
 * The welcome: when someone adds the bot to a group space it says, once, what it does and how
 * to use it there. Not repeated when Webex delivers the event again, when the bot restarts, or
 * on another replica: the posted welcome is recorded in the store.
 *
 * Order: check the record, post, then record. Recording first (a claim) would lose the welcome
 * whenever the post fails: the inbox's retry would find the claim and stay silent. Posting
 * first means a failed post leaves no record, so the retry posts it; a successful one is
 * recorded, and a re-delivery of the same event is already stopped by the inbox's de-duplication
 * (and, once the inbox has pruned it, by the record). The one window left, a crash between the
 * post and the record, may welcome twice; a lost welcome would be worse.
 *
 * The record is per add: removing the bot and adding it again later welcomes the space again
 * (people who add it again may well need the reminder). Webex keeps the membership's id across
 * a removal (it is the person and the room), so an add is its id and when it was made.
 */
import { translatorFor } from '../../locales';
import { resolveLocale } from '../preferences';
import type { BotAddedToSpace } from '../runtime';
import type { BotServices } from '../services';
import { welcomeReply } from './short-answers';

/** The store could not say whether the space was welcomed: worth trying the event again. */
export class WelcomeCheckFailedError extends Error {
  readonly code = 'welcome_check_failed';
  /** The inbox tries the event again later. */
  readonly retryable = true;
  constructor(cause: unknown) {
    super('could not read whether the space was welcomed', { cause });
    this.name = 'WelcomeCheckFailedError';
  }
}

/**
 * Posts the welcome in the space unless this add of the bot was welcomed already. A post Webex did
 * not take rejects (the runtime makes it retryable when it may work later).
 * @example await runWelcome(services, { kind: 'botAdded', room, membershipId, addedBy });
 */
export async function runWelcome(
  services: Pick<BotServices, 'store' | 'messenger' | 'config' | 'logger'>,
  added: BotAddedToSpace,
): Promise<void> {
  const { store, messenger, config, logger } = services;
  const { room } = added;
  const addKey = addKeyOf(added);
  const welcomed = await store.wasWelcomed(room.id, addKey).catch((err: unknown) => {
    throw new WelcomeCheckFailedError(err);
  });
  if (welcomed) return;
  // The space has no language of its own: the welcome follows whoever added the bot.
  const locale = added.addedBy
    ? await resolveLocale(services, added.addedBy)
        .then((resolved) => resolved.locale)
        .catch(() => config.defaultLocale)
    : config.defaultLocale;
  await messenger.send({ roomId: room.id }, welcomeReply(config.groupReply, translatorFor(locale)));
  try {
    await store.recordWelcome({ roomId: room.id, membershipId: addKey, welcomedAt: Date.now() });
  } catch (err) {
    // Posted: failing the event now would post it again. The inbox's de-duplication still
    // stops re-deliveries; only one after the inbox pruned the event (a day on) could repeat it.
    logger.warn({ err, roomId: room.id }, 'welcome posted but not recorded');
  }
}

/** One add of the bot to the space: its membership, and when it was made when Webex says. */
function addKeyOf(added: BotAddedToSpace): string {
  return added.addedAt ? `${added.membershipId}@${added.addedAt}` : added.membershipId;
}
