/**
 * Binds Adaptive Card templates to data. Pure: the templates are handed in (src/cards.ts reads
 * them from cards/*.json), so the report layer never touches the file system.
 */
import type * as ACDataModule from 'adaptivecards-templating';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Names of the templates in cards/ (cards/<name>.json). */
export const CARD_TEMPLATES = [
  'audit-report',
  'help',
  'message',
  'connect',
  'recordings',
  'digest',
  'short-answer',
  'watch-alert',
] as const;
export type CardTemplateName = (typeof CARD_TEMPLATES)[number];

/** One parsed template per name, as read from cards/<name>.json. */
export type CardTemplates = Readonly<Record<CardTemplateName, Json>>;

/** A rendered Adaptive Card, ready for a message attachment's `content`. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: Json[];
  actions?: Json[];
  [key: string]: Json | undefined;
}

export interface CardRenderer {
  /**
   * Binds template `name` to data. Untrusted text in `data` must already be escaped
   * (the build*CardData functions in card-data.ts do that).
   */
  render(name: CardTemplateName, data: object): AdaptiveCard;
  /** Loads the templating library and compiles every card, so the first answer is not slower. */
  preload(): void;
}

/**
 * The templating library takes ~0.3 s to load, so it is loaded on first use (or by
 * `preload` once the bot is up) rather than on the start-up path.
 */
function templating(): typeof ACDataModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy
  return require('adaptivecards-templating') as typeof ACDataModule;
}

/**
 * A renderer over the given templates. Compiled templates are kept: building one parses every
 * expression, ~10× the cost of expanding it.
 *
 * @example
 * const cards = createCardRenderer(templates);
 * const card = cards.render('message', buildMessageCardData({ title: 'Done', text: 'Disconnected.' }));
 * // attach as { contentType: 'application/vnd.microsoft.card.adaptive', content: card }
 */
export function createCardRenderer(templates: CardTemplates): CardRenderer {
  const compiled = new Map<CardTemplateName, ACDataModule.Template>();
  const render = (name: CardTemplateName, data: object): AdaptiveCard => {
    let template = compiled.get(name);
    if (!template) {
      template = new (templating().Template)(templates[name]);
      compiled.set(name, template);
    }
    const card = template.expand({ $root: data }) as Json;
    if (!card || typeof card !== 'object' || Array.isArray(card) || card.type !== 'AdaptiveCard') {
      throw new Error(`Card template ${name} did not produce an AdaptiveCard`);
    }
    return card as AdaptiveCard;
  };
  return {
    render,
    preload: () => {
      for (const name of CARD_TEMPLATES) render(name, {});
    },
  };
}
