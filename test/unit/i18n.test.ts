import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LOCALES_DIR, loadCatalogues, translatorFor } from '../../src/locales';
import { aggregateAccess } from '../../src/report/aggregate';
import { buildAuditCardData } from '../../src/report/card-data';
import {
  compareCatalogue,
  createTranslator,
  messageParams,
  pickLanguage,
  type Catalogue,
} from '../../src/report/i18n';
import { renderCard } from '../../src/cards';
import { accessRecord, ORGANISATION } from '../helpers/access-records';
import { cardBytes, MAX_CARD_BYTES, validateCard } from '../helpers/cards';
import { cardActions } from '../helpers/stack';
import { cardLines } from '../helpers/card-text';

const catalogues = loadCatalogues(LOCALES_DIR);
const cardButtons = (card: unknown) => cardActions(card).map((a) => a.title);
const english = catalogues.en;

describe('translator', () => {
  const people = '{n, plural, =0 {nobody} one {# person} other {# people}}';
  const small = {
    en: { hello: 'Hello {name}', people, onlyEnglish: 'English only' },
    de: { hello: 'Hallo {name}', people: '{n, plural, one {# Person} other {# Personen}}' },
  };

  test('looks a key up in the language of the locale, with parameters put in', () => {
    expect(createTranslator(small, 'de-DE').t('hello', { name: 'Ana' })).toBe('Hallo Ana');
    expect(createTranslator(small, 'en-GB').t('hello', { name: 'Ana' })).toBe('Hello Ana');
  });

  test('falls back to English for a missing key, and for a language with no catalogue', () => {
    expect(createTranslator(small, 'de-DE').t('onlyEnglish')).toBe('English only');
    const swedish = createTranslator(small, 'sv-SE');
    expect(swedish.language).toBe('en');
    expect(swedish.t('hello', { name: 'Ana' })).toBe('Hello Ana');
    // Numbers still follow the person's locale.
    expect(swedish.t('people', { n: 2500 })).toMatch(/^2\s500 people$/);
  });

  test('a key English lacks comes back as itself; a missing parameter stays visible', () => {
    const { t } = createTranslator(small, 'en-US');
    expect(t('no.such.key')).toBe('no.such.key');
    expect(t('hello')).toBe('Hello {name}');
  });

  test('plurals follow Intl.PluralRules, exact matches first, numbers formatted for the locale', () => {
    const en = createTranslator(small, 'en-US');
    expect([0, 1, 2, 2500].map((n) => en.t('people', { n }))).toEqual([
      'nobody',
      '1 person',
      '2 people',
      '2,500 people',
    ]);
    expect(createTranslator(small, 'de-DE').t('people', { n: 2500 })).toBe('2.500 Personen');
    // French counts 0 as singular; Japanese has one form.
    const fr = createTranslator(catalogues, 'fr-FR');
    expect(fr.t('audit.more', { count: 0 })).toBe('…et 0 autre personne');
    expect(fr.t('audit.more', { count: 2 })).toBe('…et 2 autres personnes');
    expect(createTranslator(catalogues, 'ja-JP').t('audit.more', { count: 1 })).toBe('…ほか 1人');
  });

  test('picks the exact tag, then the language, else English', () => {
    expect(pickLanguage(['en', 'pt', 'pt-BR'], 'pt-BR')).toBe('pt-BR');
    expect(pickLanguage(['en', 'pt', 'pt-BR'], 'pt-PT')).toBe('pt');
    expect(pickLanguage(['en', 'de'], 'DE-at')).toBe('de');
    expect(pickLanguage(['en', 'de'], 'ja-JP')).toBe('en');
  });

  test('malformed messages are refused, naming the message', () => {
    expect(() => messageParams('Hello {name')).toThrow(/Hello \{name/);
    expect(() => messageParams('{n, plural, one {x}}')).toThrow(/other/);
    expect(() => messageParams('{n, select, a {x} other {y}}')).toThrow(/plural/);
    expect(messageParams('Page {page} of {pages} · {n, plural, one {# {who}} other {#}}')).toEqual([
      'n',
      'page',
      'pages',
      'who',
    ]);
  });
});

describe('catalogues', () => {
  test('English, German, French, Spanish and Japanese are there', () => {
    expect(Object.keys(catalogues).sort()).toEqual(
      expect.arrayContaining(['de', 'en', 'es', 'fr', 'ja']),
    );
  });

  test.each(Object.keys(catalogues).filter((language) => language !== 'en'))(
    '%s has every English key, the same parameters, and no stale keys',
    (language) => {
      expect(compareCatalogue(english, catalogues[language])).toEqual({
        missing: [],
        mismatched: [],
        extra: [],
      });
    },
  );

  test('the check notices a missing key and a changed parameter', () => {
    const broken: Catalogue = { ...catalogues.de, 'audit.page': 'Seite {seite}' };
    delete (broken as Record<string, string>)['audit.title'];
    const problems = compareCatalogue(english, broken);
    expect(problems.missing).toEqual(['audit.title']);
    expect(problems.mismatched).toEqual([
      { key: 'audit.page', expected: ['count', 'page', 'pages'], actual: ['seite'] },
    ]);
  });

  test('every message of every catalogue parses', () => {
    for (const catalogue of Object.values(catalogues)) {
      for (const message of Object.values(catalogue))
        expect(() => messageParams(message)).not.toThrow();
    }
  });

  test('every key the code asks for exists in English', () => {
    const used = new Set<string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
          // t('key'…), and keys chosen by a condition: t(cond ? 'a' : 'b').
          for (const m of source.matchAll(
            /\bt\(\s*(?:[^'`(),]*\?\s*)?'([a-z][\w.:]+)'(?:\s*:\s*'([a-z][\w.:]+)')?/gi,
          )) {
            used.add(m[1]);
            if (m[2]) used.add(m[2]);
          }
        }
      }
    };
    walk(path.resolve(__dirname, '../../src'));
    // Keys built from a value (see the template literals in the code).
    for (const source of ['command', 'setting', 'profile', 'default'])
      used.add(`zone.from.${source}`);
    for (const filter of ['everyone', 'viewed', 'downloaded'])
      used.add(`audit.filterText.${filter}`);
    for (const mode of ['set', 'auto', 'show']) used.add(`timezone.${mode}.title`);
    for (const action of ['viewed', 'downloaded', 'both', 'accessed']) {
      used.add(`watch.action.${action}`);
      used.add(`watch.alert.title.${action}`);
    }
    for (const filter of ['all', 'downloads', 'external']) {
      used.add(`watch.started.text.${filter}`);
      used.add(`watch.list.filter.${filter}`);
    }
    expect(used.size).toBeGreaterThan(60);
    expect([...used].filter((key) => !(key in english))).toEqual([]);
  });
});

describe('audit card in other languages', () => {
  const records = [
    accessRecord({ topic: 'Quartalsbericht', accessTime: '2020-07-13T17:05:35Z' }),
    accessRecord({
      topic: 'Quartalsbericht',
      name: 'Brenda Song',
      email: 'brenda.song@example.com',
      accessTime: '2020-07-13T17:10:01Z',
      viewed: false,
      downloaded: true,
    }),
  ];
  const build = (locale: string, extra: Partial<Parameters<typeof buildAuditCardData>[0]> = {}) =>
    buildAuditCardData({
      requesterId: 'PERSON_ID',
      organisation: ORGANISATION,
      report: aggregateAccess(records),
      zone: { zone: 'Europe/Berlin', phrase: 'from your settings', source: 'setting' },
      locale,
      messages: translatorFor(locale),
      ...extra,
    });

  test('German labels, buttons, facts, rows and the zone line; German dates kept', () => {
    const card = renderCard('audit-report', build('de-DE'));
    expect(validateCard(card)).toEqual([]);
    const lines = cardLines(card);
    for (const label of [
      'Aufzeichnungsprüfung',
      'Aufzeichnungs-ID: 4f914b1dfe3c4d11a61730f18c0f5387',
      'Zeiten in Europe/Berlin (aus deinen Einstellungen)',
      'Anzeigen',
      'Filter: 2 Personen',
      'Personen: 2',
      'Angesehen von: 1 Person (1 Aufruf)',
      'Letzter Zugriff: 13. Juli 2020, 19:10 MESZ',
      // A row: name, its counts labelled, the email, the last access on its own line.
      'Brenda Song',
      '1 Download',
      'brenda.song@example.com',
      '1 Aufruf',
    ]) {
      expect(lines).toContain(label);
    }
    expect(cardButtons(card)).toEqual([
      'Alle',
      'Gesehen',
      'Geladen',
      'Extern',
      'CSV-Export (2 Zeilen)',
      'Aktualisieren',
      'Beobachten',
    ]);
    expect(JSON.stringify(card)).not.toMatch(/Refresh|Everyone|Recording ID|Last access|Viewed/);
  });

  test.each(['en-US', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP'])(
    '%s: a full page of long rows with every button is a valid 1.3 card under 16 KB',
    (locale) => {
      const many = Array.from({ length: 100 }, (_, i) =>
        accessRecord({
          topic: '*'.repeat(1000),
          name: `${'Ŵ_*'.repeat(80)} ${i}`,
          // Outside the organisation: every row carries the External tag too.
          email: `${'x_y.'.repeat(40)}${i}@${'sub.'.repeat(20)}outside.example`,
          accessTime: i === 0 ? 'garbage' : `2020-07-13T17:${String(i % 60).padStart(2, '0')}:35Z`,
          downloaded: i % 2 === 0,
        }),
      );
      const data = buildAuditCardData({
        requesterId: 'PERSON_ID',
        organisation: ORGANISATION,
        report: aggregateAccess(many),
        zone: { zone: 'America/Argentina/ComodRivadavia', phrase: '', source: 'command' },
        locale,
        messages: translatorFor(locale),
        filter: 'downloaded',
        page: 2,
      });
      const card = renderCard('audit-report', data);
      expect(validateCard(card)).toEqual([]);
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      expect(data.rows.length).toBeGreaterThan(0);
      expect(data.rows.every((row) => row.external)).toBe(true);
      // Refresh and Watch below; Previous and Next, the four filters and the export in the body.
      expect(card.actions).toHaveLength(2);
      expect(cardButtons(card)).toHaveLength(9);
    },
  );
});
