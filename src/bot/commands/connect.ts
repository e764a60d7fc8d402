/**
 * `connect [admin]`: a private card whose button opens Webex's consent page. Also what a
 * person gets when a command needs their account and they have not linked it.
 */
import type { AccountLinker, PendingRequest } from '../../auth/linking';
import { escapeCardText, escapeMarkdown } from '../../report/escape';
import { renderCard } from '../../cards';
import { english } from '../../locales';
import type { Translator } from '../../report/i18n';
import { loadManifest } from '../manifest';
import type { Conversation, Reply } from '../replies';
import type { CommandContext } from '../middleware/context';

/**
 * The connect card for a consent URL, in the person's language.
 * @example connectReply(url, { admin: false }, translatorFor('de-DE'))
 */
export function connectReply(
  url: string,
  options: { admin: boolean; waiting?: string; alreadyConnected?: boolean },
  messages: Translator = english(),
): Reply {
  const { t } = messages;
  const manifest = loadManifest();
  const scopes = options.admin
    ? [...manifest.scopes.user, ...manifest.scopes.admin]
    : manifest.scopes.user;
  const text = options.waiting
    ? t('connect.waiting', { command: options.waiting })
    : options.alreadyConnected
      ? t('connect.alreadyConnected')
      : t('connect.intro');
  const scopesText = t('connect.scopes', {
    bot: manifest.name,
    scopes: scopes
      .map((scope) => {
        const key = `connect.scope.${scope}`;
        const words = t(key);
        return words === key ? scope : words;
      })
      .join('; '),
  });
  const button = t('connect.button');
  const expiry = t('connect.expiry');
  const card = renderCard('connect', {
    title: t(options.admin ? 'connect.titleAdmin' : 'connect.title'),
    text: escapeCardText(text),
    scopesText: escapeCardText(scopesText),
    buttonTitle: button,
    linkExpiry: escapeCardText(expiry),
    url,
  });
  return {
    markdown: `${escapeMarkdown(text)}\n\n[${button}](${url})\n\n${expiry}`,
    card,
  };
}

/** Sends the connect card privately; in a group space the room only gets a pointer. */
export async function askToConnect(
  linker: Pick<AccountLinker, 'start'>,
  conversation: Conversation,
  options: {
    admin: boolean;
    pending?: PendingRequest;
    alreadyConnected?: boolean;
    messages?: Translator;
  },
): Promise<void> {
  const messages = options.messages ?? english();
  const url = await linker.start({
    personId: conversation.place.person.id,
    admin: options.admin,
    pending: options.pending,
  });
  await conversation.sayPrivately(
    connectReply(
      url,
      {
        admin: options.admin,
        waiting: options.pending?.text,
        alreadyConnected: options.alreadyConnected,
      },
      messages,
    ),
    messages.t('connect.privateNote'),
  );
}

/** `connect` / `connect admin`. */
export async function runConnect(ctx: CommandContext, admin: boolean): Promise<void> {
  const alreadyConnected = ctx.account !== undefined && (!admin || ctx.account.admin);
  await ctx.connect({ admin, alreadyConnected });
}
