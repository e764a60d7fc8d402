/**
 * The bot's cards: reads the templates in cards/*.json once, on first use, and renders them
 * with the pure renderer in src/report/render-card.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CARD_TEMPLATES,
  createCardRenderer,
  type AdaptiveCard,
  type CardRenderer,
  type CardTemplateName,
  type CardTemplates,
  type Json,
} from './report/render-card';

/** Same relative path from src/ (ts-jest) and dist/ (compiled). */
export const CARDS_DIR = path.resolve(__dirname, '../cards');

/**
 * Reads and parses every template in `dir`.
 *
 * @example const templates = loadCardTemplates(CARDS_DIR); // { help: {...}, ... }
 */
export function loadCardTemplates(dir: string): CardTemplates {
  const entries = CARD_TEMPLATES.map((name) => {
    const file = path.join(dir, `${name}.json`);
    return [name, JSON.parse(readFileSync(file, 'utf8')) as Json] as const;
  });
  return Object.fromEntries(entries) as Record<CardTemplateName, Json>;
}

let renderer: CardRenderer | undefined;
const cards = (): CardRenderer => (renderer ??= createCardRenderer(loadCardTemplates(CARDS_DIR)));

/**
 * Binds cards/<name>.json to data. Untrusted text in `data` must already be escaped
 * (the build*CardData functions in report/card-data.ts do that).
 *
 * @example
 * const card = renderCard('message', buildMessageCardData({ title: 'Done', text: 'Disconnected.' }));
 */
export function renderCard(name: CardTemplateName, data: object): AdaptiveCard {
  return cards().render(name, data);
}

/**
 * Loads the templating library and compiles every card, so the first answer is not slower.
 *
 * @example setImmediate(preloadCardTemplates);
 */
export function preloadCardTemplates(): void {
  cards().preload();
}
