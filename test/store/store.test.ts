/**
 * One behavioural suite, run against every adapter: SQLite in memory, SQLite in a file (also
 * checking that nothing is lost on close/reopen) and PostgreSQL in a throw-away schema.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openStore, type OAuthState, type Store, type StoredAccount } from '../../src/store';
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

  describe('leader leases', () => {
    it('has one holder at a time, renewed by it and taken over once it lapses', async () => {
      const name = id('lease');
      const claim = (holder: string, now: number) =>
        store.claimLeadership({ name, holder, now, until: now + 1000 });
      expect(await claim('a', T0)).toBe(true);
      expect(await claim('b', T0 + 10)).toBe(false);
      expect(await claim('a', T0 + 500)).toBe(true); // renewed until T0 + 1500
      expect(await claim('b', T0 + 1200)).toBe(false);
      expect(await claim('b', T0 + 1499)).toBe(false); // a's renewal still holds
      expect(await claim('b', T0 + 1500)).toBe(true);
      expect(await claim('a', T0 + 1600)).toBe(false);
      expect(await claim('c', T0 + 2499)).toBe(false);
      expect(await claim('c', T0 + 2500)).toBe(true); // b's lapsed
    });

    it('is free at once when its holder releases it, and only its holder can', async () => {
      const name = id('lease');
      expect(await store.claimLeadership({ name, holder: 'a', now: T0, until: T0 + 60_000 })).toBe(
        true,
      );
      const claimBy = (holder: string) =>
        store.claimLeadership({ name, holder, now: T0 + 1, until: T0 + 60_000 });
      await store.releaseLeadership(name, 'b');
      expect(await claimBy('c')).toBe(false); // still a's
      await store.releaseLeadership(name, 'a');
      expect(await claimBy('b')).toBe(true); // free long before it would lapse
    });

    it('gives one winner to claims racing for a free lease', async () => {
      const name = id('lease');
      const holders = ['a', 'b', 'c', 'd', 'e'];
      const won = await Promise.all(
        holders.map((holder) => store.claimLeadership({ name, holder, now: T0, until: T0 + 1000 })),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
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

  describe('heartbeat', () => {
    it("writes the replica's row again and again", async () => {
      const replica = id('replica');
      await store.heartbeat(replica, T0);
      await expect(store.heartbeat(replica, T0 + 1)).resolves.toBeUndefined();
    });
  });

  describe('forgetPerson', () => {
    it('deletes account, states, settings and cache of that person only', async () => {
      const p = id('person');
      const other = id('other');
      for (const who of [p, other]) {
        await store.saveAccount(account(who));
        await store.saveOAuthState(oauthState(`s-${who}`, { personId: who }));
        await store.saveSettings(who, { timezone: 'UTC' });
        await store.saveProfileTimezone(who, 'UTC', T0);
      }
      await store.forgetPerson(p);
      expect(await store.getAccount(p)).toBeNull();
      expect(await store.takeOAuthState(`s-${p}`, T0)).toBeNull();
      expect(await store.getSettings(p)).toEqual({});
      expect(await store.getProfileTimezone(p)).toBeNull();

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
