import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as ACDataModule from 'adaptivecards-templating';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Names of the templates in cards/ (cards/<name>.json). */
export const CARD_TEMPLATES = ['audit-report', 'help', 'message', 'connect', 'recordings'] as const;
export type CardTemplateName = (typeof CARD_TEMPLATES)[number];

/** A rendered Adaptive Card, ready for a message attachment's `content`. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: Json[];
  actions?: Json[];
  [key: string]: Json | undefined;
}

/** Same relative path from src/report (ts-jest) and dist/report (compiled). */
export const CARDS_DIR = path.resolve(__dirname, '../../cards');

const cache = new Map<string, Json>();
/** Compiled templates: building one parses every expression, ~10× the cost of expanding it. */
const compiled = new Map<string, ACDataModule.Template>();

/**
 * The templating library takes ~0.3 s to load, so it is loaded on first use (or by
 * {@link preloadCardTemplates} once the bot is up) rather than on the start-up path.
 */
function templating(): typeof ACDataModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy
  return require('adaptivecards-templating') as typeof ACDataModule;
}

/** Loads and checks a template once; later calls reuse it. */
export function loadCardTemplate(name: CardTemplateName): Json {
  let template = cache.get(name);
  if (template === undefined) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`Bad card template name: ${name}`);
    const file = path.join(CARDS_DIR, `${name}.json`);
    template = JSON.parse(readFileSync(file, 'utf8')) as Json;
    cache.set(name, template);
  }
  return template;
}

/**
 * Binds cards/<name>.json to data. Untrusted text in `data` must already be escaped
 * (the build*CardData functions in card-data.ts do that).
 *
 * @example
 * const card = renderCard('message', buildMessageCardData({ title: 'Done', text: 'Disconnected.' }));
 * // attach as { contentType: 'application/vnd.microsoft.card.adaptive', content: card }
 */
export function renderCard(name: CardTemplateName, data: object): AdaptiveCard {
  let template = compiled.get(name);
  if (!template) {
    template = new (templating().Template)(loadCardTemplate(name));
    compiled.set(name, template);
  }
  const card = template.expand({ $root: data }) as Json;
  if (!card || typeof card !== 'object' || Array.isArray(card) || card.type !== 'AdaptiveCard') {
    throw new Error(`Card template ${name} did not produce an AdaptiveCard`);
  }
  return card as AdaptiveCard;
}

/** Loads the templating library and compiles every card, so the first answer is not slower. */
export function preloadCardTemplates(): void {
  for (const name of CARD_TEMPLATES) renderCard(name, {});
}
