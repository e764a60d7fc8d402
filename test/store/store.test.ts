/**
 * One behavioural suite, run against every adapter: SQLite in memory, SQLite in a file (also
 * checking that nothing is lost on close/reopen) and PostgreSQL in a throw-away schema.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  openStore,
  type OAuthState,
  type ScheduledJobDefinition,
  type Store,
  type StoredAccount,
  type UsageEntry,
  type StoredWatch,
} from '../../src/store';
import { DEFAULT_PROBE_URL, hostOf } from './postgres-server';

// Set by global-setup.ts to the server it found or started.
const PG_URL = process.env.TEST_POSTGRES_URL ?? DEFAULT_PROBE_URL;

interface Adapter {
  name: string;
  /** Opens a store on the same data every time (until cleanup). */
  open(): Promise<Store>;
  /** False for :memory:, whose data cannot outlive the connection. */
  persistent: boolean;
  setup?(): Promise<void>;
  cleanup?(): Promise<void>;
}

const tmp = mkdtempSync(join(tmpdir(), 'audit-store-'));
const sqliteFile = join(tmp, 'nested', 'dir', 'audit.db');
const pgSchema = `test_store_${process.pid}_${randomBytes(4).toString('hex')}`;

async function pgAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const unavailable = process.env.TEST_POSTGRES_UNAVAILABLE;
  if (unavailable) throw new Error(`No PostgreSQL for the store tests: ${unavailable}`);
  const client = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL for the store tests was not reachable at ${hostOf(PG_URL)} ` +
        `(${(err as Error).message}). Check TEST_POSTGRES_URL, or unset it to use ` +
        `127.0.0.1:5432 or an embedded server.`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const adapters: Adapter[] = [
  { name: 'sqlite :memory:', open: () => openStore('sqlite::memory:'), persistent: false },
  {
    name: 'sqlite file',
    open: () => openStore(`sqlite:${sqliteFile}`),
    persistent: true,
    cleanup: async () => rmSync(tmp, { recursive: true, force: true }),
  },
  {
    name: 'postgres',
    open: () => openStore(PG_URL, { postgres: { schema: pgSchema } }),
    persistent: true,
    setup: () => pgAdmin(async () => undefined),
    cleanup: () =>
      pgAdmin(async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      }),
  },
];

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

function account(personId: string, over: Partial<StoredAccount> = {}): StoredAccount {
  return {
    personId,
    email: `${personId}@example.com`,
    accessTokenEnc: `v1.iv.tag.access-${personId}`,
    refreshTokenEnc: `v1.iv.tag.refresh-${personId}`,
    accessExpiresAt: T0 + 14 * 86_400_000,
    refreshExpiresAt: T0 + 90 * 86_400_000,
    scopes: ['spark:people_read', 'meeting:recordings_read'],
    updatedAt: T0,
    ...over,
  };
}

/** A minimal pending authorization; `over` changes only what a test cares about. */
function oauthState(state: string, over: Partial<OAuthState> = {}): OAuthState {
  return { state, personId: 'P', codeVerifier: 'v', scopes: [], expiresAt: T0, ...over };
}

describe.each(adapters)('Store ($name)', (adapter) => {
  let store: Store;
  // Ids unique per test so tests do not see each other's rows in persistent stores.
  let n = 0;
  const id = (label: string) => `${label}-${++n}-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    await adapter.setup?.();
    store = await adapter.open();
  });
  afterAll(async () => {
    await store?.close();
    await adapter.cleanup?.();
  });

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  describe('accounts', () => {
    it('saves, reads, replaces and deletes an account', async () => {
      const p = id('person');
      expect(await store.getAccount(p)).toBeNull();
      await store.saveAccount(account(p));
      expect(await store.getAccount(p)).toEqual(account(p));

      const updated = account(p, {
        accessTokenEnc: 'v1.new',
        scopes: ['meeting:admin_recordings_read'],
        updatedAt: T0 + 1000,
      });
      await store.saveAccount(updated);
      expect(await store.getAccount(p)).toEqual(updated);

      await store.deleteAccount(p);
      expect(await store.getAccount(p)).toBeNull();
      await expect(store.deleteAccount(p)).resolves.toBeUndefined();
    });

    it('replaces or deletes an account only while it is the version the caller read', async () => {
      const p = id('person');
      await store.saveAccount(account(p));
      const refreshed = account(p, { accessTokenEnc: 'v1.refreshed', updatedAt: T0 + 1 });
      expect(await store.replaceAccountIfUnchanged(refreshed, T0 + 999)).toBe(false);
      expect(await store.getAccount(p)).toEqual(account(p));
      expect(await store.replaceAccountIfUnchanged(refreshed, T0)).toBe(true);
      expect(await store.getAccount(p)).toEqual(refreshed);

      expect(await store.deleteAccountIfUnchanged(p, T0)).toBe(false);
      expect(await store.getAccount(p)).toEqual(refreshed);
      expect(await store.deleteAccountIfUnchanged(p, T0 + 1)).toBe(true);
      expect(await store.getAccount(p)).toBeNull();
      // Never re-creates an account that is gone.
      expect(await store.replaceAccountIfUnchanged(refreshed, T0 + 1)).toBe(false);
      expect(await store.getAccount(p)).toBeNull();
    });
    it('lets one caller at a time claim a refresh, until the claim ends or lapses', async () => {
      const p = id('person');
      await store.saveAccount(account(p));
      const claim = (claimId: string, now = T0, expectedUpdatedAt = T0) =>
        store.claimAccountRefresh({
          personId: p,
          expectedUpdatedAt,
          claimId,
          now,
          until: now + 500,
        });
      const racing = await Promise.all(['a', 'b', 'c'].map((c) => claim(c)));
      expect(racing.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c'][racing.indexOf(true)];

      expect(await claim('late', T0 + 499)).toBe(false);
      expect(await claim('stale-version', T0 + 500, T0 - 1)).toBe(false);
      // Only its holder releases a claim.
      await store.releaseAccountRefresh(p, 'late');
      expect(await claim('late', T0 + 1)).toBe(false);
      await store.releaseAccountRefresh(p, winner);
      expect(await claim('next', T0 + 1)).toBe(true);
      // A crashed holder's claim lapses.
      expect(await claim('after-crash', T0 + 501)).toBe(true);

      // Storing the refreshed token ends the claim; the account is otherwise untouched.
      const refreshed = account(p, { accessTokenEnc: 'v1.refreshed', updatedAt: T0 + 1 });
      expect(await store.replaceAccountIfUnchanged(refreshed, T0)).toBe(true);
      expect(await store.getAccount(p)).toEqual(refreshed);
      expect(await claim('fresh', T0 + 2, T0 + 1)).toBe(true);
      // So does linking again.
      await store.saveAccount(account(p, { updatedAt: T0 + 2 }));
      expect(await claim('relinked', T0 + 3, T0 + 2)).toBe(true);
      // Never on an account that is gone.
      await store.deleteAccount(p);
      expect(await claim('gone', T0 + 9_999, T0 + 2)).toBe(false);
      expect(await store.getAccount(p)).toBeNull();
    });
  });

  describe('OAuth states', () => {
    it('takes a state once, with every field', async () => {
      const state = id('state');
      const saved = {
        state,
        personId: 'P1',
        codeVerifier: 'verifier',
        scopes: ['a', 'b'],
        redirectRoomId: 'ROOM',
        pendingRequest: JSON.stringify({ text: 'audit abc', roomId: 'ROOM' }),
        expiresAt: T0 + 600_000,
      };
      await store.saveOAuthState(saved);
      expect(await store.isOAuthStateUsed(state)).toBe(false);
      expect(await store.takeOAuthState(state, T0)).toEqual(saved);
      expect(await store.takeOAuthState(state, T0)).toBeNull();
      expect(await store.isOAuthStateUsed(state)).toBe(true);
      expect(await store.isOAuthStateUsed(id('never-issued'))).toBe(false);
    });

    it('returns null for an unknown state, and leaves optional fields out', async () => {
      expect(await store.takeOAuthState('nope', T0)).toBeNull();
      const state = id('state');
      await store.saveOAuthState(oauthState(state));
      const taken = await store.takeOAuthState(state, T0);
      expect(taken).toEqual({ state, personId: 'P', codeVerifier: 'v', scopes: [], expiresAt: T0 });
    });

    it('returns an expired state with its expiry so the caller can say "expired"', async () => {
      const state = id('state');
      await store.saveOAuthState(oauthState(state, { expiresAt: 5 }));
      const taken = await store.takeOAuthState(state, T0);
      expect(taken?.expiresAt).toBe(5);
    });

    it('is atomic: of concurrent takes only one wins', async () => {
      const state = id('state');
      await store.saveOAuthState(oauthState(state));
      const results = await Promise.all(
        Array.from({ length: 5 }, () => store.takeOAuthState(state, T0)),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('purges expired states only', async () => {
      const old = id('old');
      const fresh = id('fresh');
      await store.saveOAuthState(oauthState(old, { expiresAt: T0 - 1 }));
      await store.saveOAuthState(oauthState(fresh, { expiresAt: T0 + 60_000 }));
      expect(await store.purgeExpiredOAuthStates(T0)).toBeGreaterThanOrEqual(1);
      expect(await store.takeOAuthState(old, T0)).toBeNull();
      expect(await store.takeOAuthState(fresh, T0)).not.toBeNull();
    });

    it('keeps a used state (as used) for a day after its use, then purges it', async () => {
      const state = id('used');
      await store.saveOAuthState(oauthState(state, { expiresAt: T0 + 600_000 }));
      await store.takeOAuthState(state, T0);
      const day = 24 * 60 * 60_000;
      await store.purgeExpiredOAuthStates(T0 + day - 1);
      expect(await store.isOAuthStateUsed(state)).toBe(true);
      await store.purgeExpiredOAuthStates(T0 + day);
      expect(await store.isOAuthStateUsed(state)).toBe(false);
    });
  });

  describe('settings', () => {
    it('patches fields independently and clears with null', async () => {
      const p = id('person');
      expect(await store.getSettings(p)).toEqual({});
      expect(await store.saveSettings(p, { timezone: 'Europe/Paris' })).toEqual({
        timezone: 'Europe/Paris',
      });
      await store.saveSettings(p, { locale: 'fr-FR' });
      expect(await store.getSettings(p)).toEqual({ timezone: 'Europe/Paris', locale: 'fr-FR' });
      await store.saveSettings(p, { timezone: null });
      expect(await store.getSettings(p)).toEqual({ locale: 'fr-FR' });
    });
  });

  describe('profile timezone cache', () => {
    it('stores a timezone or "none", with when it was fetched', async () => {
      const p = id('person');
      expect(await store.getProfileTimezone(p)).toBeNull();
      await store.saveProfileTimezone(p, 'Asia/Tokyo', T0);
      expect(await store.getProfileTimezone(p)).toEqual({ timezone: 'Asia/Tokyo', fetchedAt: T0 });
      await store.saveProfileTimezone(p, null, T0 + 5);
      expect(await store.getProfileTimezone(p)).toEqual({ timezone: null, fetchedAt: T0 + 5 });
    });
  });

  describe('inbox', () => {
    const FAR = 10 ** 15;
    /** Settles and prunes whatever earlier tests left, so each test sees only its events. */
    async function emptyInbox(): Promise<void> {
      const left = await store.claimInboxEvents({
        owner: 'sweeper',
        now: FAR,
        until: FAR,
        limit: 1000,
      });
      for (const e of left) await store.settleInboxEvent(e, 'sweeper', { status: 'done', now: 0 });
      await store.pruneInboxEvents(FAR);
    }
    const event = (eventId: string, receivedAt = T0) => ({
      resource: 'messages',
      eventId,
      payload: JSON.stringify({ data: { id: eventId } }),
      receivedAt,
    });
    const claim = (owner: string, now: number, leaseMs = 30_000, limit = 10) =>
      store.claimInboxEvents({ owner, now, until: now + leaseMs, limit });

    beforeEach(emptyInbox);

    it('stores an event once: a redelivery of the same resource and data.id is the same row', async () => {
      const m = id('MSG');
      expect(await store.addInboxEvent(event(m))).toBe(true);
      expect(await store.addInboxEvent(event(m, T0 + 5))).toBe(false);
      // The same id under another resource is another event.
      expect(await store.addInboxEvent({ ...event(m), resource: 'attachmentActions' })).toBe(true);
      expect(await store.inboxDepth()).toEqual({ pending: 2, claimed: 0, oldestReceivedAt: T0 });
      const claimed = await claim('a', T0 + 10);
      expect(claimed.map((e) => [e.resource, e.eventId, e.attempts])).toEqual([
        ['messages', m, 1],
        ['attachmentActions', m, 1],
      ]);
      expect(JSON.parse(claimed[0].payload)).toEqual({ data: { id: m } });
    });

    it('leases each event to one claimer until the lease lapses, then another takes it over', async () => {
      await store.addInboxEvent(event(id('MSG')));
      expect(await claim('a', T0, 1000)).toHaveLength(1);
      expect(await claim('b', T0 + 999)).toEqual([]);
      const taken = await claim('b', T0 + 1000);
      expect(taken).toHaveLength(1);
      expect(taken[0]).toMatchObject({ attempts: 2, takenOverFrom: 'a' });
      // The first owner's late answer no longer counts; the new owner's does.
      expect(await store.settleInboxEvent(taken[0], 'a', { status: 'done', now: T0 })).toBe(false);
      expect(await store.settleInboxEvent(taken[0], 'b', { status: 'done', now: T0 })).toBe(true);
      expect(await claim('c', FAR)).toEqual([]);
    });

    it('gives each of many concurrent claimers different events', async () => {
      const ids = Array.from({ length: 30 }, (_, i) => id(`MSG${i}`));
      for (const [i, m] of ids.entries()) await store.addInboxEvent(event(m, T0 + i));
      const rounds = await Promise.all(
        ['a', 'b', 'c', 'd', 'e', 'f'].map(async (owner) => {
          const mine: string[] = [];
          for (let batch = await claim(owner, T0 + 100, 30_000, 3); batch.length > 0;) {
            mine.push(...batch.map((e) => e.eventId));
            batch = await claim(owner, T0 + 100, 30_000, 3);
          }
          return mine;
        }),
      );
      const all = rounds.flat();
      expect(all.sort()).toEqual([...ids].sort());
    });

    it('retries later, renews, releases and prunes', async () => {
      const m = id('MSG');
      await store.addInboxEvent(event(m));
      const [first] = await claim('a', T0, 1000);
      const later = { status: 'retry', nextAttemptAt: T0 + 5000, error: 'read failed' } as const;
      expect(await store.settleInboxEvent(first, 'a', later)).toBe(true);
      expect(await claim('a', T0 + 4999)).toEqual([]);
      const [second] = await claim('a', T0 + 5000, 1000);
      expect(second.attempts).toBe(2);
      expect(second.takenOverFrom).toBeUndefined();
      expect(await store.renewInboxLeases('a', T0 + 60_000)).toBe(1);
      expect(await claim('b', T0 + 59_999)).toEqual([]);
      // A stop hands the event over at once, without waiting for the lease.
      expect(await store.releaseInboxEvents('a', T0 + 6000)).toBe(1);
      const [third] = await claim('b', T0 + 6000);
      expect(third).toMatchObject({ eventId: m, attempts: 3 });
      expect(third.takenOverFrom).toBeUndefined();
      await store.settleInboxEvent(third, 'b', { status: 'done', now: T0 + 7000 });
      expect(await store.inboxDepth()).toEqual({ pending: 0, claimed: 0 });
      expect(await store.pruneInboxEvents(T0 + 7000)).toBe(0);
      expect(await store.pruneInboxEvents(T0 + 7001)).toBe(1);
      // Pruned: a delivery this late would be stored (and processed) again.
      expect(await store.addInboxEvent(event(m))).toBe(true);
    });
  });

  describe('scheduled jobs', () => {
    // Kinds unique per test, so a claim never sees another test's jobs in persistent stores.
    const job = (kind: string, over: Partial<ScheduledJobDefinition> = {}) => ({
      key: id('job'),
      kind,
      payload: JSON.stringify({ n: 1 }),
      nextRunAt: T0,
      ...over,
    });
    const claimOf = (kind: string, holder: string, now: number, leaseMs = 1000) =>
      ({ holder, now, until: now + leaseMs, kinds: [kind] }) as const;

    it('saves a job idempotently by key, replaces its definition, and deletes it', async () => {
      const kind = id('kind');
      const first = job(kind, { recurrence: '{"every":"interval","intervalMs":1000}' });
      await store.saveJob(first);
      await store.saveJob(first);
      expect(await store.getJob(first.key)).toEqual({ ...first, attempts: 0 });

      const replaced = { ...first, payload: '{"n":2}', nextRunAt: T0 + 5, recurrence: undefined };
      await store.saveJob(replaced);
      expect(await store.getJob(first.key)).toEqual({
        key: first.key,
        kind,
        payload: '{"n":2}',
        nextRunAt: T0 + 5,
        attempts: 0,
      });
      expect(await store.deleteJob(first.key)).toBe(true);
      expect(await store.deleteJob(first.key)).toBe(false);
      expect(await store.getJob(first.key)).toBeNull();
    });

    it('keeps the next run and the failures of an existing job when asked to', async () => {
      const kind = id('kind');
      const ensured = job(kind);
      await store.saveJob(ensured, { keepNextRun: true }); // creates it as given
      const claimed = await store.claimDueJob(claimOf(kind, 'a', T0));
      expect(claimed?.attempts).toBe(1);
      const retry = { status: 'retry', nextRunAt: T0 + 60_000, error: 'boom' } as const;
      expect(await store.finishJob(ensured.key, 'a', retry)).toBe(true);

      await store.saveJob({ ...ensured, payload: '{"n":3}', nextRunAt: T0 }, { keepNextRun: true });
      expect(await store.getJob(ensured.key)).toEqual({
        ...ensured,
        payload: '{"n":3}',
        nextRunAt: T0 + 60_000,
        attempts: 1,
        lastError: 'boom',
      });
      // Saved plainly, it is due as given again, with no failures counted.
      await store.saveJob({ ...ensured, nextRunAt: T0 + 1 });
      expect(await store.getJob(ensured.key)).toMatchObject({ nextRunAt: T0 + 1, attempts: 0 });
      expect((await store.getJob(ensured.key))?.lastError).toBeUndefined();
    });

    it('claims only due jobs of the kinds asked for, most overdue first, once per lease', async () => {
      const kind = id('kind');
      const later = job(kind, { nextRunAt: T0 + 100 });
      const sooner = job(kind, { nextRunAt: T0 + 50 });
      const otherKind = job(id('kind'), { nextRunAt: T0 });
      for (const j of [later, sooner, otherKind]) await store.saveJob(j);

      expect(await store.claimDueJob(claimOf(kind, 'a', T0 + 49))).toBeNull();
      expect(await store.claimDueJob({ ...claimOf(kind, 'a', T0), kinds: [] })).toBeNull();
      const first = await store.claimDueJob(claimOf(kind, 'a', T0 + 200));
      expect(first).toMatchObject({
        key: sooner.key,
        attempts: 1,
        leaseHolder: 'a',
        leaseUntil: T0 + 1200,
      });
      // One job per claim: the other due one is still free.
      expect((await store.getJob(later.key))?.leaseHolder).toBeUndefined();
      const second = await store.claimDueJob(claimOf(kind, 'b', T0 + 200));
      expect(second?.key).toBe(later.key);
      expect(await store.claimDueJob(claimOf(kind, 'c', T0 + 200))).toBeNull();
      expect(await store.getJob(otherKind.key)).toMatchObject({ attempts: 0 });
    });

    it('leases one job per claim when many are due at once', async () => {
      const kind = id('kind');
      const due = Array.from({ length: 10 }, () => job(kind));
      for (const j of due) await store.saveJob(j);
      expect(await store.claimDueJob(claimOf(kind, 'a', T0))).not.toBeNull();
      const leased = [];
      for (const j of due) if ((await store.getJob(j.key))?.leaseHolder) leased.push(j.key);
      expect(leased).toHaveLength(1);
    });

    it('gives a due job to exactly one of two stores racing for it', async () => {
      const kind = id('kind');
      const due = job(kind);
      await store.saveJob(due);
      // A second connection to the same data where the adapter has one (not :memory:).
      const other = adapter.persistent ? await adapter.open() : store;
      try {
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? other : store).claimDueJob(claimOf(kind, `holder-${i}`, T0)),
          ),
        );
        const winners = claims.filter((c) => c !== null);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toMatchObject({ key: due.key, attempts: 1 });
        expect((await store.getJob(due.key))?.leaseHolder).toBe(winners[0]?.leaseHolder);
      } finally {
        if (other !== store) await other.close();
      }
    });

    it('lets another holder take a job over once the lease lapses; renewal keeps it', async () => {
      const kind = id('kind');
      const due = job(kind);
      await store.saveJob(due);
      expect(await store.claimDueJob(claimOf(kind, 'a', T0))).not.toBeNull();
      expect(await store.renewJobLease(due.key, 'b', T0 + 5000)).toBe(false);
      expect(await store.renewJobLease(due.key, 'a', T0 + 2000)).toBe(true);
      expect(await store.claimDueJob(claimOf(kind, 'b', T0 + 1999))).toBeNull();
      const taken = await store.claimDueJob(claimOf(kind, 'b', T0 + 2000));
      expect(taken).toMatchObject({ key: due.key, attempts: 2, leaseHolder: 'b' });
      // The crashed holder's late answer no longer counts.
      expect(await store.finishJob(due.key, 'a', { status: 'delete' })).toBe(false);
      expect(await store.renewJobLease(due.key, 'a', T0 + 9000)).toBe(false);
      expect(await store.finishJob(due.key, 'b', { status: 'delete' })).toBe(true);
      expect(await store.getJob(due.key)).toBeNull();
    });

    it('reschedules after a success, keeps failures counted on a retry, and releases', async () => {
      const kind = id('kind');
      const due = job(kind);
      // Unique holders: other tests leave leases held by a.
      const [a, b] = [id('holder'), id('holder')];
      await store.saveJob(due);
      await store.claimDueJob(claimOf(kind, a, T0));
      const retry = { status: 'retry', nextRunAt: T0 + 10, error: 'timeout' } as const;
      expect(await store.finishJob(due.key, a, retry)).toBe(true);
      expect(await store.claimDueJob(claimOf(kind, a, T0 + 9))).toBeNull();
      expect(await store.claimDueJob(claimOf(kind, a, T0 + 10))).toMatchObject({ attempts: 2 });
      expect(await store.getJob(due.key)).toMatchObject({ attempts: 2, lastError: 'timeout' });

      const ok = { status: 'reschedule', nextRunAt: T0 + 100 } as const;
      expect(await store.finishJob(due.key, a, ok)).toBe(true);
      expect(await store.getJob(due.key)).toEqual({ ...due, nextRunAt: T0 + 100, attempts: 0 });

      // A stop hands the job back, due as it was, without counting the interrupted attempt.
      await store.claimDueJob(claimOf(kind, a, T0 + 100, 60_000));
      expect(await store.releaseJobs('someone-else')).toBe(0);
      expect(await store.releaseJobs(a)).toBe(1);
      expect(await store.getJob(due.key)).toEqual({ ...due, nextRunAt: T0 + 100, attempts: 0 });
      expect(await store.claimDueJob(claimOf(kind, b, T0 + 100))).toMatchObject({ attempts: 1 });
    });
  });

  describe('usage log', () => {
    // Each test writes in its own stretch of time, far from the others' (persistent stores).
    let base = 0;
    beforeEach(() => {
      base = T0 + ++n * 10 * 86_400_000;
    });
    const entry = (at: number, over: Partial<UsageEntry> = {}): UsageEntry => ({
      id: id('usage'),
      at,
      personId: 'P1',
      personEmail: 'p1@example.com',
      command: 'audit',
      place: 'direct',
      roomId: 'ROOM',
      outcome: 'ok',
      ...over,
    });

    it('keeps every field, leaves optional ones out, and lists from a time on, oldest first', async () => {
      const full = entry(base + 20, {
        command: 'export',
        recordingId: 'REC',
        hostEmail: 'all',
        place: 'group',
        roomId: 'GROUP',
        outcome: 'webex_404',
      });
      const first = entry(base + 10);
      const before = entry(base - 1);
      for (const e of [full, first, before]) await store.addUsage(e);
      const listed = await store.listUsage({ since: base, limit: 100 });
      expect(listed.filter((e) => e.at < base + 1000)).toEqual([first, full]);
      expect(await store.listUsage({ since: base, limit: 1 })).toEqual([first]);
    });

    it('prunes entries older than a time and says how many', async () => {
      const [old1, old2, kept] = [entry(base), entry(base + 1), entry(base + 2)];
      for (const e of [old1, old2, kept]) await store.addUsage(e);
      expect(await store.pruneUsage(base + 2)).toBeGreaterThanOrEqual(2);
      expect(await store.listUsage({ since: 0, limit: 1000 })).toEqual([kept]);
      expect(await store.pruneUsage(base + 2)).toBe(0);
    });
  });

  describe('digest subscriptions', () => {
    it('saves, replaces, reads and deletes one per person', async () => {
      const p = id('person');
      expect(await store.getDigest(p)).toBeNull();
      const weekly = { personId: p, always: false, allHosts: false, createdAt: T0 };
      await store.saveDigest(weekly);
      expect(await store.getDigest(p)).toEqual(weekly);
      const always = { personId: p, always: true, allHosts: true, createdAt: T0 + 1 };
      await store.saveDigest(always);
      expect(await store.getDigest(p)).toEqual(always);
      expect(await store.deleteDigest(p)).toBe(true);
      expect(await store.deleteDigest(p)).toBe(false);
      expect(await store.getDigest(p)).toBeNull();
    });
  });

  describe('welcomed rooms', () => {
    it('knows a welcome once it is recorded, per membership of the bot', async () => {
      const room = id('room');
      const other = id('room');
      expect(await store.wasWelcomed(room, 'membership-1')).toBe(false);
      await store.recordWelcome({ roomId: room, membershipId: 'membership-1', welcomedAt: T0 });
      expect(await store.wasWelcomed(room, 'membership-1')).toBe(true);
      // Recording it again (a retried event) changes nothing.
      await store.recordWelcome({ roomId: room, membershipId: 'membership-1', welcomedAt: T0 + 1 });
      expect(await store.wasWelcomed(room, 'membership-1')).toBe(true);
      expect(await store.wasWelcomed(other, 'membership-1')).toBe(false);
      // Removed and added again: a new membership, not yet welcomed; its record replaces the old.
      expect(await store.wasWelcomed(room, 'membership-2')).toBe(false);
      await store.recordWelcome({ roomId: room, membershipId: 'membership-2', welcomedAt: T0 + 2 });
      expect(await store.wasWelcomed(room, 'membership-2')).toBe(true);
      expect(await store.wasWelcomed(room, 'membership-1')).toBe(false);
    });
  });

  describe('watches', () => {
    const watch = (over: Partial<StoredWatch> = {}): StoredWatch => ({
      id: id('watch'),
      personId: id('person'),
      recordingId: 'rec-1',
      filter: 'all',
      expiresAt: T0 + 30 * 86_400_000,
      createdAt: T0,
      ...over,
    });
    const claim = (watchId: string, keys: string[], now = T0, untilMs = 60_000) =>
      ({ watchId, keys, now, until: now + untilMs }) as const;

    it('saves, reads, lists and deletes a watch with every field', async () => {
      const person = id('person');
      const first = watch({ personId: person, hostEmail: 'other@example.com', topic: 'Q3' });
      const second = watch({
        personId: person,
        recordingId: 'rec-2',
        filter: 'downloads',
        createdAt: T0 + 1,
      });
      await store.saveWatch(second, []);
      await store.saveWatch(first, []);
      expect(await store.getWatch(first.id)).toEqual(first);
      expect(await store.listWatches(person)).toEqual([first, second]);
      expect(await store.listWatches(id('nobody'))).toEqual([]);
      expect(await store.deleteWatch(first.id)).toBe(true);
      expect(await store.deleteWatch(first.id)).toBe(false);
      expect(await store.getWatch(first.id)).toBeNull();
      expect(await store.listWatches(person)).toEqual([second]);
    });

    it('renews a watch saved again: new filter and end, resumed, its topic and past kept', async () => {
      const w = watch({ topic: 'Q3' });
      await store.saveWatch(w, ['a']);
      await store.pauseWatch(w.id, 'not-connected');
      const renewed = { ...w, filter: 'external' as const, expiresAt: T0 + 1, topic: undefined };
      await store.saveWatch(renewed, []);
      expect(await store.getWatch(w.id)).toEqual({ ...w, filter: 'external', expiresAt: T0 + 1 });
      expect(await store.claimWatchAccesses(claim(w.id, ['a', 'b']))).toEqual(['b']);
    });

    it('claims only accesses it has not seen: the ones saved with the watch are its past', async () => {
      const w = watch();
      await store.saveWatch(w, ['old-1', 'old-2']);
      expect(await store.claimWatchAccesses(claim(w.id, ['old-1', 'old-2']))).toEqual([]);
      const claimed = await store.claimWatchAccesses(
        claim(w.id, ['old-2', 'new-1', 'new-2', 'new-1']),
      );
      expect(claimed.sort()).toEqual(['new-1', 'new-2']);
      await store.settleWatchAccesses(w.id, claimed);
      expect(
        await store.claimWatchAccesses(claim(w.id, ['new-1', 'new-2'], T0 + 3_600_000)),
      ).toEqual([]);
    });

    it('claims thousands of accesses in one go', async () => {
      const w = watch();
      const keys = Array.from({ length: 2_500 }, (_, i) => `k${i}`);
      await store.saveWatch(w, keys.slice(0, 1_000));
      const claimed = await store.claimWatchAccesses(claim(w.id, keys));
      expect(claimed.length).toBe(1_500);
      expect(new Set(claimed)).toEqual(new Set(keys.slice(1_000)));
    });

    it('gives a pending alert back once its claim lapses (a poller died), not before', async () => {
      const w = watch();
      await store.saveWatch(w, []);
      expect(await store.claimWatchAccesses(claim(w.id, ['k'], T0, 1000))).toEqual(['k']);
      // Not settled: still pending, and another poll before the claim lapses leaves it alone.
      expect(await store.claimWatchAccesses(claim(w.id, ['k'], T0 + 999, 1000))).toEqual([]);
      expect(await store.claimWatchAccesses(claim(w.id, ['k'], T0 + 1000, 1000))).toEqual(['k']);
      await store.settleWatchAccesses(w.id, ['k']);
      expect(await store.claimWatchAccesses(claim(w.id, ['k'], T0 + 99_999, 1000))).toEqual([]);
    });

    it('hands a released alert (a post Webex refused) to the very next claim', async () => {
      const w = watch();
      await store.saveWatch(w, []);
      expect((await store.claimWatchAccesses(claim(w.id, ['a', 'b']))).sort()).toEqual(['a', 'b']);
      await store.releaseWatchAccesses(w.id, ['b']);
      await store.settleWatchAccesses(w.id, ['a']);
      expect(await store.claimWatchAccesses(claim(w.id, ['a', 'b'], T0 + 1))).toEqual(['b']);
    });

    it('gives each new access to exactly one of two stores claiming at once', async () => {
      const w = watch();
      await store.saveWatch(w, []);
      // A second connection on PostgreSQL. Two SQLite connections in one process would wait
      // for each other's transaction synchronously; replicas are processes, and within one the
      // driver queues every caller on its single connection.
      const other = adapter.name === 'postgres' ? await adapter.open() : store;
      try {
        const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
        const claims = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? other : store).claimWatchAccesses(claim(w.id, keys)),
          ),
        );
        const all = claims.flat();
        expect(all.length).toBe(keys.length);
        expect(new Set(all)).toEqual(new Set(keys));
      } finally {
        if (other !== store) await other.close();
      }
    });

    it('claims nothing for a watch that is gone, and deleting it forgets what it saw', async () => {
      const w = watch();
      expect(await store.claimWatchAccesses(claim(w.id, ['k']))).toEqual([]);
      await store.saveWatch(w, ['k']);
      await store.deleteWatch(w.id);
      expect(await store.claimWatchAccesses(claim(w.id, ['k']))).toEqual([]);
      await store.saveWatch(w, []);
      expect(await store.claimWatchAccesses(claim(w.id, ['k']))).toEqual(['k']);
    });

    it('pauses once and resumes once', async () => {
      const w = watch();
      await store.saveWatch(w, []);
      expect(await store.resumeWatch(w.id)).toBe(false);
      expect(await store.pauseWatch(w.id, 'not-connected')).toBe(true);
      expect(await store.pauseWatch(w.id, 'no-access')).toBe(false);
      expect((await store.getWatch(w.id))?.pausedReason).toBe('not-connected');
      expect(await store.resumeWatch(w.id)).toBe(true);
      expect(await store.resumeWatch(w.id)).toBe(false);
      expect((await store.getWatch(w.id))?.pausedReason).toBeUndefined();
      expect(await store.pauseWatch(id('missing'), 'no-access')).toBe(false);
    });
  });

  describe('heartbeat', () => {
    it("writes the replica's row again and again", async () => {
      const replica = id('replica');
      await store.heartbeat(replica, T0);
      await expect(store.heartbeat(replica, T0 + 1)).resolves.toBeUndefined();
    });
  });

  describe('forgetPerson', () => {
    const watchOf = (personId: string): StoredWatch => ({
      id: `w-${personId}`,
      personId,
      recordingId: 'r',
      filter: 'all',
      expiresAt: T0,
      createdAt: T0,
    });

    it('deletes account, states, settings, cache, digest and watches of that person only; keeps usage', async () => {
      const p = id('person');
      const other = id('other');
      const usageAt = T0 + 9_000 * 86_400_000;
      for (const who of [p, other]) {
        await store.saveAccount(account(who));
        await store.saveOAuthState(oauthState(`s-${who}`, { personId: who }));
        await store.saveSettings(who, { timezone: 'UTC' });
        await store.saveProfileTimezone(who, 'UTC', T0);
        await store.saveDigest({ personId: who, always: false, allHosts: false, createdAt: T0 });
        await store.addUsage({
          id: id('usage'),
          at: usageAt,
          personId: who,
          personEmail: `${who}@example.com`,
          command: 'audit',
          place: 'direct',
          roomId: 'ROOM',
          outcome: 'ok',
        });
        await store.saveWatch(watchOf(who), ['seen']);
      }
      await store.forgetPerson(p);
      expect(await store.listWatches(p)).toEqual([]);
      // What the watch had seen went with it: a watch under the same ID starts afresh.
      await store.saveWatch(watchOf(p), []);
      expect(
        await store.claimWatchAccesses({ watchId: `w-${p}`, keys: ['seen'], now: T0, until: T0 }),
      ).toEqual(['seen']);
      expect(await store.listWatches(other)).toHaveLength(1);
      expect(await store.getAccount(p)).toBeNull();
      expect(await store.takeOAuthState(`s-${p}`, T0)).toBeNull();
      expect(await store.getSettings(p)).toEqual({});
      expect(await store.getProfileTimezone(p)).toBeNull();
      expect(await store.getDigest(p)).toBeNull();
      expect(await store.getDigest(other)).not.toBeNull();
      // The usage log is the organisation's record: a disconnect leaves it.
      const usage = await store.listUsage({ since: usageAt, limit: 100 });
      expect(usage.map((e) => e.personId).sort()).toEqual([p, other].sort());

      expect(await store.getAccount(other)).not.toBeNull();
      expect(await store.takeOAuthState(`s-${other}`, T0)).not.toBeNull();
      expect(await store.getSettings(other)).toEqual({ timezone: 'UTC' });
    });
  });

  if (adapter.persistent) {
    it('keeps everything across close and reopen', async () => {
      const p = id('person');
      const state = id('state');
      await store.saveAccount(account(p));
      await store.saveOAuthState(oauthState(state, { personId: p, scopes: ['x'] }));
      await store.saveSettings(p, { timezone: 'America/New_York', locale: 'en-US' });
      await store.saveProfileTimezone(p, 'America/Chicago', T0);
      const event = { resource: 'messages', eventId: `k-${p}`, payload: '{}', receivedAt: T0 };
      await store.addInboxEvent(event);
      const job = { key: `job-${p}`, kind: 'k', payload: '{}', nextRunAt: T0 };
      await store.saveJob(job);
      const room = id('room');
      await store.recordWelcome({ roomId: room, membershipId: 'm', welcomedAt: T0 });
      await store.close();

      store = await adapter.open(); // migrations run again and must be a no-op
      expect(await store.getAccount(p)).toEqual(account(p));
      expect(await store.getSettings(p)).toEqual({ timezone: 'America/New_York', locale: 'en-US' });
      expect(await store.getProfileTimezone(p)).toEqual({
        timezone: 'America/Chicago',
        fetchedAt: T0,
      });
      expect(await store.addInboxEvent(event)).toBe(false);
      expect(await store.wasWelcomed(room, 'm')).toBe(true);
      expect((await store.takeOAuthState(state, T0))?.scopes).toEqual(['x']);
      expect(await store.getJob(job.key)).toEqual({ ...job, attempts: 0 });
    });
  } else {
    it('starts empty after close and reopen (its data lives as long as the connection)', async () => {
      const p = id('person');
      await store.saveAccount(account(p));
      await store.close();
      store = await adapter.open();
      expect(await store.getAccount(p)).toBeNull();
    });
  }
});

describe('openStore', () => {
  it('creates the parent directories of a sqlite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-open-'));
    const file = join(dir, 'a', 'b', 'x.db');
    const store = await openStore(`sqlite:${file}`);
    await store.close();
    expect(existsSync(file)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['mysql://u:secret@h/db', 'data/x.db', 'sqlite:'])(
    'refuses %p naming DATABASE_URL and the accepted forms, without echoing secrets',
    async (url) => {
      const err = (await openStore(url).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/DATABASE_URL/);
      expect(err.message).toMatch(/sqlite:<path>/);
      expect(err.message).toMatch(/postgres:\/\//);
      expect(err.message).not.toContain('secret');
    },
  );
});
