/**
 * Schema migrations shared by both adapters. The SQL is deliberately portable (TEXT, BIGINT
 * epoch milliseconds), so one list serves SQLite and PostgreSQL. Append only: never edit a
 * migration that has shipped; add a new one.
 */
import type { SqlSession } from './sql-driver';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: [
      `CREATE TABLE accounts (
        person_id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        access_token_enc TEXT NOT NULL,
        refresh_token_enc TEXT NOT NULL,
        access_expires_at BIGINT NOT NULL,
        refresh_expires_at BIGINT NOT NULL,
        scopes TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE oauth_states (
        state TEXT PRIMARY KEY,
        person_id TEXT NOT NULL,
        code_verifier TEXT NOT NULL,
        scopes TEXT NOT NULL,
        redirect_room_id TEXT,
        pending_request TEXT,
        expires_at BIGINT NOT NULL
      )`,
      `CREATE INDEX oauth_states_expires_at ON oauth_states (expires_at)`,
      `CREATE INDEX oauth_states_person_id ON oauth_states (person_id)`,
      `CREATE TABLE person_settings (
        person_id TEXT PRIMARY KEY,
        timezone TEXT,
        locale TEXT
      )`,
      `CREATE TABLE profile_cache (
        person_id TEXT PRIMARY KEY,
        timezone TEXT,
        fetched_at BIGINT NOT NULL
      )`,
      `CREATE TABLE seen_events (
        event_key TEXT PRIMARY KEY,
        seen_at BIGINT NOT NULL
      )`,
      `CREATE INDEX seen_events_seen_at ON seen_events (seen_at)`,
    ],
  },
  {
    version: 2,
    name: 'account refresh claims',
    statements: [
      // Who is refreshing this person's token and until when (see claimAccountRefresh).
      `ALTER TABLE accounts ADD COLUMN refresh_claim TEXT`,
      `ALTER TABLE accounts ADD COLUMN refresh_claimed_until BIGINT`,
    ],
  },
  {
    version: 3,
    name: 'leader leases',
    statements: [
      // One row per named lease; unused since version 10 (the scheduler's jobs have leases).
      `CREATE TABLE leader_leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 4,
    name: 'inbox',
    statements: [
      // Every verified webhook event, stored before Webex gets its 200 (see src/inbox/).
      // A redelivery (same resource and data.id) is the same row.
      `CREATE TABLE inbox_events (
        resource TEXT NOT NULL,
        event_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        received_at BIGINT NOT NULL,
        next_attempt_at BIGINT NOT NULL,
        claimed_by TEXT,
        lease_until BIGINT,
        taken_over_from TEXT,
        finished_at BIGINT,
        last_error TEXT,
        PRIMARY KEY (resource, event_id)
      )`,
      `CREATE INDEX inbox_events_due ON inbox_events (status, next_attempt_at)`,
      `CREATE INDEX inbox_events_finished ON inbox_events (status, finished_at)`,
      // Readiness writes here: a store that answers SELECT 1 but refuses writes is not ready.
      `CREATE TABLE store_heartbeats (
        replica_id TEXT PRIMARY KEY,
        beat_at BIGINT NOT NULL
      )`,
      // The inbox's primary key replaces the seen-events table.
      `DROP TABLE seen_events`,
    ],
  },
  {
    version: 5,
    name: 'used oauth states',
    statements: [
      // A taken state stays (without its verifier) so any replica can say "already used".
      `ALTER TABLE oauth_states ADD COLUMN used_at BIGINT`,
    ],
  },
  {
    version: 6,
    name: 'welcomed rooms',
    statements: [
      // The bot's welcome was posted in the space for this membership of the bot (a removal
      // and a new add is a new membership); see src/bot/commands/welcome.ts.
      `CREATE TABLE welcomed_rooms (
        room_id TEXT PRIMARY KEY,
        membership_id TEXT NOT NULL,
        welcomed_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 7,
    name: 'scheduled jobs',
    statements: [
      // The durable scheduler's jobs (src/scheduler/): one row per key, leased while it runs.
      `CREATE TABLE scheduled_jobs (
        job_key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        recurrence TEXT,
        next_run_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        lease_holder TEXT,
        lease_until BIGINT
      )`,
      `CREATE INDEX scheduled_jobs_due ON scheduled_jobs (next_run_at)`,
    ],
  },
  {
    version: 8,
    name: 'watches',
    statements: [
      // `watch <recording>`: one row per person, recording and host (src/bot/watches.ts).
      `CREATE TABLE watches (
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL,
        recording_id TEXT NOT NULL,
        host_email TEXT,
        filter TEXT NOT NULL,
        topic TEXT,
        expires_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        paused_reason TEXT
      )`,
      `CREATE INDEX watches_person ON watches (person_id)`,
      // Every access a watch has seen, by key (src/report/watch.ts keyAccesses): a set, not a
      // high-water mark, because accessDetail's order and paging shift as accesses are added.
      // alert_pending_until is set while the alert for a new access is being sent.
      `CREATE TABLE watch_accesses (
        watch_id TEXT NOT NULL,
        access_key TEXT NOT NULL,
        alert_pending_until BIGINT,
        PRIMARY KEY (watch_id, access_key)
      )`,
    ],
  },
  {
    version: 9,
    name: 'usage log and digests',
    statements: [
      // The bot's own record of requests (who, which recording, where, the outcome), never a
      // report's contents; kept for USAGE_RETENTION_DAYS. `disconnect` leaves it: it is the
      // organisation's record. The id is made by the bot, so the SQL stays portable.
      `CREATE TABLE usage_log (
        id TEXT PRIMARY KEY,
        at BIGINT NOT NULL,
        person_id TEXT NOT NULL,
        person_email TEXT NOT NULL,
        command TEXT NOT NULL,
        recording_id TEXT,
        host_email TEXT,
        place TEXT NOT NULL,
        room_id TEXT NOT NULL,
        outcome TEXT NOT NULL
      )`,
      `CREATE INDEX usage_log_at ON usage_log (at)`,
      // Who asked for the weekly digest and how (its schedule is a scheduled job).
      `CREATE TABLE digest_subscriptions (
        person_id TEXT PRIMARY KEY,
        always_send INTEGER NOT NULL,
        all_hosts INTEGER NOT NULL,
        created_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 10,
    name: 'webhook upkeep on the scheduler',
    statements: [
      // The webhook reconcile is a scheduled job now; its lease is that job's.
      `DROP TABLE leader_leases`,
    ],
  },
];

export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/**
 * Creates the bookkeeping table and applies the migrations not yet recorded there. Call it
 * inside one transaction so a failed migration leaves nothing half-applied.
 */
export async function applyMigrations(tx: SqlSession): Promise<void> {
  await tx.run(CREATE_MIGRATIONS_TABLE);
  const rows = await tx.query<{ version: unknown }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.version)));
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    for (const sql of m.statements) await tx.run(sql);
    await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
      m.version,
      m.name,
      Date.now(),
    ]);
  }
}
