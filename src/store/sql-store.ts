import {
  accountFromRow,
  applyPatch,
  digestFromRow,
  jobFromRow,
  msOf,
  oauthStateFromRow,
  settingsOf,
  usageFromRow,
  watchFromRow,
} from './rows';
import type { SqlDriver, SqlSession } from './sql-driver';
import {
  joinScopes,
  type CachedProfileTimezone,
  type DigestSubscription,
  type ClaimedInboxEvent,
  type InboxClaim,
  type InboxDepth,
  type InboxKey,
  type InboxOutcome,
  type JobClaim,
  type JobOutcome,
  type NewInboxEvent,
  type StoredAccount,
  type OAuthState,
  type PersonSettings,
  type RefreshClaim,
  type ScheduledJob,
  type ScheduledJobDefinition,
  type SettingsPatch,
  type Store,
  type UsageEntry,
  type Welcome,
  type StoredWatch,
  type WatchAccessClaim,
  type WatchPauseReason,
} from './store';

/** The account columns besides `person_id`, in the order of {@link accountValues}. */
const ACCOUNT_COLUMNS = [
  'email',
  'access_token_enc',
  'refresh_token_enc',
  'access_expires_at',
  'refresh_expires_at',
  'scopes',
  'updated_at',
] as const;

function accountValues(a: StoredAccount): Array<string | number> {
  return [
    a.email,
    a.accessTokenEnc,
    a.refreshTokenEnc,
    a.accessExpiresAt,
    a.refreshExpiresAt,
    joinScopes(a.scopes),
    a.updatedAt,
  ];
}

/** A new or refreshed token ends any refresh claim on the account. */
const CLEAR_CLAIM = 'refresh_claim = NULL, refresh_claimed_until = NULL';

/**
 * Tables holding something about a person, emptied by {@link SqlStore.forgetPerson}. Not
 * `usage_log`: it is the organisation's record of requests and outlives a disconnect.
 */
const PERSON_TABLES = [
  'accounts',
  'oauth_states',
  'person_settings',
  'profile_cache',
  'digest_subscriptions',
] as const;

/** Access keys per statement: 3 parameters each stays far below both databases' limits. */
const KEYS_PER_STATEMENT = 300;

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * The one implementation of {@link Store}, in SQL that SQLite (≥ 3.35) and PostgreSQL both
 * accept; the {@link SqlDriver} hides how each database is reached.
 */
/** How long a used OAuth state is kept, so a second click on its link says "already used". */
const USED_OAUTH_STATE_KEPT_MS = 24 * 60 * 60_000;

export class SqlStore implements Store {
  /** `db` must already be migrated (see `applyMigrations`). */
  constructor(private readonly db: SqlDriver) {}

  async saveAccount(a: StoredAccount): Promise<void> {
    await this.db.run(
      `INSERT INTO accounts (${ACCOUNT_COLUMNS.join(', ')}, person_id)
       VALUES (${ACCOUNT_COLUMNS.map(() => '?').join(', ')}, ?)
       ON CONFLICT (person_id) DO UPDATE SET
         ${ACCOUNT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, ${CLEAR_CLAIM}`,
      [...accountValues(a), a.personId],
    );
  }

  async getAccount(personId: string): Promise<StoredAccount | null> {
    const [row] = await this.db.query('SELECT * FROM accounts WHERE person_id = ?', [personId]);
    return row ? accountFromRow(row) : null;
  }

  async deleteAccount(personId: string): Promise<void> {
    await this.db.run('DELETE FROM accounts WHERE person_id = ?', [personId]);
  }

  async replaceAccountIfUnchanged(a: StoredAccount, expectedUpdatedAt: number): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE accounts SET ${ACCOUNT_COLUMNS.map((c) => `${c} = ?`).join(', ')}, ${CLEAR_CLAIM}
       WHERE person_id = ? AND updated_at = ?`,
      [...accountValues(a), a.personId, expectedUpdatedAt],
    );
    return changes > 0;
  }

  async deleteAccountIfUnchanged(personId: string, expectedUpdatedAt: number): Promise<boolean> {
    const { changes } = await this.db.run(
      'DELETE FROM accounts WHERE person_id = ? AND updated_at = ?',
      [personId, expectedUpdatedAt],
    );
    return changes > 0;
  }

  async claimAccountRefresh(c: RefreshClaim): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE accounts SET refresh_claim = ?, refresh_claimed_until = ?
       WHERE person_id = ? AND updated_at = ?
         AND (refresh_claimed_until IS NULL OR refresh_claimed_until <= ?)`,
      [c.claimId, c.until, c.personId, c.expectedUpdatedAt, c.now],
    );
    return changes > 0;
  }

  async releaseAccountRefresh(personId: string, claimId: string): Promise<void> {
    await this.db.run(
      `UPDATE accounts SET ${CLEAR_CLAIM} WHERE person_id = ? AND refresh_claim = ?`,
      [personId, claimId],
    );
  }

  async saveOAuthState(s: OAuthState): Promise<void> {
    await this.db.run(
      `INSERT INTO oauth_states (state, person_id, code_verifier, scopes, redirect_room_id,
         pending_request, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        s.state,
        s.personId,
        s.codeVerifier,
        joinScopes(s.scopes),
        s.redirectRoomId ?? null,
        s.pendingRequest ?? null,
        s.expiresAt,
      ],
    );
  }

  async takeOAuthState(state: string, now: number): Promise<OAuthState | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        'SELECT * FROM oauth_states WHERE state = ? AND used_at IS NULL',
        [state],
      );
      if (!row) return null;
      // The conditional update decides: of two callers (or replicas) racing, one changes the row.
      const { changes } = await tx.run(
        `UPDATE oauth_states SET used_at = ?, code_verifier = '', pending_request = NULL
         WHERE state = ? AND used_at IS NULL`,
        [now, state],
      );
      return changes > 0 ? oauthStateFromRow(row) : null;
    });
  }

  async isOAuthStateUsed(state: string): Promise<boolean> {
    const [row] = await this.db.query(
      'SELECT 1 AS used FROM oauth_states WHERE state = ? AND used_at IS NOT NULL',
      [state],
    );
    return row !== undefined;
  }

  async purgeExpiredOAuthStates(now: number): Promise<number> {
    const { changes } = await this.db.run(
      `DELETE FROM oauth_states
       WHERE (used_at IS NULL AND expires_at <= ?) OR used_at <= ?`,
      [now, now - USED_OAUTH_STATE_KEPT_MS],
    );
    return changes;
  }

  async getSettings(personId: string): Promise<PersonSettings> {
    const [row] = await this.db.query(
      'SELECT timezone, locale FROM person_settings WHERE person_id = ?',
      [personId],
    );
    return settingsOf(row);
  }

  async saveSettings(personId: string, patch: SettingsPatch): Promise<PersonSettings> {
    return this.db.transaction(async (tx) => {
      // Creates the row or, via the no-op update, locks it until commit (PostgreSQL row lock;
      // SQLite holds the write lock), so concurrent patches of other fields are not lost.
      const [current] = await tx.query(
        `INSERT INTO person_settings (person_id) VALUES (?)
         ON CONFLICT (person_id) DO UPDATE SET person_id = excluded.person_id
         RETURNING timezone, locale`,
        [personId],
      );
      const next = applyPatch(settingsOf(current), patch);
      await tx.run('UPDATE person_settings SET timezone = ?, locale = ? WHERE person_id = ?', [
        next.timezone ?? null,
        next.locale ?? null,
        personId,
      ]);
      return next;
    });
  }

  async getProfileTimezone(personId: string): Promise<CachedProfileTimezone | null> {
    const [row] = await this.db.query(
      'SELECT timezone, fetched_at FROM profile_cache WHERE person_id = ?',
      [personId],
    );
    if (!row) return null;
    return {
      timezone: typeof row.timezone === 'string' ? row.timezone : null,
      fetchedAt: msOf(row.fetched_at),
    };
  }

  async saveProfileTimezone(
    personId: string,
    timezone: string | null,
    fetchedAt: number,
  ): Promise<void> {
    await this.db.run(
      `INSERT INTO profile_cache (person_id, timezone, fetched_at) VALUES (?, ?, ?)
       ON CONFLICT (person_id) DO UPDATE SET timezone = excluded.timezone, fetched_at = excluded.fetched_at`,
      [personId, timezone, fetchedAt],
    );
  }

  async addInboxEvent(e: NewInboxEvent): Promise<boolean> {
    const { changes } = await this.db.run(
      `INSERT INTO inbox_events (resource, event_id, payload, status, attempts, received_at,
         next_attempt_at) VALUES (?, ?, ?, 'pending', 0, ?, ?)
       ON CONFLICT (resource, event_id) DO NOTHING`,
      [e.resource, e.eventId, e.payload, e.receivedAt, e.receivedAt],
    );
    return changes === 1;
  }

  async claimInboxEvents(c: InboxClaim): Promise<ClaimedInboxEvent[]> {
    // The condition is in the outer WHERE as well: on PostgreSQL a replica that waited for
    // another's update re-checks it against the updated row and skips what was just taken.
    const claimable = `((status = 'pending' AND next_attempt_at <= ?)
      OR (status = 'claimed' AND lease_until <= ?))`;
    const rows = await this.db.query(
      `UPDATE inbox_events SET status = 'claimed', claimed_by = ?, lease_until = ?,
         attempts = attempts + 1,
         taken_over_from = CASE WHEN status = 'claimed' THEN claimed_by ELSE NULL END
       WHERE (resource, event_id) IN (
           SELECT resource, event_id FROM inbox_events WHERE ${claimable}
           ORDER BY received_at LIMIT ?)
         AND ${claimable}
       RETURNING resource, event_id, payload, attempts, received_at, taken_over_from`,
      [c.owner, c.until, c.now, c.now, c.limit, c.now, c.now],
    );
    return rows
      .map((r) => {
        const claimed: ClaimedInboxEvent = {
          resource: String(r.resource),
          eventId: String(r.event_id),
          payload: String(r.payload),
          attempts: Number(r.attempts),
          receivedAt: msOf(r.received_at),
        };
        if (typeof r.taken_over_from === 'string') claimed.takenOverFrom = r.taken_over_from;
        return claimed;
      })
      .sort((a, b) => a.receivedAt - b.receivedAt);
  }

  async renewInboxLeases(owner: string, until: number): Promise<number> {
    const { changes } = await this.db.run(
      `UPDATE inbox_events SET lease_until = ? WHERE status = 'claimed' AND claimed_by = ?`,
      [until, owner],
    );
    return changes;
  }

  async settleInboxEvent(key: InboxKey, owner: string, outcome: InboxOutcome): Promise<boolean> {
    const mine = `resource = ? AND event_id = ? AND status = 'claimed' AND claimed_by = ?`;
    const where = [key.resource, key.eventId, owner];
    const { changes } =
      outcome.status === 'retry'
        ? await this.db.run(
            `UPDATE inbox_events SET status = 'pending', claimed_by = NULL, lease_until = NULL,
               next_attempt_at = ?, last_error = ? WHERE ${mine}`,
            [outcome.nextAttemptAt, outcome.error, ...where],
          )
        : await this.db.run(
            `UPDATE inbox_events SET status = ?, claimed_by = NULL, lease_until = NULL,
               finished_at = ?, last_error = ? WHERE ${mine}`,
            [
              outcome.status,
              outcome.now,
              outcome.status === 'failed' ? outcome.error : null,
              ...where,
            ],
          );
    return changes > 0;
  }

  async releaseInboxEvents(owner: string, now: number): Promise<number> {
    const { changes } = await this.db.run(
      `UPDATE inbox_events SET status = 'pending', claimed_by = NULL, lease_until = NULL,
         next_attempt_at = ? WHERE status = 'claimed' AND claimed_by = ?`,
      [now, owner],
    );
    return changes;
  }

  async pruneInboxEvents(before: number): Promise<number> {
    const { changes } = await this.db.run(
      `DELETE FROM inbox_events WHERE status IN ('done', 'failed') AND finished_at < ?`,
      [before],
    );
    return changes;
  }

  async inboxDepth(): Promise<InboxDepth> {
    const rows = await this.db.query(
      `SELECT status, COUNT(*) AS n, MIN(received_at) AS oldest FROM inbox_events
       WHERE status IN ('pending', 'claimed') GROUP BY status`,
    );
    const depth: InboxDepth = { pending: 0, claimed: 0 };
    for (const r of rows) {
      if (r.status === 'pending') depth.pending = Number(r.n);
      if (r.status === 'claimed') depth.claimed = Number(r.n);
      const oldest = msOf(r.oldest);
      if (depth.oldestReceivedAt === undefined || oldest < depth.oldestReceivedAt) {
        depth.oldestReceivedAt = oldest;
      }
    }
    return depth;
  }

  async saveJob(
    job: ScheduledJobDefinition,
    options: { keepNextRun?: boolean } = {},
  ): Promise<void> {
    const definition =
      'kind = excluded.kind, payload = excluded.payload, recurrence = excluded.recurrence';
    const schedule = options.keepNextRun
      ? ''
      : ', next_run_at = excluded.next_run_at, attempts = 0, last_error = NULL';
    await this.db.run(
      `INSERT INTO scheduled_jobs (job_key, kind, payload, recurrence, next_run_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (job_key) DO UPDATE SET ${definition}${schedule}`,
      [job.key, job.kind, job.payload, job.recurrence ?? null, job.nextRunAt],
    );
  }

  async getJob(key: string): Promise<ScheduledJob | null> {
    const [row] = await this.db.query('SELECT * FROM scheduled_jobs WHERE job_key = ?', [key]);
    return row ? jobFromRow(row) : null;
  }

  async deleteJob(key: string): Promise<boolean> {
    const { changes } = await this.db.run('DELETE FROM scheduled_jobs WHERE job_key = ?', [key]);
    return changes > 0;
  }

  async claimDueJob(c: JobClaim): Promise<ScheduledJob | null> {
    if (c.kinds.length === 0) return null;
    const kinds = c.kinds.map(() => '?').join(', ');
    const claimable = `(next_run_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
      AND kind IN (${kinds}))`;
    const params = [c.now, c.now, ...c.kinds];
    // PostgreSQL: a replica skips the row another is claiming and takes the next due one. The
    // outer condition is checked again on the row as updated, so a job goes to one replica
    // either way; SQLite runs the statement under its write lock. `=`, not `IN`: PostgreSQL
    // may rescan an `IN` subquery per row, and with SKIP LOCKED each rescan finds another job
    // (one claim took them all); a scalar subquery runs once.
    const skipLocked = this.db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const [row] = await this.db.query(
      `UPDATE scheduled_jobs SET lease_holder = ?, lease_until = ?, attempts = attempts + 1
       WHERE job_key = (
           SELECT job_key FROM scheduled_jobs WHERE ${claimable}
           ORDER BY next_run_at, job_key LIMIT 1 ${skipLocked})
         AND ${claimable}
       RETURNING *`,
      [c.holder, c.until, ...params, ...params],
    );
    return row ? jobFromRow(row) : null;
  }

  async renewJobLease(key: string, holder: string, until: number): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE scheduled_jobs SET lease_until = ? WHERE job_key = ? AND lease_holder = ?',
      [until, key, holder],
    );
    return changes > 0;
  }

  async finishJob(key: string, holder: string, outcome: JobOutcome): Promise<boolean> {
    const mine = 'job_key = ? AND lease_holder = ?';
    const released = 'lease_holder = NULL, lease_until = NULL';
    const { changes } =
      outcome.status === 'delete'
        ? await this.db.run(`DELETE FROM scheduled_jobs WHERE ${mine}`, [key, holder])
        : outcome.status === 'reschedule'
          ? await this.db.run(
              `UPDATE scheduled_jobs SET ${released}, next_run_at = ?, attempts = 0,
                 last_error = NULL WHERE ${mine}`,
              [outcome.nextRunAt, key, holder],
            )
          : await this.db.run(
              `UPDATE scheduled_jobs SET ${released}, next_run_at = ?, last_error = ?
               WHERE ${mine}`,
              [outcome.nextRunAt, outcome.error, key, holder],
            );
    return changes > 0;
  }

  async releaseJobs(holder: string): Promise<number> {
    const { changes } = await this.db.run(
      `UPDATE scheduled_jobs SET lease_holder = NULL, lease_until = NULL,
         attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
       WHERE lease_holder = ?`,
      [holder],
    );
    return changes;
  }

  async addUsage(e: UsageEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO usage_log (id, at, person_id, person_email, command, recording_id, host_email,
         place, room_id, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        e.id,
        e.at,
        e.personId,
        e.personEmail,
        e.command,
        e.recordingId ?? null,
        e.hostEmail ?? null,
        e.place,
        e.roomId,
        e.outcome,
      ],
    );
  }

  async listUsage(query: { since: number; limit: number }): Promise<UsageEntry[]> {
    const rows = await this.db.query(
      'SELECT * FROM usage_log WHERE at >= ? ORDER BY at, id LIMIT ?',
      [query.since, query.limit],
    );
    return rows.map(usageFromRow);
  }

  async pruneUsage(before: number): Promise<number> {
    const { changes } = await this.db.run('DELETE FROM usage_log WHERE at < ?', [before]);
    return changes;
  }

  async saveDigest(d: DigestSubscription): Promise<void> {
    await this.db.run(
      `INSERT INTO digest_subscriptions (person_id, always_send, all_hosts, created_at)
       VALUES (?, ?, ?, ?)
       ON CONFLICT (person_id) DO UPDATE SET always_send = excluded.always_send,
         all_hosts = excluded.all_hosts, created_at = excluded.created_at`,
      [d.personId, d.always ? 1 : 0, d.allHosts ? 1 : 0, d.createdAt],
    );
  }

  async getDigest(personId: string): Promise<DigestSubscription | null> {
    const [row] = await this.db.query('SELECT * FROM digest_subscriptions WHERE person_id = ?', [
      personId,
    ]);
    return row ? digestFromRow(row) : null;
  }

  async deleteDigest(personId: string): Promise<boolean> {
    const { changes } = await this.db.run('DELETE FROM digest_subscriptions WHERE person_id = ?', [
      personId,
    ]);
    return changes > 0;
  }

  async wasWelcomed(roomId: string, membershipId: string): Promise<boolean> {
    const [row] = await this.db.query(
      'SELECT 1 AS welcomed FROM welcomed_rooms WHERE room_id = ? AND membership_id = ?',
      [roomId, membershipId],
    );
    return row !== undefined;
  }

  async recordWelcome(w: Welcome): Promise<void> {
    await this.db.run(
      `INSERT INTO welcomed_rooms (room_id, membership_id, welcomed_at) VALUES (?, ?, ?)
       ON CONFLICT (room_id) DO UPDATE SET
         membership_id = excluded.membership_id, welcomed_at = excluded.welcomed_at`,
      [w.roomId, w.membershipId, w.welcomedAt],
    );
  }

  async saveWatch(watch: StoredWatch, seenKeys: readonly string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO watches (id, person_id, recording_id, host_email, filter, topic, expires_at,
           created_at, paused_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (id) DO UPDATE SET filter = excluded.filter,
           topic = COALESCE(excluded.topic, watches.topic), expires_at = excluded.expires_at,
           paused_reason = NULL`,
        [
          watch.id,
          watch.personId,
          watch.recordingId,
          watch.hostEmail ?? null,
          watch.filter,
          watch.topic ?? null,
          watch.expiresAt,
          watch.createdAt,
        ],
      );
      await insertWatchAccesses(tx, watch.id, [...new Set(seenKeys)], null);
    });
  }

  async getWatch(id: string): Promise<StoredWatch | null> {
    const [row] = await this.db.query('SELECT * FROM watches WHERE id = ?', [id]);
    return row ? watchFromRow(row) : null;
  }

  async listWatches(personId: string): Promise<StoredWatch[]> {
    const rows = await this.db.query(
      'SELECT * FROM watches WHERE person_id = ? ORDER BY created_at, id',
      [personId],
    );
    return rows.map(watchFromRow);
  }

  async deleteWatch(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { changes } = await tx.run('DELETE FROM watches WHERE id = ?', [id]);
      await tx.run('DELETE FROM watch_accesses WHERE watch_id = ?', [id]);
      return changes > 0;
    });
  }

  async claimWatchAccesses(c: WatchAccessClaim): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      // PostgreSQL: the watch row is locked until commit, so claims on one watch take turns
      // and a deleteWatch waits (or comes first and leaves nothing to claim); SQLite's
      // transaction holds the write lock already.
      const lock = this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const [watch] = await tx.query(`SELECT id FROM watches WHERE id = ?${lock}`, [c.watchId]);
      if (!watch) return [];
      // Alerts a poller claimed and never marked sent (it died), or handed back: sent now. Taken
      // before the inserts, so a key inserted below is never also counted here.
      const lapsed = await tx.query<{ access_key: unknown }>(
        `UPDATE watch_accesses SET alert_pending_until = ?
         WHERE watch_id = ? AND alert_pending_until IS NOT NULL AND alert_pending_until <= ?
         RETURNING access_key`,
        [c.until, c.watchId, c.now],
      );
      const rows = await tx.query<{ access_key: unknown }>(
        'SELECT access_key FROM watch_accesses WHERE watch_id = ?',
        [c.watchId],
      );
      const known = new Set(rows.map((r) => String(r.access_key)));
      const fresh = [...new Set(c.keys)].filter((key) => !known.has(key));
      // ON CONFLICT DO NOTHING … RETURNING returns only the rows this claim inserted.
      const claimed = await insertWatchAccesses(tx, c.watchId, fresh, c.until);
      return [...lapsed.map((r) => String(r.access_key)), ...claimed];
    });
  }

  async settleWatchAccesses(watchId: string, keys: readonly string[]): Promise<void> {
    await this.setPendingUntil(watchId, keys, null);
  }

  async releaseWatchAccesses(watchId: string, keys: readonly string[]): Promise<void> {
    // 0 has lapsed at any `now`: the next claim takes them.
    await this.setPendingUntil(watchId, keys, 0);
  }

  private async setPendingUntil(
    watchId: string,
    keys: readonly string[],
    until: number | null,
  ): Promise<void> {
    for (const chunk of chunksOf([...new Set(keys)], KEYS_PER_STATEMENT)) {
      await this.db.run(
        `UPDATE watch_accesses SET alert_pending_until = ?
         WHERE watch_id = ? AND access_key IN (${chunk.map(() => '?').join(', ')})`,
        [until, watchId, ...chunk],
      );
    }
  }

  async pauseWatch(id: string, reason: WatchPauseReason): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE watches SET paused_reason = ? WHERE id = ? AND paused_reason IS NULL',
      [reason, id],
    );
    return changes > 0;
  }

  async resumeWatch(id: string): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE watches SET paused_reason = NULL WHERE id = ? AND paused_reason IS NOT NULL',
      [id],
    );
    return changes > 0;
  }

  async forgetPerson(personId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const table of PERSON_TABLES) {
        await tx.run(`DELETE FROM ${table} WHERE person_id = ?`, [personId]);
      }
      await tx.run(
        'DELETE FROM watch_accesses WHERE watch_id IN (SELECT id FROM watches WHERE person_id = ?)',
        [personId],
      );
      await tx.run('DELETE FROM watches WHERE person_id = ?', [personId]);
    });
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async heartbeat(replicaId: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO store_heartbeats (replica_id, beat_at) VALUES (?, ?)
       ON CONFLICT (replica_id) DO UPDATE SET beat_at = excluded.beat_at`,
      [replicaId, now],
    );
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** Inserts the keys not there yet (pending until `until`, or done when null); returns those. */
async function insertWatchAccesses(
  tx: SqlSession,
  watchId: string,
  keys: readonly string[],
  until: number | null,
): Promise<string[]> {
  const inserted: string[] = [];
  for (const chunk of chunksOf(keys, KEYS_PER_STATEMENT)) {
    const rows = await tx.query<{ access_key: unknown }>(
      `INSERT INTO watch_accesses (watch_id, access_key, alert_pending_until)
       VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}
       ON CONFLICT (watch_id, access_key) DO NOTHING RETURNING access_key`,
      chunk.flatMap((key) => [watchId, key, until]),
    );
    inserted.push(...rows.map((r) => String(r.access_key)));
  }
  return inserted;
}
