import { english, translatorFor } from '../../src/locales';
import { aggregateAccess } from '../../src/report/aggregate';
import {
  DEFAULT_PAGE_SIZE,
  activityCounts,
  buildAuditCardData,
  buildAuditSummaryMarkdown,
  buildHelpCardData,
  buildMessageCardData,
  MAX_MARKDOWN_BYTES,
} from '../../src/report/card-data';
import { WORD_JOINER as WJ } from '../../src/report/escape';
import { renderCard } from '../../src/cards';
import type { AdaptiveCard } from '../../src/report/render-card';
import type { AccessRecord } from '../../src/report/types';
import { accessRecord, ORGANISATION } from '../helpers/access-records';
import { cardBytes, expectValidCard, MAX_CARD_BYTES, validateCard } from '../helpers/cards';
import { cardActions } from '../helpers/stack';

const zone = { zone: 'America/Los_Angeles', phrase: 'from your Webex profile' };
const rec = (over: Partial<AccessRecord>): AccessRecord =>
  accessRecord({ topic: 'Quarterly review', ...over });
const spec = [
  rec({}),
  rec({
    name: 'Brenda Song',
    email: 'brenda.song@example.com',
    accessTime: '2020-07-13T17:10:01Z',
    viewed: false,
    downloaded: true,
  }),
  rec({
    name: 'Joe Doe',
    email: 'joe.doe@example.com',
    accessTime: '2020-07-13T17:20:00Z',
    downloaded: true,
  }),
];

/** All TextBlock texts of a card, in order. */
function texts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
/** One Container per person: name and counts, email, last access. */
const rowSets = (card: AdaptiveCard) =>
  card.body.filter((b) => (b as { type?: string }).type === 'Container');
const buttons = (card: AdaptiveCard) => cardActions(card).map((a) => a.title);

describe('audit card', () => {
  test('three people', () => {
    const data = buildAuditCardData({
      requesterId: 'PERSON_ID',
      organisation: ORGANISATION,
      messages: english(),
      report: aggregateAccess(spec),
      zone,
      locale: 'en-US',
    });
    const card = renderCard('audit-report', data);
    expectValidCard(card);
    const t = texts(card);
    expect(t).toContain('Recording audit');
    expect(t).toContain('Quarterly review');
    expect(t).toContain('Recording ID: 4f914b1dfe3c4d11a61730f18c0f5387');
    expect(t).toContain('Shown in America/Los\\_Angeles (from your Webex profile)');
    expect(rowSets(card)).toHaveLength(3);
    // Rows in order: name, labelled counts, email, then the localised last access on one line.
    expect(rowSets(card).map((row) => texts(row))).toEqual([
      [
        'Joe Doe',
        '1 view, 1 download',
        'joe.doe@example.com',
        'Last access: Jul 13, 2020, 10:20 AM PDT',
      ],
      [
        'Brenda Song',
        '1 download',
        'brenda.song@example.com',
        'Last access: Jul 13, 2020, 10:10 AM PDT',
      ],
      [
        'John Andersen',
        '1 view',
        'john.andersen@example.com',
        'Last access: Jul 13, 2020, 10:05 AM PDT',
      ],
    ]);
    expect(t.join('\n')).not.toMatch(/×/);
    // The email has its own full-width line that never wraps inside the address.
    const emailBlock = (rowSets(card)[0] as { items: Array<Record<string, unknown>> }).items[1];
    expect(emailBlock).toMatchObject({ type: 'TextBlock', text: 'joe.doe@example.com' });
    expect(emailBlock.wrap).toBeFalsy();
    expect(buttons(card)).toEqual([
      'All',
      'Viewed',
      'Downloaded',
      'External',
      'Export CSV (3 rows)',
      'Refresh',
      'Watch',
    ]);
    const facts = (
      card.body.find((b) => (b as { type?: string }).type === 'FactSet') as { facts: unknown[] }
    ).facts;
    expect(facts).toEqual([
      { title: 'People', value: '3' },
      { title: 'Viewed by', value: '2 people (2 views)' },
      { title: 'Downloaded by', value: '2 people (2 downloads)' },
      { title: 'External people', value: '0 viewed, 0 downloaded' },
      { title: 'Accesses', value: '3' },
      { title: 'First access', value: 'Jul 13, 2020, 10:05 AM PDT' },
      { title: 'Last access', value: 'Jul 13, 2020, 10:20 AM PDT' },
    ]);
    expect(data.moreCount).toBe(0);
    expect(t.some((x) => x.startsWith('…and'))).toBe(false);
  });

  test('no people: no header row, an explanation instead', () => {
    const data = buildAuditCardData({
      requesterId: 'PERSON_ID',
      organisation: ORGANISATION,
      messages: english(),
      report: aggregateAccess([]),
      zone,
      locale: 'en-US',
      recordingId: 'abcdef0123456789abcdef0123456789',
    });
    const card = renderCard('audit-report', data);
    expectValidCard(card);
    expect(rowSets(card)).toHaveLength(0);
    expect(texts(card)).toContain('Nobody has viewed or downloaded this recording yet.');
    // Nothing to filter: no filter buttons.
    expect(buttons(card)).toEqual(['Export CSV (0 rows)', 'Refresh', 'Watch']);
    expect(texts(card)).toContain('(no topic)');
  });

  test('a full page of very long names and emails, all external, with buttons, stays under 16 KB; the rest are counted', () => {
    const records = Array.from({ length: 40 }, (_, i) =>
      rec({
        topic: '*'.repeat(1000),
        recordingId: `${'a_'.repeat(64)}`,
        name: `${'Ŵ_*'.repeat(80)} ${i}`,
        // Outside the organisation: every row carries the External tag too.
        email: `${'x_y.'.repeat(40)}${i}@${'sub.'.repeat(20)}outside.example`,
        accessTime: i === 0 ? 'garbage' : `2020-07-13T17:${String(i).padStart(2, '0')}:35Z`,
        downloaded: i % 2 === 0,
      }),
    );
    const data = buildAuditCardData({
      requesterId: 'PERSON_ID',
      organisation: ORGANISATION,
      messages: english(),
      report: aggregateAccess(records),
      zone: { zone: 'America/Argentina/ComodRivadavia', phrase: 'from your command' },
      locale: 'de-DE',
    });
    const card = renderCard('audit-report', data);
    expect(validateCard(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    expect(rowSets(card)).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(data.rows.every((row) => row.external)).toBe(true);
    expect(data.moreCount).toBe(40 - DEFAULT_PAGE_SIZE);
    expect(texts(card)).toContain(`…and ${40 - DEFAULT_PAGE_SIZE} more people`);
    expect(texts(card)).toContain(`Page 1 of ${Math.ceil(40 / DEFAULT_PAGE_SIZE)} · 40 people`);
    expect(data.facts.find((f) => f.title === 'Unreadable times')?.value).toBe(
      '1 access without a valid time',
    );
  });

  test('markdown and unicode names are escaped, not rendered', () => {
    const records = [
      rec({ name: '[Boss](https://evil.example) **VIP**', email: 'boss@evil.example' }),
      rec({ name: '李小龙 👩‍💻', email: 'li@example.cn', accessTime: '2020-07-13T18:00:00Z' }),
    ];
    const card = renderCard(
      'audit-report',
      buildAuditCardData({
        requesterId: 'PERSON_ID',
        organisation: ORGANISATION,
        messages: english(),
        report: aggregateAccess(records),
        zone,
        locale: 'en-US',
      }),
    );
    expectValidCard(card);
    const t = texts(card);
    expect(t).toContain('李小龙 👩‍💻');
    // Escaped, and cut to the row's byte budget.
    const boss = t.find((x) => x.startsWith('\\[Boss'));
    expect(boss).toBe(`\\[Boss\\]\\(https:${WJ}//evil${WJ}.example…`);
    expect(t).toContain('boss@evil.example');
    expect(t.join('\n')).not.toMatch(/\]\(http/);
  });

  test('emails copy as plain addresses; names never become links or markdown', () => {
    const records = [
      rec({ name: '[x](http://evil.example)', email: 'first_last@example.com' }),
      rec({ name: '**bold**', email: 'brenda.song@example.com' }),
      rec({ name: '', email: 'no.name@example.com' }),
    ];
    const card = renderCard(
      'audit-report',
      buildAuditCardData({
        requesterId: 'PERSON_ID',
        organisation: ORGANISATION,
        messages: english(),
        report: aggregateAccess(records),
        zone,
        locale: 'en-US',
      }),
    );
    expectValidCard(card);
    const rows = rowSets(card).map((row) => texts(row));
    const byName = (start: string) => rows.find((cells) => cells[0]?.startsWith(start)) ?? [];
    // The email line of each row is the address itself (markdown escapes only, which the card
    // renders away): no invisible characters that a copied address would carry along.
    expect(byName('\\*\\*bold')[2]).toBe('brenda.song@example.com');
    expect(byName('\\[x')[2]).toBe('first\\_last@example.com');
    expect(byName('no.name')).toEqual(expect.arrayContaining(['no.name@example.com']));
    for (const cells of rows) expect(cells[2]).not.toContain(WJ);
    // Names stay literal text.
    expect(byName('\\[x')[0]).toBe(`\\[x\\]\\(http:${WJ}//evil${WJ}.example\\)`);
    expect(byName('\\*\\*bold')[0]).toBe('\\*\\*bold\\*\\*');
  });

  test('filter and page, with the filter buttons and the export of the filter', () => {
    const data = buildAuditCardData({
      requesterId: 'PERSON_ID',
      organisation: ORGANISATION,
      messages: english(),
      report: aggregateAccess(spec),
      zone,
      locale: 'en-US',
      filter: 'downloaded',
      page: 2,
      pageSize: 1,
    });
    expect(data.rows.map((r) => r.name)).toEqual(['Brenda Song']);
    expect(data.page).toEqual({
      page: 2,
      pageCount: 2,
      pageSize: 1,
      total: 2,
      hasPrev: true,
      hasNext: false,
    });
    expect(data.moreCount).toBe(0);
    const none = buildAuditCardData({
      requesterId: 'PERSON_ID',
      organisation: ORGANISATION,
      messages: english(),
      report: aggregateAccess([rec({})]),
      zone,
      locale: 'en-US',
      filter: 'downloaded',
    });
    expect(none.emptyText).toBe('Nobody has downloaded this recording.');

    // Filter buttons: the current one is positive, each applies at once from page 1.
    const card = renderCard('audit-report', data);
    expectValidCard(card);
    // Two to a row, so each row fits a phone (see test/browser/report-card.test.ts).
    const filterSets = card.body
      .filter((b) => (b as { type?: string }).type === 'ActionSet')
      .slice(0, 2) as Array<{
      actions: Array<{ title: string; style: string; data: Record<string, unknown> }>;
    }>;
    expect(filterSets.map((set) => set.actions.map((a) => [a.title, a.style]))).toEqual([
      [
        ['All', 'default'],
        ['Viewed', 'default'],
      ],
      [
        ['Downloaded', 'positive'],
        ['External', 'default'],
      ],
    ]);
    const filterButtons = filterSets.flatMap((set) => set.actions);
    const filters = ['everyone', 'viewed', 'downloaded', 'external'] as const;
    for (const [i, filter] of filters.entries()) {
      expect(filterButtons[i].data).toEqual({
        action: 'audit.page',
        recordingId: '4f914b1dfe3c4d11a61730f18c0f5387',
        filter,
        page: 1,
        requesterId: 'PERSON_ID',
      });
    }
    expect(texts(card)).toContain('Filter: 2 people who downloaded it');
    // Export: the two downloaders' accesses (all their rows, every page), not all three.
    expect(data.exportRows).toBe(2);
    expect(buttons(card)).toContain('Export CSV (2 rows)');
    expect(buttons(card)).toContain('◀ Previous');
    expect(buttons(card)).not.toContain('Next ▶');
    // Webex shows at most 5 buttons in a row; this card keeps a few per row.
    expect(card.actions?.length).toBeLessThanOrEqual(5);
    expect(buttons(card).length).toBeLessThanOrEqual(10);
  });

  test("counts are labelled and plural-aware, in the person's language", () => {
    const person = (views: number, downloads: number) => ({
      views,
      downloads,
      accesses: Math.max(1, views + downloads),
    });
    expect(activityCounts(english().t, person(3, 1))).toBe('3 views, 1 download');
    expect(activityCounts(english().t, person(1, 0))).toBe('1 view');
    expect(activityCounts(english().t, person(0, 2))).toBe('2 downloads');
    expect(activityCounts(english().t, person(0, 0))).toBe('1 access');
    expect(activityCounts(translatorFor('de-DE').t, person(1, 1200))).toBe(
      '1 Aufruf, 1.200 Downloads',
    );
    expect(activityCounts(translatorFor('fr-FR').t, person(2, 1))).toBe(
      '2 visionnages, 1 téléchargement',
    );
    expect(activityCounts(translatorFor('ja-JP').t, person(3, 1))).toBe('視聴3回、ダウンロード1回');
  });

  test('markdown summary: same facts, bounded for huge topics', () => {
    const data = buildAuditCardData({
      requesterId: 'PERSON_ID',
      organisation: ORGANISATION,
      messages: english(),
      report: aggregateAccess(spec),
      zone,
      locale: 'en-US',
    });
    const md = buildAuditSummaryMarkdown(data);
    expect(md).toBe(
      [
        '**Recording audit**',
        'Topic: Quarterly review',
        'Recording ID: 4f914b1dfe3c4d11a61730f18c0f5387',
        'People: 3 · Viewed by: 2 people (2 views) · Downloaded by: 2 people (2 downloads) · External people: 0 viewed, 0 downloaded · Accesses: 3 · First access: Jul 13, 2020, 10:05 AM PDT · Last access: Jul 13, 2020, 10:20 AM PDT',
        'Times shown in America/Los\\_Angeles (from your Webex profile).',
      ].join('  \n'),
    );
    const huge = buildAuditCardData({
      requesterId: 'PERSON_ID',
      organisation: ORGANISATION,
      messages: english(),
      report: aggregateAccess([rec({ topic: '李'.repeat(50_000) })]),
      zone,
      locale: 'en-US',
    });
    const hugeMd = buildAuditSummaryMarkdown(huge);
    expect(Buffer.byteLength(hugeMd)).toBeLessThan(MAX_MARKDOWN_BYTES);
    expect(hugeMd).toContain('…');
    // Even bigger data than the builder makes is cut down.
    const forced = buildAuditSummaryMarkdown({ ...data, topic: 'x'.repeat(20_000) });
    expect(Buffer.byteLength(forced)).toBeLessThanOrEqual(2000);
  });
});

describe('help and message cards', () => {
  const commands = [
    {
      name: 'audit',
      syntax: 'audit <recording> [host <email>] [tz <zone>]',
      description: 'Who viewed or downloaded a recording.',
      examples: ['audit 4f914b1dfe3c4d11a61730f18c0f5387', 'audit 4f91… tz America/New_York'],
    },
    { name: 'help', syntax: 'help', description: 'This card.', examples: [] },
  ];

  test('help card lists every command with its examples', () => {
    const card = renderCard(
      'help',
      buildHelpCardData({
        title: 'Recording Audit Bot',
        intro: 'I tell you who watched your recordings.',
        commands,
      }),
    );
    expectValidCard(card);
    const t = texts(card);
    expect(t).toEqual([
      'Recording Audit Bot',
      'I tell you who watched your recordings.',
      'audit \\<recording\\> \\[host \\<email\\>\\] \\[tz \\<zone\\>\\]',
      'Who viewed or downloaded a recording.',
      'audit 4f914b1dfe3c4d11a61730f18c0f5387',
      'audit 4f91… tz America/New\\_York',
      'help',
      'This card.',
    ]);
  });

  test('message card with and without facts', () => {
    const withFacts = renderCard(
      'message',
      buildMessageCardData({
        title: 'Webex error',
        text: 'Try again *later*.',
        facts: [{ title: 'Tracking ID', value: 'ROUTER_123' }],
      }),
    );
    expectValidCard(withFacts);
    expect(texts(withFacts)).toEqual(['Webex error', 'Try again \\*later\\*.']);
    expect(JSON.stringify(withFacts)).toContain('ROUTER\\\\_123');
    const plain = renderCard(
      'message',
      buildMessageCardData({ title: 'Done', text: '**Linked.**', trustedMarkdown: true }),
    );
    expectValidCard(plain);
    expect(plain.body).toHaveLength(2);
    expect(texts(plain)).toEqual(['Done', '**Linked.**']);
  });
});

describe('validateCard', () => {
  test('flags what Webex cannot show', () => {
    const bad = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Table' }, { type: 'TextBlock', text: 'Hi ${name}', style: 'heading' }],
      actions: Array.from({ length: 6 }, () => ({
        type: 'Action.Submit',
        title: 'x',
        tooltip: 't',
      })),
      refresh: {},
    };
    const problems = validateCard(bad);
    const joined = problems.join('\n');
    expect(joined).toMatch(/version is 1\.5/);
    expect(joined).toMatch(/type Table is not in 1\.3/);
    expect(joined).toMatch(/unbound template binding/);
    expect(joined).toMatch(/TextBlock style/);
    expect(joined).toMatch(/6 actions/);
    expect(joined).toMatch(/property tooltip/);
    expect(joined).toMatch(/property refresh/);
    expect(joined).toMatch(/parser: Unknown element type "Table"/);
    expect(
      validateCard({
        type: 'AdaptiveCard',
        version: '1.3',
        body: [{ type: 'TextBlock', text: 'x'.repeat(17_000) }],
      }).join(),
    ).toMatch(/over 16384/);
    expect(
      validateCard({
        type: 'AdaptiveCard',
        version: '1.3',
        body: [],
        actions: [{ type: 'Action.Execute' }],
      }).join(),
    ).toMatch(/Action\.Execute is not in 1\.3/);
    expect(validateCard(null)).toEqual(['card is not an object']);
  });
});

describe('every template in cards/', () => {
  test.each(['audit-report', 'help', 'message', 'connect'] as const)(
    '%s loads and binds',
    (name) => {
      // Unbound fields stay as ${...}; here we only check the template parses and binds.
      expect(renderCard(name, {}).version).toBe('1.3');
    },
  );
});
