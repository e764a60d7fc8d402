/**
 * People outside the organisation on the report card: judged by the email's domain alone
 * (ORG_EMAIL_DOMAINS, or when it is empty the requester's own domain), never the display name.
 */
import { english, translatorFor } from '../../src/locales';
import { aggregateAccess, filterRecords } from '../../src/report/aggregate';
import { watchActionData } from '../../src/report/card-actions';
import { buildAuditCardData, type AuditCardInput } from '../../src/report/card-data';
import { renderCard } from '../../src/cards';
import { externalTest } from '../../src/report/organisation';
import type { AdaptiveCard } from '../../src/report/render-card';
import type { AccessRecord } from '../../src/report/types';
import { accessRecord } from '../helpers/access-records';
import { cardLines, unescapeDisplay } from '../helpers/card-text';
import { expectValidCard } from '../helpers/cards';
import { cardActions } from '../helpers/stack';

const REQUESTER = 'hana@example.com';
const records: AccessRecord[] = [
  // Inside: the requester's domain and its subdomain, whatever the name says.
  accessRecord({ name: 'External Contractor', email: 'john.andersen@example.com' }),
  accessRecord({ name: 'Brenda Song', email: 'Brenda.Song@EU.Example.com', downloaded: true }),
  // Outside, though the names claim the organisation.
  accessRecord({
    name: 'Example.com IT Team',
    email: 'eve@evil.example',
    accessTime: '2020-07-13T17:20:00Z',
    downloaded: true,
  }),
  accessRecord({ name: 'Example.com IT Team', email: 'eve@evil.example', viewed: true }),
  accessRecord({
    name: 'Joe (example.com)',
    email: 'joe@example.com.evil.test',
    accessTime: '2020-07-13T17:10:00Z',
  }),
  // Only downloaded, no view: counted among the external downloaders alone.
  accessRecord({
    name: 'Zed',
    email: 'zed@partner.test',
    accessTime: '2020-07-13T17:00:00Z',
    viewed: false,
    downloaded: true,
  }),
];

function build(over: Partial<AuditCardInput> = {}) {
  return buildAuditCardData({
    requesterId: 'PERSON_ID',
    organisation: { domains: [], requesterEmail: REQUESTER },
    messages: english(),
    report: aggregateAccess(records),
    zone: { zone: 'UTC', phrase: 'the default' },
    locale: 'en-US',
    ...over,
  });
}

/** Each row's lines as a person reads them (name, tag if any, counts, email, last access). */
function rowLines(card: AdaptiveCard): string[][] {
  return card.body
    .filter((b) => (b as { type?: string }).type === 'Container')
    .map((row) => cardLines(row));
}

const LAST = expect.stringMatching(/^Last access: /);

const fact = (card: AdaptiveCard, title: string) =>
  cardLines(card).find((line) => line.startsWith(`${title}:`));

describe('external people on the report card', () => {
  test('with ORG_EMAIL_DOMAINS empty, the requester’s domain is the organisation', () => {
    const card = renderCard('audit-report', build());
    expectValidCard(card);
    expect(rowLines(card)).toEqual([
      ['Example.com IT Team', 'External', '2 views, 1 download', 'eve@evil.example', LAST],
      ['Joe (example.com)', 'External', '1 view', 'joe@example.com.evil.test', LAST],
      ['Brenda Song', '1 view, 1 download', 'Brenda.Song@EU.Example.com', LAST],
      ['External Contractor', '1 view', 'john.andersen@example.com', LAST],
      ['Zed', 'External', '1 download', 'zed@partner.test', LAST],
    ]);
    // The tag stands out: a short word in the attention colour.
    expect(JSON.stringify(card)).toContain(
      '{"type":"TextBlock","text":"External","color":"Attention"',
    );
  });

  test('with ORG_EMAIL_DOMAINS set, those domains are the organisation, not the requester’s', () => {
    const data = build({ organisation: { domains: ['evil.example'], requesterEmail: REQUESTER } });
    expect(data.rows.map((row) => [unescapeDisplay(row.name), row.external])).toEqual([
      ['Example.com IT Team', false],
      ['Joe (example.com)', true],
      ['Brenda Song', true],
      ['External Contractor', true],
      ['Zed', true],
    ]);
  });

  test('the display name is never used: a person without an email is external', () => {
    const data = build({
      report: aggregateAccess([accessRecord({ name: 'hana@example.com', email: '' })]),
    });
    expect(data.rows.map((row) => row.external)).toEqual([true]);
  });

  test('the totals say how many external people viewed and downloaded, also when none did', () => {
    expect(fact(renderCard('audit-report', build()), 'External people')).toBe(
      'External people: 2 viewed, 2 downloaded',
    );
    const inside = build({ report: aggregateAccess(records.slice(0, 2)) });
    expect(fact(renderCard('audit-report', inside), 'External people')).toBe(
      'External people: 0 viewed, 0 downloaded',
    );
    const german = build({ messages: translatorFor('de-DE'), locale: 'de-DE' });
    const germanCard = renderCard('audit-report', german);
    expect(fact(germanCard, 'Externe Personen')).toBe(
      'Externe Personen: 2 angesehen, 2 heruntergeladen',
    );
    expect(rowLines(germanCard)[0][1]).toBe('Extern');
  });

  test('the External filter shows only them, from page 1, and exports only their rows', () => {
    const all = build();
    const externalButton = all.filterButtons.find((b) => b.title === 'External');
    expect(externalButton?.data).toMatchObject({ filter: 'external', page: 1 });

    const data = build({ filter: 'external' });
    const card = renderCard('audit-report', data);
    expect(rowLines(card).map((lines) => lines[0])).toEqual([
      'Example.com IT Team',
      'Joe (example.com)',
      'Zed',
    ]);
    expect(cardLines(card)).toContain('Filter: 3 people outside your organisation');
    expect(data.filterButtons.map((b) => [b.title, b.style])).toContainEqual([
      'External',
      'positive',
    ]);
    // eve's two accesses, Joe's and Zed's: every access of the people shown.
    expect(data.exportRows).toBe(4);
    const outside = externalTest([], REQUESTER);
    expect(filterRecords(records, 'external', outside)).toEqual([
      records[2],
      records[3],
      records[4],
      records[5],
    ]);

    const nobody = build({ filter: 'external', report: aggregateAccess(records.slice(0, 2)) });
    expect(nobody.emptyText).toBe(
      'Nobody outside your organisation has viewed or downloaded this recording.',
    );
  });

  test('the external filter cannot be answered without knowing the organisation', () => {
    expect(() => filterRecords(records, 'external')).toThrow(/organisation/);
  });

  test('the Watch button starts a watch of this recording for the requester', () => {
    const card = renderCard(
      'audit-report',
      build({ recordingId: 'REC1', hostEmail: 'host@example.com', filter: 'viewed', page: 2 }),
    );
    const watch = cardActions(card).find((action) => action.title === 'Watch');
    expect(watch?.data).toEqual(
      watchActionData({
        recordingId: 'REC1',
        hostEmail: 'host@example.com',
        requesterId: 'PERSON_ID',
      }),
    );
    expect(card.actions?.map((action) => (action as { title?: string }).title)).toEqual([
      'Refresh',
      'Watch',
    ]);
  });
});
