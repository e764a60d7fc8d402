/**
 * The weekly digest's pure parts: when it runs and which week it covers (Monday 09:00 in the
 * person's zone, DST and zone changes included), who is external, and what the card says.
 */
import { lastDigestTime, nextDigestTime, planDigestRun } from '../../src/bot/digest-plan';
import { renderCard } from '../../src/cards';
import { translatorFor } from '../../src/locales';
import {
  buildDigestCardData,
  buildDigestMarkdown,
  externalDownloadsIn,
  isQuietWeek,
  topRecordings,
  type DigestInput,
} from '../../src/report/digest';
import { parseCardAction } from '../../src/report/card-actions';
import { isExternal } from '../../src/report/organisation';
import type { RecordingSummary } from '../../src/report/recordings';
import { expectValidCard } from '../helpers/cards';
import { cardText } from '../helpers/card-text';

/** Every Action.Submit anywhere on the card (ActionSets sit inside the recording blocks). */
function submitButtons(card: unknown): Array<{ title?: string; data?: unknown }> {
  const found: Array<{ title?: string; data?: unknown }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const element = node as { type?: string; title?: string; data?: unknown };
    if (element.type === 'Action.Submit') found.push(element);
    Object.values(element).forEach(visit);
  };
  visit(card);
  return found;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);

describe('digest times', () => {
  it('is Monday 09:00 on the wall clock of the zone', () => {
    // Wednesday 6 Nov 2024, noon UTC.
    const wed = at('2024-11-06T12:00:00Z');
    expect(new Date(nextDigestTime(wed, 'Asia/Tokyo')).toISOString()).toBe(
      '2024-11-11T00:00:00.000Z',
    );
    expect(new Date(nextDigestTime(wed, 'America/Los_Angeles')).toISOString()).toBe(
      '2024-11-11T17:00:00.000Z',
    );
    // Strictly after: at 09:00 itself the next is a week later; a minute before, it is that one.
    const monday = at('2024-11-11T00:00:00Z');
    expect(nextDigestTime(monday, 'Asia/Tokyo')).toBe(monday + 7 * DAY);
    expect(nextDigestTime(monday - 60_000, 'Asia/Tokyo')).toBe(monday);
  });

  it('keeps 09:00 across a daylight-saving change (Los Angeles, 3 Nov 2024)', () => {
    const before = nextDigestTime(at('2024-10-30T00:00:00Z'), 'America/Los_Angeles');
    expect(new Date(before).toISOString()).toBe('2024-11-04T17:00:00.000Z'); // PST
    const summer = nextDigestTime(at('2024-10-25T00:00:00Z'), 'America/Los_Angeles');
    expect(new Date(summer).toISOString()).toBe('2024-10-28T16:00:00.000Z'); // PDT
    expect(lastDigestTime(before, 'America/Los_Angeles')).toBe(before);
    expect(lastDigestTime(before - 1, 'America/Los_Angeles')).toBe(summer);
  });
});

describe('planDigestRun', () => {
  const tokyoMonday = at('2024-11-11T00:00:00Z');
  const laMonday = at('2024-11-11T17:00:00Z');

  it('sends the week before the run and plans the next Monday', () => {
    expect(planDigestRun(tokyoMonday, tokyoMonday, 'Asia/Tokyo')).toEqual({
      send: true,
      week: { from: tokyoMonday - 7 * DAY, to: tokyoMonday },
      nextRunAt: tokyoMonday + 7 * DAY,
    });
  });

  it('covers the same week when a retry runs hours late', () => {
    const plan = planDigestRun(tokyoMonday + 2 * HOUR, tokyoMonday + 2 * HOUR, 'Asia/Tokyo');
    expect(plan).toMatchObject({ send: true, week: { to: tokyoMonday } });
  });

  it('sends one digest, for the last whole week, after a long downtime', () => {
    const now = tokyoMonday + 17 * DAY;
    expect(planDigestRun(tokyoMonday, now, 'Asia/Tokyo')).toEqual({
      send: true,
      week: { from: tokyoMonday + 7 * DAY, to: tokyoMonday + 14 * DAY },
      nextRunAt: tokyoMonday + 21 * DAY,
    });
  });

  it('waits for 09:00 where the person now is when their zone moved west', () => {
    // Planned for Tokyo, but the person is now in Los Angeles: Monday 09:00 there is 17 h later.
    expect(planDigestRun(tokyoMonday, tokyoMonday, 'America/Los_Angeles')).toEqual({
      send: false,
      runAt: laMonday,
    });
  });

  it('sends at once when their zone moved east and 09:00 there has passed', () => {
    expect(planDigestRun(laMonday, laMonday, 'Asia/Tokyo')).toEqual({
      send: true,
      week: { from: tokyoMonday - 7 * DAY, to: tokyoMonday },
      nextRunAt: tokyoMonday + 7 * DAY,
    });
  });
});

describe('isExternal', () => {
  const me = 'ann@corp.example';
  it('is inside for the organisation domains and their subdomains, in any case', () => {
    expect(isExternal('bob@corp.example', ['corp.example'], me)).toBe(false);
    expect(isExternal('Bob@EU.Corp.Example', ['corp.example'], me)).toBe(false);
    expect(isExternal('bob@other.example', ['corp.example', 'other.example'], me)).toBe(false);
  });
  it('is outside for other domains, look-alikes included', () => {
    expect(isExternal('eve@outside.example', ['corp.example'], me)).toBe(true);
    expect(isExternal('eve@evilcorp.example', ['corp.example'], me)).toBe(true);
    expect(isExternal('eve@corp.example.evil', ['corp.example'], me)).toBe(true);
  });
  it("uses the requester's own domain when no organisation domain is set", () => {
    expect(isExternal('bob@CORP.example', [], me)).toBe(false);
    expect(isExternal('bob@sub.corp.example', [], me)).toBe(false);
    expect(isExternal('eve@outside.example', [], me)).toBe(true);
  });
  it('counts an address without a domain as external (it cannot be shown to be inside)', () => {
    expect(isExternal('', ['corp.example'], me)).toBe(true);
    expect(isExternal('Ann Corp', [], me)).toBe(true);
  });
});

const summary = (
  id: string,
  views: number,
  downloads: number,
  over: Partial<RecordingSummary> = {},
) => ({
  recordingId: id,
  topic: `Topic ${id}`,
  timeRecorded: '2024-11-05T10:00:00Z',
  hostEmail: 'ann@corp.example',
  viewCount: views,
  downloadCount: downloads,
  ...over,
});

describe('ranking and the quiet week', () => {
  it('ranks by views and downloads together, then views; leaves out recordings nobody opened', () => {
    const ranked = topRecordings([
      summary('a', 1, 0),
      summary('b', 3, 3),
      summary('c', 0, 0),
      summary('d', 4, 2),
      summary('e', 2, 0),
      summary('f', 1, 1),
      summary('g', 1, 1, { timeRecorded: '2024-11-06T10:00:00Z' }),
    ]);
    expect(ranked.map((s) => s.recordingId)).toEqual(['d', 'b', 'e', 'g', 'f']);
  });

  it('is quiet only with no view and no download anywhere', () => {
    expect(isQuietWeek([])).toBe(true);
    expect(isQuietWeek([summary('a', 0, 0)])).toBe(true);
    expect(isQuietWeek([summary('a', 0, 1)])).toBe(false);
  });
});

describe('externalDownloadsIn', () => {
  const week = { from: at('2024-11-04T00:00:00Z'), to: at('2024-11-11T00:00:00Z') };
  const record = (email: string, accessTime: string, downloaded = true) => ({
    recordingId: 'r',
    topic: 'T',
    name: email.split('@')[0],
    email,
    accessTime,
    viewed: !downloaded,
    downloaded,
  });
  it('keeps downloads in the week by people outside, oldest first', () => {
    const outside = (email: string) => isExternal(email, ['corp.example'], 'ann@corp.example');
    const found = externalDownloadsIn(
      [
        record('eve@outside.example', '2024-11-08T09:00:00+09:00'),
        record('bob@corp.example', '2024-11-06T10:00:00Z'),
        record('mal@outside.example', '2024-11-05T10:00:00Z'),
        record('eve@outside.example', '2024-11-06T10:00:00Z', false),
        record('old@outside.example', '2024-11-03T23:59:59Z'),
        record('late@outside.example', '2024-11-11T00:00:00Z'),
        record('bad@outside.example', 'yesterday'),
      ],
      week,
      outside,
    );
    expect(found.map((f) => [f.email, new Date(f.accessTime).toISOString()])).toEqual([
      ['mal@outside.example', '2024-11-05T10:00:00.000Z'],
      ['eve@outside.example', '2024-11-08T00:00:00.000Z'],
    ]);
  });
});

describe('buildDigestCardData', () => {
  const week = { from: at('2024-11-04T17:00:00Z'), to: at('2024-11-11T17:00:00Z') };
  const input = (over: Partial<DigestInput> = {}): DigestInput => ({
    week,
    zone: 'America/Los_Angeles',
    locale: 'en-US',
    messages: translatorFor('en-US'),
    requesterId: 'PERSON',
    requesterEmail: 'ann@corp.example',
    summaries: [summary('a', 5, 2), summary('b', 1, 0), summary('quiet', 0, 0)],
    external: [
      {
        recordingId: 'a',
        name: 'Eve',
        email: 'eve@outside.example',
        accessTime: at('2024-11-06T18:30:00Z'),
      },
    ],
    allHosts: false,
    uncheckedRecordings: 0,
    partlyChecked: 0,
    adminLost: false,
    ...over,
  });

  it('lists the busiest recordings with their counts, the external downloads and an Audit button each', () => {
    const data = buildDigestCardData(input());
    const card = renderCard('digest', data);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('Your week in recordings');
    expect(text).toContain('Nov 4, 2024, 9:00 AM PST – Nov 11, 2024, 9:00 AM PST');
    expect(text).toContain(
      '2 recordings with activity: 6 views, 2 downloads, 1 external download.',
    );
    expect(text).toMatch(
      /Topic a\n5 views · 2 downloads\nExternal download: Eve \(eve@outside\.example\), Nov 6, 2024, 10:30 AM PST/,
    );
    expect(text).toContain('Topic b');
    expect(text).not.toContain('Topic quiet');
    const buttons = submitButtons(card);
    expect(buttons.map((b) => b.data)).toEqual([
      { action: 'digest.audit', recordingId: 'a', requesterId: 'PERSON' },
      { action: 'digest.audit', recordingId: 'b', requesterId: 'PERSON' },
    ]);
    expect(buildDigestMarkdown(data)).toContain('**Topic a**: 5 views · 2 downloads');
  });

  it('names hosts in an admin digest, and audits other hosts with host', () => {
    const data = buildDigestCardData(
      input({
        allHosts: true,
        summaries: [summary('a', 1, 0), summary('b', 2, 0, { hostEmail: 'otto@corp.example' })],
        external: [],
      }),
    );
    const text = cardText(renderCard('digest', data));
    expect(text).toContain("Your sites' week in recordings");
    expect(text).toContain('2 views · 0 downloads · host otto@corp.example');
    expect(data.blocks.map((b) => b.auditData)).toEqual([
      {
        action: 'digest.audit',
        recordingId: 'b',
        hostEmail: 'otto@corp.example',
        requesterId: 'PERSON',
      },
      { action: 'digest.audit', recordingId: 'a', requesterId: 'PERSON' },
    ]);
    expect(text).toContain('No downloads by people outside your organisation.');
  });

  it('adds recordings outside the top five that had external downloads, with a picker when buttons run out', () => {
    const summaries = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => summary(id, 10 - i, 0));
    summaries.push(summary('late', 0, 1));
    const data = buildDigestCardData(
      input({
        summaries,
        external: [
          {
            recordingId: 'late',
            name: '',
            email: 'x@outside.example',
            accessTime: week.from + HOUR,
          },
        ],
      }),
    );
    expect(data.blocks.map((b) => b.topic)).toEqual([
      'Topic a',
      'Topic b',
      'Topic c',
      'Topic d',
      'Topic e',
      'Topic late',
    ]);
    const card = renderCard('digest', data);
    expectValidCard(card);
    const buttons = submitButtons(card);
    expect(buttons.map((b) => b.data)).toEqual([{ action: 'digest.audit', requesterId: 'PERSON' }]);
    expect(cardText(card)).toContain('External download: Unknown person (x@outside.example)');
    expect(data.choices.map((c) => c.value)).toEqual(['a', 'b', 'c', 'd', 'e', 'late']);
  });

  it('says what was not checked, and what a quiet week is, in the person’s language', () => {
    const quiet = buildDigestCardData(
      input({
        summaries: [],
        external: [],
        messages: translatorFor('de-DE'),
        locale: 'de-DE',
        uncheckedRecordings: 2,
        partlyChecked: 1,
        adminLost: true,
      }),
    );
    const text = cardText(renderCard('digest', quiet));
    expect(text).toContain('Diese Woche keine Aufrufe und keine Downloads.');
    expect(text).toContain(
      '2 weitere Aufzeichnungen mit Downloads wurden nicht auf externe Personen geprüft.',
    );
    expect(text).toContain('1 langer Bericht wurde nur teilweise');
    expect(text).toContain('connect admin');
    expect(quiet.hasBlocks).toBe(false);
  });

  it('shows at most 20 external downloads and counts the rest', () => {
    const external = Array.from({ length: 23 }, (_, i) => ({
      recordingId: 'a',
      name: `P${i}`,
      email: `p${i}@outside.example`,
      accessTime: week.from + i * HOUR,
    }));
    const data = buildDigestCardData(input({ external }));
    expect(data.blocks[0].external).toHaveLength(20);
    const card = renderCard('digest', data);
    expectValidCard(card);
    expect(cardText(card)).toContain('…and 3 more external downloads');
  });

  it('escapes what came from Webex', () => {
    const data = buildDigestCardData(
      input({
        summaries: [summary('a', 1, 1, { topic: '*Board* [x](https://evil.example)' })],
        external: [
          { recordingId: 'a', name: '<@all>', email: 'e@outside.example', accessTime: week.from },
        ],
      }),
    );
    const raw = JSON.stringify(renderCard('digest', data));
    expect(raw).not.toContain('[x](https://evil.example)');
    expect(raw).not.toContain('<@all>');
  });
});

describe("the digest's Audit button", () => {
  it('is read back as the card gave it, and anything else is not ours', () => {
    const button = { action: 'digest.audit', recordingId: 'abc', requesterId: 'P' };
    expect(parseCardAction(button)).toEqual(button);
    const picked = {
      action: 'digest.audit',
      requesterId: 'P',
      recordingChoice: 'abc x@corp.example',
    };
    expect(parseCardAction(picked)).toEqual(picked);
    expect(parseCardAction({ action: 'digest.audit', recordingId: 'abc' })).toBeNull();
    expect(parseCardAction({ ...button, recordingId: 'x'.repeat(300) })).toBeNull();
  });
});
