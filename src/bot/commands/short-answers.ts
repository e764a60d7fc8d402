/**
 * The bot's short answers, each one or a few lines and a Help button that shows the full help
 * card: to a typo ("Did you mean `audit 4f91…`?"), to anything else it does not understand, and
 * the welcome when it is added to a group space.
 */
import { renderCard } from '../../cards';
import type { GroupReply } from '../../config';
import { english } from '../../locales';
import { helpAction } from '../../report/card-actions';
import type { Translator } from '../../report/i18n';
import { buildShortAnswer, hasWords, type AnswerLine } from '../../report/short-answer';
import { loadManifest } from '../manifest';
import type { Reply } from '../replies';
import { suggestCommand, type CommandWord } from './suggest';

let commandWords: CommandWord[] | undefined;

/** The commands of manifest.json, for suggestions; a command whose syntax is its name takes nothing. */
function commands(): CommandWord[] {
  return (commandWords ??= loadManifest().commands.map((c) => ({
    name: c.name,
    takesArguments: c.syntax.trim() !== c.name,
  })));
}

/**
 * The answer to text that is no command: the closest command, else a line saying so (quoting
 * the text when it has words). `threadId` is where Help answers in a group space.
 * @example notUnderstoodReply('audti 4f91', t) // markdown "Did you mean `audit 4f91`?" + Help card
 */
export function notUnderstoodReply(
  text: string,
  messages: Translator = english(),
  threadId?: string,
): Reply {
  const { t } = messages;
  const suggestion = suggestCommand(text, commands());
  const example = `audit <${t('suggest.recordingLink')}>`;
  const line: AnswerLine = suggestion
    ? (f) =>
        t('suggest.didYouMean', {
          command: f.command([suggestion.command, suggestion.args].filter(Boolean).join(' ')),
        })
    : hasWords(text)
      ? (f) => t('suggest.notUnderstoodText', { text: f.plain(text), example: f.command(example) })
      : (f) => t('suggest.notUnderstood', { example: f.command(example) });
  return withHelpButton([line], messages, threadId);
}

/**
 * The welcome posted once when the bot is added to a group space: what it does, how to start,
 * and how it answers there (GROUP_REPLY: reports privately, or in the space).
 * @example welcomeReply('dm', t) // "Hi, I'm **Recording Audit**. …" + Help card
 */
export function welcomeReply(groupReply: GroupReply, messages: Translator = english()): Reply {
  const { t } = messages;
  const bot = loadManifest().name;
  const example = `audit <${t('suggest.recordingLink')}>`;
  return withHelpButton(
    [
      (f) => t('welcome.intro', { bot: f.plain(bot) }),
      (f) => t('welcome.start', { example: f.command(example) }),
      () => t(groupReply === 'room' ? 'welcome.groupRoom' : 'welcome.groupPrivate'),
    ],
    messages,
  );
}

function withHelpButton(lines: AnswerLine[], messages: Translator, threadId?: string): Reply {
  const { markdown, cardData } = buildShortAnswer({
    lines,
    helpTitle: messages.t('suggest.helpButton'),
    helpAction: helpAction(threadId),
  });
  return { markdown, card: renderCard('short-answer', cardData) };
}
