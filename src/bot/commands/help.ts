/**
 * `help`, and the answer to anything the bot does not understand: a card built from
 * manifest.json, so the help can never drift from the commands the bot has.
 */
import { buildHelpCardData } from '../../report/card-data';
import { escapeMarkdown, sanitizeText, truncateText } from '../../report/escape';
import { renderCard } from '../../cards';
import { loadManifest } from '../manifest';
import type { Reply } from '../replies';

/**
 * The help card; `notUnderstood` is the text the person sent when it was not a command.
 * @example helpReply() // { markdown: '**Recording Audit** …', card: { type: 'AdaptiveCard', … } }
 */
export function helpReply(notUnderstood?: string): Reply {
  const manifest = loadManifest();
  const intro = notUnderstood
    ? `Sorry, I didn't understand "${truncateText(sanitizeText(notUnderstood), 80)}". Here is what I can do:`
    : `${manifest.description} Type a command below; in a group space, @mention me first.`;
  const card = renderCard(
    'help',
    buildHelpCardData({
      title: notUnderstood ? `${manifest.name}: commands` : `${manifest.name}: help`,
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
