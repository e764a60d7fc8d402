/**
 * The pure rules of a watch: recognising an access again across polls whatever the order,
 * paging or zone, which accesses a filter reports, one summary instead of a storm, and what the
 * watcher reads on the card.
 */
import { english, translatorFor } from '../../src/locales';
import { parseCardAction, watchActionData } from '../../src/report/card-actions';
import { renderCard } from '../../src/cards';
import { externalTest } from '../../src/report/organisation';
import type { AccessRecord } from '../../src/report/types';
import {
  accessAction,
  buildWatchAlertCardData,
  buildWatchSummaryCardData,
  keyAccesses,
  matchesWatch,
  planWatchAlerts,
  recordingLabel,
  summaryCounts,
  watchCardMarkdown,
  WATCH_ALERTS_AT_ONCE,
  type KeyedAccess,
  type WatchMessageContext,
} from '../../src/report/watch';
import { accessRecord } from '../helpers/access-records';
import { cardText } from '../helpers/card-text';
import { expectValidCard } from '../helpers/cards';

const eve = accessRecord({
  name: 'Eve Outside',
  email: 'eve@outside.example',
  accessTime: '2024-03-05T17:30:00Z',
  viewed: false,
  downloaded: true,
});
const john = accessRecord();
const outside = externalTest([], 'hana@example.com');

/** The new accesses between two polls, the way a watch finds them. */
function fresh(before: AccessRecord[], after: AccessRecord[]): AccessRecord[] {
  const seen = new Set(keyAccesses(before).map((a) => a.key));
  return keyAccesses(after)
    .filter((a) => !seen.has(a.key))
    .map((a) => a.record);
}

describe('keyAccesses', () => {
  it('gives the same access the same key, whatever zone Webex wrote its time in', () => {
    const inLosAngeles = { ...eve, accessTime: '2024-03-05T09:30:00-08:00' };
    expect(keyAccesses([eve])[0].key).toBe(keyAccesses([inLosAngeles])[0].key);
    expect(keyAccesses([eve])[0].key).toMatch(/^[\w-]{22}$/);
  });

  it('tells apart who, what and when, with case ignored in the email', () => {
    const keys = [
      eve,
      { ...eve, email: 'EVE@Outside.Example' },
      { ...eve, email: 'mallory@outside.example' },
      { ...eve, viewed: true },
      { ...eve, accessTime: '2024-03-05T17:30:01Z' },
    ].map((r) => keyAccesses([r])[0].key);
    expect(keys[1]).toBe(keys[0]);
    expect(new Set([keys[0], keys[2], keys[3], keys[4]]).size).toBe(4);
  });

  it('finds nothing new when the same report comes back in another order or paging', () => {
    const report = [john, eve, accessRecord({ name: 'Joe Doe', email: 'joe.doe@example.com' })];
    expect(fresh(report, [...report].reverse())).toEqual([]);
  });

  it('finds an access added in the middle (a late one with an older time), not just at the end', () => {
    const before = [john, eve];
    const late = accessRecord({ email: 'late@example.com', accessTime: '2021-01-01T00:00:00Z' });
    expect(fresh(before, [john, late, eve])).toEqual([late]);
  });

  it('counts two identical accesses as two: a second one is new', () => {
    expect(fresh([eve], [eve, eve])).toEqual([eve]);
    expect(fresh([eve, eve], [eve, eve])).toEqual([]);
    const [first, second] = keyAccesses([eve, eve]);
    expect(first.key).not.toBe(second.key);
  });

  it('names people without an email by their name, and keeps unreadable times apart', () => {
    const nameless = accessRecord({ email: '', name: 'Room Device' });
    const [a, b] = keyAccesses([nameless, { ...nameless, name: 'Other Device' }]);
    expect(a.key).not.toBe(b.key);
    const odd = keyAccesses([{ ...eve, accessTime: 'yesterday' }])[0];
    expect(odd.timeMs).toBeNull();
    expect(odd.key).not.toBe(keyAccesses([{ ...eve, accessTime: 'today' }])[0].key);
  });
});

describe('matchesWatch', () => {
  const view = accessRecord({ email: 'eve@outside.example', viewed: true, downloaded: false });

  it('reports everything, downloads only, or people outside the organisation', () => {
    expect(matchesWatch(john, 'all', outside)).toBe(true);
    expect(matchesWatch(view, 'downloads', outside)).toBe(false);
    expect(matchesWatch(eve, 'downloads', outside)).toBe(true);
    expect(matchesWatch(john, 'external', outside)).toBe(false);
    expect(matchesWatch(view, 'external', outside)).toBe(true);
  });

  it('names what an access did', () => {
    expect(accessAction(john)).toBe('viewed');
    expect(accessAction(eve)).toBe('downloaded');
    expect(accessAction({ viewed: true, downloaded: true })).toBe('both');
    expect(accessAction({ viewed: false, downloaded: false })).toBe('accessed');
  });
});

describe('planWatchAlerts', () => {
  const at = (i: number) =>
    accessRecord({ email: `p${i}@example.com`, accessTime: `2024-03-05T17:${10 + i}:00Z` });

  it('says nothing when nothing is new', () => {
    expect(planWatchAlerts([])).toEqual({ kind: 'none' });
  });

  it(`sends each of up to ${WATCH_ALERTS_AT_ONCE} on its own, oldest first`, () => {
    const accesses = keyAccesses([at(3), at(1), at(2), at(4), at(5)]);
    const plan = planWatchAlerts(accesses);
    expect(plan.kind).toBe('each');
    expect(plan.kind !== 'none' && plan.accesses.map((a) => a.record.email)).toEqual(
      ['p1', 'p2', 'p3', 'p4', 'p5'].map((p) => `${p}@example.com`),
    );
  });

  it('sends one summary for more at once, accesses without a time last', () => {
    const accesses = keyAccesses([
      accessRecord({ email: 'untimed@example.com', accessTime: '' }),
      ...[6, 1, 2, 3, 4, 5].map(at),
    ]);
    const plan = planWatchAlerts(accesses);
    expect(plan.kind).toBe('summary');
    const emails = plan.kind === 'summary' ? plan.accesses.map((a) => a.record.email) : [];
    expect(emails[0]).toBe('p1@example.com');
    expect(emails.at(-1)).toBe('untimed@example.com');
  });

  it('counts views, downloads and people outside', () => {
    const both = { ...eve, viewed: true };
    expect(summaryCounts(keyAccesses([john, eve, both]), outside)).toEqual({
      total: 3,
      views: 2,
      downloads: 2,
      external: 2,
    });
  });
});

describe('watch cards', () => {
  const ctx = (over: Partial<WatchMessageContext> = {}): WatchMessageContext => ({
    recordingId: '4f914b1dfe3c4d11a61730f18c0f5387',
    topic: 'Quarterly review',
    zone: 'America/Los_Angeles',
    locale: 'en-US',
    messages: english(),
    external: outside,
    requesterId: 'WATCHER',
    expiresAt: Date.parse('2024-04-04T16:00:00Z'),
    ...over,
  });
  const [eveAccess] = keyAccesses([eve]);

  it('shows who, what, when in the watcher’s zone and outside or not, with an Audit button', () => {
    const data = buildWatchAlertCardData(eveAccess, ctx());
    const card = renderCard('watch-alert', data);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('New download: Quarterly review');
    expect(text).toContain('Who: Eve Outside (eve@outside.example)');
    expect(text).toContain('What: Downloaded');
    expect(text).toContain('When: Mar 5, 2024, 9:30 AM PST');
    expect(text).toContain('Organisation: External: outside your organisation');
    expect(text).toContain('Watching until Apr 4, 2024, 9:00 AM PDT');
    expect(card.actions).toEqual([
      {
        type: 'Action.Submit',
        title: 'Audit',
        data: {
          action: 'watch.audit',
          recordingId: '4f914b1dfe3c4d11a61730f18c0f5387',
          requesterId: 'WATCHER',
        },
      },
    ]);
  });

  it('says inside for someone of the organisation, and carries an admin’s host on the button', () => {
    const [johnAccess] = keyAccesses([john]);
    const data = buildWatchAlertCardData(johnAccess, ctx({ hostEmail: 'other.host@example.com' }));
    expect(cardText(renderCard('watch-alert', data))).toContain(
      'Organisation: Inside your organisation',
    );
    expect(data.auditData).toMatchObject({ hostEmail: 'other.host@example.com' });
  });

  it('escapes names and topics from Webex', () => {
    const evil = keyAccesses([{ ...eve, name: '[click](https://evil.example) *boss*' }])[0];
    const data = buildWatchAlertCardData(evil, ctx({ topic: '<@all> _plan_' }));
    expect(data.facts[0].value).not.toContain('[click](');
    expect(data.facts[0].value).toContain('\\[click\\]');
    expect(data.title).toContain('\\<@');
    expect(watchCardMarkdown(data)).toContain('\\*boss\\*');
  });

  it('uses the recording ID when the topic is not known yet', () => {
    expect(recordingLabel({ recordingId: 'abc' }, english())).toBe('recording abc');
    const data = buildWatchAlertCardData(eveAccess, ctx({ topic: undefined }));
    expect(data.title).toContain('recording 4f914b1dfe3c4d11a61730f18c0f5387');
  });

  it('writes the card in the watcher’s language', () => {
    const data = buildWatchAlertCardData(
      eveAccess,
      ctx({ locale: 'de-DE', messages: translatorFor('de-DE'), zone: 'Europe/Berlin' }),
    );
    const text = cardText(renderCard('watch-alert', data));
    expect(text).toContain('Neu heruntergeladen: Quarterly review');
    expect(text).toContain('Wer: Eve Outside');
    expect(text).toContain('Wann: 5. März 2024, 18:30 MEZ');
    expect(data.auditLabel).toBe('Prüfen');
  });

  it('summarises many: the counts, the first three and how many more', () => {
    const records = Array.from({ length: 8 }, (_, i) =>
      accessRecord({
        name: `Person ${i + 1}`,
        email: i < 3 ? `p${i + 1}@outside.example` : `p${i + 1}@example.com`,
        accessTime: `2024-03-05T17:${10 + i}:00Z`,
        viewed: i % 2 === 0,
        downloaded: i % 2 === 1,
      }),
    );
    const plan = planWatchAlerts(keyAccesses(records));
    const accesses: KeyedAccess[] = plan.kind === 'summary' ? plan.accesses : [];
    const card = renderCard('watch-alert', buildWatchSummaryCardData(accesses, ctx()));
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('8 new accesses: Quarterly review');
    expect(text).toContain(
      '4 views and 4 downloads; 3 by people outside your organisation. The first ones are below, and 5 more: press **Audit** for the whole report.',
    );
    expect(text).toContain(
      'Person 1 (p1@outside.example): Viewed · Mar 5, 2024, 9:10 AM PST · external',
    );
    expect(text).toContain('Person 3 (p3@outside.example): Viewed · Mar 5, 2024, 9:12 AM PST');
    expect(text).not.toContain('Person 4');
    expect((card.actions ?? []).length).toBe(1);
  });
});

describe('watch buttons', () => {
  it('reads the Audit button of an alert and the Watch button of a report card', () => {
    const audit = { action: 'watch.audit', recordingId: 'r1', requesterId: 'p1' };
    expect(parseCardAction(audit)).toEqual(audit);
    const data = watchActionData({ recordingId: 'r1', hostEmail: undefined, requesterId: 'p1' });
    expect(data).toEqual({ action: 'watch.start', recordingId: 'r1', requesterId: 'p1' });
    expect(parseCardAction(data)).toEqual(data);
    expect(parseCardAction({ ...data, hostEmail: 'other.host@example.com' })).toMatchObject({
      hostEmail: 'other.host@example.com',
    });
  });

  it('refuses a button without its person or recording', () => {
    expect(parseCardAction({ action: 'watch.start', recordingId: 'r1' })).toBeNull();
    expect(parseCardAction({ action: 'watch.audit', requesterId: 'p1' })).toBeNull();
    expect(
      parseCardAction({ action: 'watch.start', recordingId: 'x'.repeat(300), requesterId: 'p' }),
    ).toBeNull();
  });
});
