/**
 * Seed recordings for the sandbox, and a deterministic generator of access records that the
 * benchmarks use to build recordings of any size. Nothing here reads the wall clock unless
 * the caller leaves `now` out, and nothing uses Math.random: the same inputs always give the
 * same recordings, IDs and times.
 */
import { createHash } from 'node:crypto';
import { mulberry32, seedFromString, type Prng } from './prng';
import type { SandboxAccessRecord, SandboxRecording, SandboxState } from './state';

/** The sandbox's single Webex site. */
export const SANDBOX_SITE_URL = 'sandbox-example.webex.com';

/** The seeded people the recordings refer to (seeded by the sandbox's people seed). */
export const SEED_RECORDING_EMAILS = {
  host: 'host@example.com',
  admin: 'admin@example.com',
  colleague: 'colleague@example.com',
  otherHost: 'other.host@example.com',
} as const;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * A stable recording ID (32 lowercase hex characters, like Webex's) derived from a key.
 * @example recordingIdFor('weekly') // always the same 32 hex characters
 */
export function recordingIdFor(key: string): string {
  return createHash('sha256').update(`sandbox-recording:${key}`).digest('hex').slice(0, 32);
}

/** IDs of the seeded recordings. `example` is the ID used in Webex's own API reference. */
export const SEED_RECORDING_IDS = {
  example: '4f914b1dfe3c4d11a61730f18c0f5387',
  weekly: recordingIdFor('weekly'),
  allHands: recordingIdFor('all-hands'),
  board: recordingIdFor('board'),
  shared: recordingIdFor('shared'),
  confidential: recordingIdFor('confidential'),
} as const;

/** Topics of the seeded recordings, keyed like {@link SEED_RECORDING_IDS}. */
export const SEED_RECORDING_TOPICS = {
  example: 'Example Topic',
  weekly: 'Weekly sync',
  allHands: 'All-hands Q3',
  board: 'Board prep',
  shared: 'Shared design review',
  confidential: 'Confidential',
} as const;

/** Access-record counts of the seeded recordings, so tests need not hard-code them. */
export const SEED_RECORDING_COUNTS = {
  example: 3,
  weekly: 25,
  allHands: 2500,
  board: 10,
  shared: 5,
  confidential: 4,
} as const;

/** Viewer names in "Weekly sync" that exercise escaping in cards, markdown and CSV. */
export const HOSTILE_VIEWER_NAMES = {
  markdown: '*Mallory* [click](https://evil.example)',
  formula: '=HYPERLINK("https://evil.example","x")',
  unicode: 'Zoë Ångström 李',
} as const;

const FIRST_NAMES = [
  'Aisha', 'Ben', 'Carla', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas',
  'Kwame', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Paula', 'Quinn', 'Rosa', 'Sven', 'Tara',
  'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zara', 'Alan', 'Bianca', 'Chen', 'Dana',
]; // prettier-ignore
const LAST_NAMES = [
  'Adams', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen',
  'Kim', 'Lopez', 'Meyer', 'Novak', 'Okafor', 'Petrov', 'Quist', 'Rossi', 'Silva', 'Tanaka',
  'Ueda', 'Vogel', 'Wagner', 'Xu', 'Young', 'Zhang', 'Berg', 'Moreau', 'Nguyen', 'Singh',
]; // prettier-ignore

/** Options for {@link generateAccessRecords}. */
export interface AccessRecordOptions {
  /** PRNG seed (a number, or any string). Default 1. */
  seed?: number | string;
  /** Earliest access, epoch ms (inclusive). */
  fromMs: number;
  /** Latest access, epoch ms (exclusive). */
  toMs: number;
  /** How many different people access it. Default about one in eight records, at least 1. */
  distinctPeople?: number;
  /** Domain of generated emails. Default `example.com`. */
  emailDomain?: string;
}

/** A generated person: `index` 0 is "Aisha Adams", 30 is "Aisha Bauer", 900 is "Aisha Adams 2". */
function generatedPerson(index: number, domain: string): { name: string; email: string } {
  const first = FIRST_NAMES[index % FIRST_NAMES.length];
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length];
  const round = Math.floor(index / (FIRST_NAMES.length * LAST_NAMES.length));
  const suffix = round === 0 ? '' : String(round + 1);
  return {
    name: suffix ? `${first} ${last} ${suffix}` : `${first} ${last}`,
    email: `${first}.${last}${suffix}@${domain}`.toLowerCase(),
  };
}

/** 60% view only, 15% download only, 25% both. */
function accessKind(rand: Prng): { viewed: boolean; downloaded: boolean } {
  const r = rand();
  if (r < 0.6) return { viewed: true, downloaded: false };
  if (r < 0.75) return { viewed: false, downloaded: true };
  return { viewed: true, downloaded: true };
}

/** UTC ISO-8601 without milliseconds, as Webex writes times: `2020-07-13T17:05:35Z`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Generates `count` access records, sorted by `accessTime` ascending (UTC). Pure and
 * deterministic: the same arguments always give the same records. Every one of the
 * `distinctPeople` appears at least once (when `count` allows); the rest are repeat visits,
 * skewed so a few people come back often.
 * @example
 * generateAccessRecords(250, { seed: 'bench', fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 1, 1) })
 */
export function generateAccessRecords(
  count: number,
  options: AccessRecordOptions,
): SandboxAccessRecord[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a whole number');
  if (!(options.toMs > options.fromMs)) throw new RangeError('toMs must be after fromMs');
  const seed = options.seed ?? 1;
  const rand = mulberry32(typeof seed === 'number' ? seed : seedFromString(seed));
  const domain = options.emailDomain ?? 'example.com';
  const distinct = Math.max(1, options.distinctPeople ?? Math.round(count / 8));
  const span = options.toMs - options.fromMs;

  const records: SandboxAccessRecord[] = [];
  for (let i = 0; i < count; i++) {
    // First visit of each person, then repeat visits skewed towards low indexes.
    const personIndex = i < distinct ? i : Math.floor(rand() * rand() * distinct);
    const person = generatedPerson(personIndex, domain);
    const accessMs = options.fromMs + Math.floor(rand() * span);
    records.push({ ...person, accessTime: isoSeconds(accessMs), ...accessKind(rand) });
  }
  return sortByAccessTime(records);
}

/** Sorts (a copy) by accessTime ascending; equal times keep their order. */
export function sortByAccessTime(records: SandboxAccessRecord[]): SandboxAccessRecord[] {
  // Stored times are all UTC `…Z` of the same shape, so string order is time order.
  return [...records].sort((a, b) =>
    a.accessTime < b.accessTime ? -1 : a.accessTime > b.accessTime ? 1 : 0,
  );
}

/** Options for {@link addRecording}. */
export interface AddRecordingOptions {
  topic: string;
  hostEmail: string;
  /** Number of generated access records (ignored when `records` is given). */
  count: number;
  sharedWith?: string[];
  /** PRNG seed for the records; also part of the derived ID. Default: the topic. */
  seed?: number | string;
  /** Default: derived from hostEmail, topic and seed. */
  id?: string;
  /** Default: 3 days before `now`, on the minute. */
  timeRecorded?: string;
  siteUrl?: string;
  /** Clock for the defaults, epoch ms. Default Date.now(). */
  now?: number;
  distinctPeople?: number;
  /** Use these records (sorted for you) instead of generating them. */
  records?: SandboxAccessRecord[];
}

/**
 * Adds (or replaces, by ID) a recording with `count` generated access records, spread from
 * 10 minutes after it was recorded until a minute before `now`.
 * @example
 * const rec = addRecording(state, { topic: 'Bench 10k', hostEmail: 'host@example.com', count: 10_000, seed: 7 });
 * rec.accessRecords.length // 10000
 */
export function addRecording(state: SandboxState, options: AddRecordingOptions): SandboxRecording {
  const now = options.now ?? Date.now();
  const seed = options.seed ?? options.topic;
  const recordedMs =
    options.timeRecorded !== undefined
      ? Date.parse(options.timeRecorded)
      : Math.floor((now - 3 * DAY_MS) / MINUTE_MS) * MINUTE_MS;
  if (Number.isNaN(recordedMs)) throw new RangeError('timeRecorded must be an ISO-8601 time');
  const fromMs = recordedMs + 10 * MINUTE_MS;
  const toMs = Math.max(fromMs + MINUTE_MS, now - MINUTE_MS);

  const recording: SandboxRecording = {
    id: options.id ?? recordingIdFor(`${options.hostEmail}|${options.topic}|${String(seed)}`),
    topic: options.topic,
    hostEmail: options.hostEmail,
    siteUrl: options.siteUrl ?? SANDBOX_SITE_URL,
    timeRecorded: isoSeconds(recordedMs),
    sharedWith: options.sharedWith ?? [],
    accessRecords: options.records
      ? sortByAccessTime(options.records)
      : generateAccessRecords(options.count, {
          seed,
          fromMs,
          toMs,
          distinctPeople: options.distinctPeople,
        }),
  };
  state.recordings.set(recording.id, recording);
  return recording;
}

/** The three access records of Webex's accessDetail example, verbatim. */
export const EXAMPLE_ACCESS_RECORDS: readonly SandboxAccessRecord[] = [
  {
    name: 'John Andersen',
    email: 'john.andersen@example.com',
    accessTime: '2020-07-13T17:05:35Z',
    viewed: true,
    downloaded: false,
  },
  {
    name: 'Brenda Song',
    email: 'brenda.song@example.com',
    accessTime: '2020-07-18T19:05:35Z',
    viewed: false,
    downloaded: true,
  },
  {
    name: 'Joe Doe',
    email: 'joeDoe@example.com',
    accessTime: '2020-08-18T19:08:33Z',
    viewed: true,
    downloaded: true,
  },
];

/** "Weekly sync" viewers; several come back, some names are hostile on purpose. */
const WEEKLY_PEOPLE = [
  { name: 'Priya Patel', email: 'priya.patel@example.com' },
  { name: 'Marcus Lee', email: 'marcus.lee@example.com' },
  { name: HOSTILE_VIEWER_NAMES.markdown, email: 'mallory@evil.example' },
  { name: HOSTILE_VIEWER_NAMES.formula, email: 'formula@example.com' },
  { name: HOSTILE_VIEWER_NAMES.unicode, email: 'zoe.angstrom@example.com' },
  { name: "Sam O'Neil", email: 'sam.oneil@example.com' },
  { name: 'Ana García', email: 'ana.garcia@example.com' },
  { name: 'Tom Becker', email: 'tom.becker@example.com' },
  { name: 'Fatima Khan', email: 'fatima.khan@example.com' },
  { name: 'Lin Wu', email: 'lin.wu@example.com' },
] as const;

/** [person index, minutes after recording, viewed, downloaded]: 25 visits. */
const WEEKLY_VISITS: ReadonlyArray<readonly [number, number, boolean, boolean]> = [
  [0, 12, true, false], [1, 25, true, false], [2, 31, true, false], [0, 47, true, true],
  [3, 58, true, false], [4, 66, true, false], [5, 80, false, true], [6, 95, true, false],
  [7, 120, true, false], [1, 150, true, true], [8, 181, true, false], [9, 240, false, true],
  [0, 300, true, false], [2, 333, false, true], [4, 390, true, true], [3, 420, true, false],
  [6, 500, true, false], [9, 610, true, false], [0, 720, true, false], [1, 845, true, false],
  [5, 900, true, false], [7, 1010, false, true], [8, 1200, true, true], [6, 1500, true, false],
  [9, 1800, true, false],
]; // prettier-ignore

function weeklyRecords(recordedMs: number): SandboxAccessRecord[] {
  return WEEKLY_VISITS.map(([who, minutes, viewed, downloaded]) => ({
    ...WEEKLY_PEOPLE[who],
    accessTime: isoSeconds(recordedMs + minutes * MINUTE_MS + who * 1000),
    viewed,
    downloaded,
  }));
}

/** Options for {@link seedRecordings}. */
export interface SeedRecordingsOptions {
  /** The clock recording times are relative to, epoch ms. Default Date.now(). */
  now?: number;
}

/**
 * Seeds the sandbox's recordings (see {@link SEED_RECORDING_IDS}). Times are relative to
 * `now` (except "Example Topic", which keeps the 2020 times of Webex's example), so a
 * "recent recordings" list has something in it. Calling it again replaces them.
 * @example seedRecordings(state, { now: Date.parse('2024-06-01T12:00:00Z') })
 */
export function seedRecordings(state: SandboxState, options: SeedRecordingsOptions = {}): void {
  const now = options.now ?? Date.now();
  const onTheHour = (daysAgo: number): number =>
    Math.floor((now - daysAgo * DAY_MS) / HOUR_MS) * HOUR_MS;
  const { host, otherHost } = SEED_RECORDING_EMAILS;
  const ids = SEED_RECORDING_IDS;
  const topics = SEED_RECORDING_TOPICS;
  const counts = SEED_RECORDING_COUNTS;

  addRecording(state, {
    id: ids.example,
    topic: topics.example,
    hostEmail: host,
    count: counts.example,
    timeRecorded: '2020-07-13T16:30:00Z',
    records: [...EXAMPLE_ACCESS_RECORDS],
  });

  const weeklyMs = onTheHour(2);
  addRecording(state, {
    id: ids.weekly,
    topic: topics.weekly,
    hostEmail: host,
    count: counts.weekly,
    timeRecorded: isoSeconds(weeklyMs),
    records: weeklyRecords(weeklyMs),
  });

  addRecording(state, {
    id: ids.allHands,
    topic: topics.allHands,
    hostEmail: host,
    count: counts.allHands,
    distinctPeople: 300,
    seed: 'all-hands',
    timeRecorded: isoSeconds(onTheHour(59)),
    now,
  });

  addRecording(state, {
    id: ids.board,
    topic: topics.board,
    hostEmail: otherHost,
    count: counts.board,
    distinctPeople: 6,
    seed: 'board',
    timeRecorded: isoSeconds(onTheHour(10)),
    now,
  });

  addRecording(state, {
    id: ids.shared,
    topic: topics.shared,
    hostEmail: otherHost,
    sharedWith: [host],
    count: counts.shared,
    distinctPeople: 4,
    seed: 'shared',
    timeRecorded: isoSeconds(onTheHour(4)),
    now,
  });

  addRecording(state, {
    id: ids.confidential,
    topic: topics.confidential,
    hostEmail: otherHost,
    count: counts.confidential,
    distinctPeople: 3,
    seed: 'confidential',
    timeRecorded: isoSeconds(onTheHour(20)),
    now,
  });
}
