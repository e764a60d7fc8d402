/**
 * The message catalogues in cards/locales/<language>.json, read once on first use, and a
 * translator per locale over them (the pure part is src/report/i18n.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CARDS_DIR } from './cards';
import { createTranslator, type Catalogue, type Catalogues, type Translator } from './report/i18n';

export const LOCALES_DIR = path.join(CARDS_DIR, 'locales');

/**
 * Reads every `<language>.json` in `dir`.
 * @example loadCatalogues(LOCALES_DIR).de['audit.title'] // "Aufzeichnungsprüfung"
 */
export function loadCatalogues(dir: string): Catalogues {
  const entries = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const catalogue = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Catalogue;
      return [path.basename(file, '.json'), catalogue] as const;
    });
  return Object.fromEntries(entries);
}

let catalogues: Catalogues | undefined;
const translators = new Map<string, Translator>();

/**
 * The translator for a locale (a person's, from resolvePreferences / resolveLocale).
 * @example translatorFor('de-DE').t('audit.title') // "Aufzeichnungsprüfung"
 */
export function translatorFor(locale: string): Translator {
  let translator = translators.get(locale);
  if (!translator) {
    catalogues ??= loadCatalogues(LOCALES_DIR);
    translator = createTranslator(catalogues, locale);
    // Locales come from settings people choose: keep the map small.
    if (translators.size > 200) translators.clear();
    translators.set(locale, translator);
  }
  return translator;
}

/** English, for answers given before a person's locale is known (or when it cannot be read). */
export const english = (): Translator => translatorFor('en-US');
