import {
  parseAccessTime,
  aggregateAccess,
  filterPeople,
  filterRecords,
  pagePeople,
} from '../../src/report/aggregate';
import type { AccessRecord } from '../../src/report/types';
import { accessRecord } from '../helpers/access-records';

const rec = (over: Partial<AccessRecord>): AccessRecord =>
  accessRecord({ topic: 'John Andersen Personal Room', ...over });

// The three records of the accessDetail example in Webex's API reference.
const spec: AccessRecord[] = [
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
    accessTime: '2020-07-13T10:20:00-07:00',
    viewed: true,
    downloaded: true,
  }),
];

const ms = (iso: string) => Date.parse(iso);

describe('aggregateAccess', () => {
  test("the spec's three records", () => {
    const r = aggregateAccess(spec);
    expect(r.recordingId).toBe('4f914b1dfe3c4d11a61730f18c0f5387');
    expect(r.topic).toBe('John Andersen Personal Room');
    expect(r.people.map((p) => [p.name, p.viewed, p.downloaded, p.accesses])).toEqual([
      ['Joe Doe', true, true, 1], // 17:20Z, most recent
      ['Brenda Song', false, true, 1],
      ['John Andersen', true, false, 1],
    ]);
    expect(r.totals).toEqual({
      people: 3,
      views: 2,
      downloads: 2,
      accesses: 3,
      viewers: 2,
      downloaders: 2,
      firstAccess: ms('2020-07-13T17:05:35Z'),
      lastAccess: ms('2020-07-13T17:20:00Z'),
      invalidTimes: 0,
    });
  });

  test('repeated viewers are one person; email case ignored; latest name wins', () => {
    const r = aggregateAccess([
      rec({ name: 'J. Andersen', accessTime: '2020-07-13T08:00:00Z' }),
      rec({
        email: 'JOHN.ANDERSEN@example.com',
        name: 'John Andersen',
        accessTime: '2020-07-14T08:00:00Z',
      }),
      rec({ name: '', accessTime: '2020-07-15T08:00:00Z', downloaded: true, viewed: false }),
      rec({ name: 'Brenda Song', email: 'brenda@example.com', accessTime: '2020-07-12T08:00:00Z' }),
    ]);
    expect(r.people).toHaveLength(2);
    const john = r.people[0];
    expect(john).toMatchObject({
      key: 'john.andersen@example.com',
      name: 'John Andersen',
      email: 'john.andersen@example.com',
      viewed: true,
      downloaded: true,
      views: 2,
      downloads: 1,
      accesses: 3,
      firstAccess: ms('2020-07-13T08:00:00Z'),
      lastAccess: ms('2020-07-15T08:00:00Z'),
    });
    expect(r.totals).toMatchObject({
      people: 2,
      views: 3,
      downloads: 1,
      accesses: 4,
      viewers: 2,
      downloaders: 1,
    });
  });

  test('empty email falls back to the name as key', () => {
    const r = aggregateAccess([
      rec({ email: '', name: 'Guest One' }),
      rec({ email: '', name: 'guest one', accessTime: '2020-07-13T18:00:00Z' }),
      rec({ email: '', name: 'Guest Two' }),
    ]);
    expect(r.people.map((p) => [p.key, p.accesses])).toEqual([
      ['name:guest one', 2],
      ['name:guest two', 1],
    ]);
  });

  test('empty list', () => {
    const r = aggregateAccess([]);
    expect(r.people).toEqual([]);
    expect(r.totals).toEqual({
      people: 0,
      views: 0,
      downloads: 0,
      accesses: 0,
      viewers: 0,
      downloaders: 0,
      firstAccess: null,
      lastAccess: null,
      invalidTimes: 0,
    });
  });

  test('invalid times are counted but not used for first/last, and sort last', () => {
    const r = aggregateAccess([
      rec({ email: 'a@example.com', name: 'Zed', accessTime: 'not a time' }),
      rec({ email: 'b@example.com', name: 'Amy', accessTime: '' }),
      rec({ email: 'c@example.com', name: 'Cy', accessTime: '2020-07-13T10:05:35-07:00' }),
      // Missing field entirely (bad API data) must not crash either.
      rec({ email: 'd@example.com', name: 'Di', accessTime: undefined as unknown as string }),
    ]);
    expect(r.totals.invalidTimes).toBe(3);
    expect(r.totals.accesses).toBe(4);
    expect(r.totals.firstAccess).toBe(ms('2020-07-13T17:05:35Z'));
    expect(r.totals.lastAccess).toBe(ms('2020-07-13T17:05:35Z'));
    expect(r.people.map((p) => p.name)).toEqual(['Cy', 'Amy', 'Di', 'Zed']);
    expect(r.people[1].lastAccess).toBeNull();
  });

  test('ties on last access are broken by name', () => {
    const r = aggregateAccess([
      rec({ email: 'b@example.com', name: 'bob' }),
      rec({ email: 'a@example.com', name: 'Alice' }),
      rec({ email: 'c@example.com', name: 'Carol' }),
    ]);
    expect(r.people.map((p) => p.name)).toEqual(['Alice', 'bob', 'Carol']);
  });
});

describe('filterPeople / pagePeople', () => {
  const r = aggregateAccess(spec);

  test('filters', () => {
    expect(filterPeople(r, 'everyone').map((p) => p.name)).toEqual([
      'Joe Doe',
      'Brenda Song',
      'John Andersen',
    ]);
    expect(filterPeople(r, 'viewed').map((p) => p.name)).toEqual(['Joe Doe', 'John Andersen']);
    expect(filterPeople(r, 'downloaded').map((p) => p.name)).toEqual(['Joe Doe', 'Brenda Song']);
  });

  const many = aggregateAccess(
    Array.from({ length: 60 }, (_, i) =>
      rec({
        email: `p${i}@example.com`,
        name: `P${i}`,
        accessTime: new Date(Date.UTC(2020, 0, 1, 0, i)).toISOString(),
      }),
    ),
  ).people;

  test('filterRecords: every access of the people a filter shows, in the given order', () => {
    const records = [
      rec({ email: 'a@example.com', viewed: true, downloaded: false }),
      rec({ email: 'b@example.com', viewed: true, downloaded: false }),
      rec({ email: 'A@example.com', viewed: false, downloaded: true }),
      rec({ email: '', name: 'Guest', viewed: false, downloaded: true }),
    ];
    expect(filterRecords(records, 'everyone')).toEqual(records);
    // a@ downloaded once, so their view is theirs too; b@ never downloaded.
    expect(filterRecords(records, 'downloaded')).toEqual([records[0], records[2], records[3]]);
    expect(filterRecords(records, 'viewed')).toEqual([records[0], records[1], records[2]]);
    const people = filterPeople(aggregateAccess(records), 'downloaded');
    expect(people.reduce((sum, p) => sum + p.accesses, 0)).toBe(3);
  });

  test('pages', () => {
    const p1 = pagePeople(many, 1, 25);
    expect(p1).toMatchObject({
      page: 1,
      pageCount: 3,
      total: 60,
      offset: 0,
      hasPrev: false,
      hasNext: true,
    });
    expect(p1.rows).toHaveLength(25);
    expect(p1.rows[0].name).toBe('P59');
    const p3 = pagePeople(many, 3, 25);
    expect(p3).toMatchObject({ page: 3, offset: 50, hasPrev: true, hasNext: false });
    expect(p3.rows.map((p) => p.name)).toEqual([
      'P9',
      'P8',
      'P7',
      'P6',
      'P5',
      'P4',
      'P3',
      'P2',
      'P1',
      'P0',
    ]);
  });

  test('out-of-range pages and sizes are clamped', () => {
    expect(pagePeople(many, 99, 25).page).toBe(3);
    expect(pagePeople(many, 0, 25).page).toBe(1);
    expect(pagePeople(many, NaN, 25).page).toBe(1);
    expect(pagePeople(many, 1, 0)).toMatchObject({ pageSize: 1, pageCount: 60 });
    expect(pagePeople([], 1, 25)).toMatchObject({
      rows: [],
      page: 1,
      pageCount: 1,
      hasPrev: false,
      hasNext: false,
    });
  });
});

describe('parseAccessTime', () => {
  it('reads the forms Webex sends, with Z or an offset', () => {
    expect(parseAccessTime('2020-07-13T17:05:35Z')).toBe(Date.UTC(2020, 6, 13, 17, 5, 35));
    expect(parseAccessTime('2020-07-13T10:05:35-07:00')).toBe(Date.UTC(2020, 6, 13, 17, 5, 35));
    expect(parseAccessTime(' 2020-07-13T22:35:35.250+05:30 ')).toBe(
      Date.UTC(2020, 6, 13, 17, 5, 35, 250),
    );
  });

  it('refuses impossible dates and junk instead of guessing', () => {
    expect(parseAccessTime('2020-02-30T10:00:00Z')).toBeNull();
    expect(parseAccessTime('2020-13-01T10:00:00Z')).toBeNull();
    expect(parseAccessTime('yesterday')).toBeNull();
    expect(parseAccessTime('')).toBeNull();
    expect(parseAccessTime(42)).toBeNull();
  });
});
