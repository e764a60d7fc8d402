/**
 * Localised labels end to end: a person who sets `locale de-DE` (or `ja-JP`) reads the report
 * card, its buttons, the connect card, errors and the help in that language; `locale auto`
 * brings English back.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { expectValidCard } from '../helpers/cards';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import {
  cardActions,
  clickButton,
  startStack,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';

let stack: TestStack;
let host: SandboxUser;

beforeAll(async () => {
  stack = await startStack();
  host = stack.user('host@example.com');
});

afterAll(async () => {
  await stack?.close();
});

async function ask(text: string, count = 1) {
  const sent = await host.dmBot(text);
  const replies = await host.waitForBot(sent.roomId, { after: sent.id, count, timeoutMs: 15_000 });
  return { sent, replies };
}

const buttons = (card: unknown) => cardActions(card).map((a) => a.title);

describe('a person who writes German', () => {
  it('is answered in German from the locale command on', async () => {
    const { replies } = await ask('locale de-DE');
    expect(replies[0].markdown).toContain('**Sprache auf de-DE gesetzt**');
    expect(cardText(cardOf(replies[0]))).toContain(
      'Daten und Zahlen werden für **de-DE** geschrieben (aus deinen Einstellungen).',
    );
  });

  it('links the account and gets the report card with German labels and German dates', async () => {
    const { sent, replies } = await ask(`audit ${SEED_RECORDING_IDS.example}`);
    const connectCard = cardOf(replies[0]);
    expectValidCard(connectCard);
    expect(cardText(connectCard)).toContain('Webex-Konto verbinden');
    expect(cardText(connectCard)).toContain('Der Link gilt einmal und läuft in 10 Minuten ab.');
    expect(buttons(connectCard)).toEqual(['Mit Webex verbinden']);

    const result = await consent(connectUrlOf(connectCard), host.id);
    expect(result.status).toBe(200);
    const [connected, report] = await host.waitForBot(sent.roomId, {
      after: replies[0].id,
      count: 2,
      timeoutMs: 15_000,
    });
    expect(connected.markdown).toContain('**Verbunden**');
    expect(connected.markdown).toContain('Ich führe deine Anfrage jetzt aus…');

    const card = cardOf(report);
    expectValidCard(card);
    const text = cardText(card);
    for (const line of [
      'Aufzeichnungsprüfung',
      'Example Topic',
      'Aufzeichnungs-ID: 4f914b1dfe3c4d11a61730f18c0f5387',
      'Personen: 3',
      'Angesehen von: 2 Personen (2 Aufrufe)',
      'Heruntergeladen von: 2 Personen (2 Downloads)',
      'Zeiten in America/Los_Angeles (aus deinem Webex-Profil)',
    ]) {
      expect(text).toContain(line);
    }
    // Times as before: German format, the profile's zone.
    expect(text).toContain('Letzter Zugriff: 18. Aug. 2020, 12:08 GMT-7');
    expect(text).not.toMatch(/Recording audit|People:|Viewed by|Last access|Shown in/);
    expect(buttons(card)).toEqual([
      'Alle',
      'Gesehen',
      'Geladen',
      'Extern',
      'CSV-Export (3 Zeilen)',
      'Aktualisieren',
      'Beobachten',
    ]);
    // Rows: the counts labelled in German.
    expect(text).toContain('1 Aufruf, 1 Download');
    expect(report.markdown).toContain('**Aufzeichnungsprüfung**');
    expect(report.markdown).toContain('Thema: Example Topic');
  });

  it('gets German again after pressing a button of the card', async () => {
    const { sent, replies } = await ask(`audit ${SEED_RECORDING_IDS.example}`);
    await clickButton(host, replies[0], 'Aktualisieren');
    const [refreshed] = await host.waitForBot(sent.roomId, {
      after: replies[0].id,
      count: 1,
      timeoutMs: 15_000,
    });
    expect(cardText(cardOf(refreshed))).toContain('Personen: 3');
    expect(buttons(cardOf(refreshed))).toContain('Aktualisieren');
  });

  it('is told in German when Webex has no such recording', async () => {
    const { replies } = await ask('audit 0000000000000000ffffffffffffffff');
    expect(replies[0].markdown).toContain('**Aufzeichnung nicht gefunden**');
    expect(replies[0].markdown).toContain(
      'Webex hat keine Aufzeichnung 0000000000000000ffffffffffffffff, die dein Konto sehen kann.',
    );
    // It names the command and the recording it is about.
    const text = cardText(cardOf(replies[0]));
    expect(text).toContain('Befehl: audit');
    expect(text).toContain('Aufzeichnung: 0000000000000000ffffffffffffffff');
  });

  it('gets a German short answer to a typo, whose Help shows German words around the (English) command list', async () => {
    const { replies } = await ask('auditt');
    expect(cardText(cardOf(replies[0]))).toBe('Meintest du **audit**?');
    expect(buttons(cardOf(replies[0]))).toEqual(['Hilfe']);
    await clickButton(host, replies[0], 'Hilfe');
    const [help] = await host.waitForBot(replies[0].roomId, { after: replies[0].id });
    expect(cardText(cardOf(help))).toMatch(/: Hilfe/);
    expect(cardText(cardOf(help))).toContain('Shows what the bot can do.');
  });
});

describe('a person who writes Japanese', () => {
  it('gets the report card in Japanese, and English again after "locale auto"', async () => {
    const set = await ask('locale ja-JP');
    expect(set.replies[0].markdown).toContain('**ロケールを ja-JP にしました**');

    const { replies } = await ask(`audit ${SEED_RECORDING_IDS.example}`);
    const card = cardOf(replies[0]);
    expectValidCard(card);
    const text = cardText(card);
    for (const line of [
      '録画の監査',
      '録画 ID: 4f914b1dfe3c4d11a61730f18c0f5387',
      '人数: 3',
      '視聴: 2人 (2回)',
      'America/Los_Angeles の時刻 (Webex プロフィールより)',
      '表示',
      '視聴1回、ダウンロード1回',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain('最終アクセス: 2020年8月18日 12:08 GMT-7');
    expect(buttons(card)).toEqual([
      '全員',
      '視聴',
      'ダウンロード',
      '外部',
      'CSV を書き出す (3行)',
      '更新',
      '監視',
    ]);

    await ask('locale auto');
    const english = await ask(`audit ${SEED_RECORDING_IDS.example}`);
    const englishText = cardText(cardOf(english.replies[0]));
    expect(englishText).toContain('Recording audit');
    expect(englishText).toContain('People: 3');
    expect(englishText).toContain('Aug 18, 2020, 12:08 PM PDT');
  });
});
