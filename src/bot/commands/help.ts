/**
 * `help` (and the Help button of short answers): a card built from manifest.json, so the help
 * can never drift from the commands the bot has.
 */
import { buildHelpCardData } from '../../report/card-data';
import { escapeMarkdown } from '../../report/escape';
import { renderCard } from '../../cards';
import { english } from '../../locales';
import type { Translator } from '../../report/i18n';
import { loadManifest } from '../manifest';
import type { Reply } from '../replies';

/**
 * The help card; `messages` writes the card's own words in the person's language.
 * @example helpReply() // { markdown: '**Recording Audit** …', card: { type: 'AdaptiveCard', … } }
 */
export function helpReply(messages: Translator = english()): Reply {
  const { t } = messages;
  const manifest = loadManifest();
  // Command descriptions come from manifest.json, in English; the card's own words localise.
  const intro = t('help.intro', { description: manifest.description });
  const card = renderCard(
    'help',
    buildHelpCardData({
      title: t('help.title', { bot: manifest.name }),
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
