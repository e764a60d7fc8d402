/**
 * `connect [admin]`: a private card whose button opens Webex's consent page. Also what a
 * person gets when a command needs their account and they have not linked it.
 */
import type { AccountLinker, PendingRequest } from '../../auth/linking';
import { escapeCardText, escapeMarkdown } from '../../report/escape';
import { renderCard } from '../../cards';
import { loadManifest } from '../manifest';
import type { Conversation, Reply } from '../replies';
import type { CommandContext } from '../middleware/context';

const SCOPE_WORDS: Record<string, string> = {
  'meeting:recordings_read': 'read the reports of recordings you host or that are shared with you',
  'meeting:admin_recordings_read':
    'read the reports of recordings of any host on your sites (admins)',
  'spark:people_read': 'read your profile, for your time zone',
};

/**
 * The connect card for a consent URL.
 * @example connectReply(url, { admin: false, reason: 'first' })
 */
export function connectReply(
  url: string,
  options: { admin: boolean; waiting?: string; alreadyConnected?: boolean },
): Reply {
  const manifest = loadManifest();
  const scopes = options.admin
    ? [...manifest.scopes.user, ...manifest.scopes.admin]
    : manifest.scopes.user;
  const text = options.waiting
    ? `To run "${options.waiting}" I need to read recording reports as you. Link your Webex account once; I'll run it as soon as you're connected.`
    : options.alreadyConnected
      ? 'You are already connected. Use the button only if you want to link your account again.'
      : 'I read recording reports with your own Webex account, so you only ever see what Webex lets you see. Link it once:';
  const scopesText = `You will be asked to let ${manifest.name} ${scopes
    .map((s) => SCOPE_WORDS[s] ?? s)
    .join('; ')}.`;
  const card = renderCard('connect', {
    title: options.admin ? 'Connect your Webex admin account' : 'Connect your Webex account',
    text: escapeCardText(text),
    scopesText: escapeCardText(scopesText),
    buttonTitle: 'Connect to Webex',
    url,
  });
  return {
    markdown: `${escapeMarkdown(text)}\n\n[Connect to Webex](${url})\n\nThe link works once and expires in 10 minutes.`,
    card,
  };
}

/** Sends the connect card privately; in a group space the room only gets a pointer. */
export async function askToConnect(
  linker: Pick<AccountLinker, 'start'>,
  conversation: Conversation,
  options: { admin: boolean; pending?: PendingRequest; alreadyConnected?: boolean },
): Promise<void> {
  const url = await linker.start({
    personId: conversation.place.person.id,
    admin: options.admin,
    pending: options.pending,
  });
  await conversation.sayPrivately(
    connectReply(url, {
      admin: options.admin,
      waiting: options.pending?.text,
      alreadyConnected: options.alreadyConnected,
    }),
    "I've sent you a private message to link your Webex account.",
  );
}

/** `connect` / `connect admin`. */
export async function runConnect(ctx: CommandContext, admin: boolean): Promise<void> {
  const alreadyConnected = ctx.account !== undefined && (!admin || ctx.account.admin);
  await ctx.connect({ admin, alreadyConnected });
}
