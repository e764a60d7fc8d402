/**
 * `help`, and the answer to anything the bot does not understand: a card built from
 * manifest.json, so the help can never drift from the commands the bot has.
 */
import { buildHelpCardData } from '../../report/card-data';
import { escapeMarkdown, sanitizeText, truncateText } from '../../report/escape';
import { renderCard } from '../../cards';
import { english } from '../../locales';
import type { Translator } from '../../report/i18n';
import { loadManifest } from '../manifest';
import type { Reply } from '../replies';

/**
 * The help card; `notUnderstood` is the text the person sent when it was not a command.
 * `messages` writes the card's own words in the person's language.
 * @example helpReply() // { markdown: '**Recording Audit** …', card: { type: 'AdaptiveCard', … } }
 */
export function helpReply(notUnderstood?: string, messages: Translator = english()): Reply {
  const { t } = messages;
  const manifest = loadManifest();
  // Command descriptions come from manifest.json, in English; the card's own words localise.
  const intro = notUnderstood
    ? t('help.notUnderstood', { text: truncateText(sanitizeText(notUnderstood), 80) })
    : t('help.intro', { description: manifest.description });
  const card = renderCard(
    'help',
    buildHelpCardData({
      title: t(notUnderstood ? 'help.titleNotUnderstood' : 'help.title', { bot: manifest.name }),
      intro,
      commands: manifest.commands.map(({ name, syntax, description, examples }) => ({
        name,
        syntax,
        description,
        examples,
      })),
    }),
  );
  const lines = manifest.commands.map((c) => `- \`${c.syntax}\`: ${escapeMarkdown(c.description)}`);
  return {
    markdown: [`**${escapeMarkdown(manifest.name)}**: ${escapeMarkdown(intro)}`, ...lines].join(
      '\n',
    ),
    card,
  };
}
