import { Pool, type PoolClient } from 'pg';
import { CREATE_MIGRATIONS_TABLE, MIGRATIONS } from './migrations';
import { accountFromRow, applyPatch, msOf, oauthStateFromRow, settingsOf, type Row } from './rows';
import {
  EVENT_KEY_TTL_MS,
  joinScopes,
  type CachedProfileTimezone,
  type StoredAccount,
  type OAuthState,
  type PersonSettings,
  type SettingsPatch,
  type Store,
} from './store';

export interface PostgresStoreOptions {
  /** Use (and create if missing) this schema instead of the default search_path. */
  schema?: string;
  /** Pool size. Default 5. */
  maxConnections?: number;
}

/** Any fixed number: serialises migrations when several replicas start at once. */
const MIGRATION_LOCK_ID = 728_411_903;

/**
 * PostgreSQL store, for several replicas sharing one database. Migrations run on open under
 * an advisory lock.
 *
 * @example
 * const store = await PostgresStore.open('postgres://bot@db/audit');
 */
export class PostgresStore implements Store {
  private constructor(private readonly pool: Pool) {}

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = options.schema;
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
      throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
    }
    const pool = new Pool({
      connectionString: url,
      max: options.maxConnections ?? 5,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client's error (e.g. the server restarted) must not crash the process.
    pool.on('error', () => undefined);
    try {
      if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await withTransaction(pool, migrate);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool);
  }

  async saveAccount(a: StoredAccount): Promise<void> {
    await this.pool.query(
      `INSERT INTO accounts (person_id, email, access_token_enc, refresh_token_enc,
         access_expires_at, refresh_expires_at, scopes, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (person_id) DO UPDATE SET
         email = EXCLUDED.email, access_token_enc = EXCLUDED.access_token_enc,
         refresh_token_enc = EXCLUDED.refresh_token_enc,
         access_expires_at = EXCLUDED.access_expires_at,
         refresh_expires_at = EXCLUDED.refresh_expires_at,
         scopes = EXCLUDED.scopes, updated_at = EXCLUDED.updated_at`,
      [
        a.personId,
        a.email,
        a.accessTokenEnc,
        a.refreshTokenEnc,
        a.accessExpiresAt,
        a.refreshExpiresAt,
        joinScopes(a.scopes),
        a.updatedAt,
      ],
    );
  }

  async getAccount(personId: string): Promise<StoredAccount | null> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM accounts WHERE person_id = $1', [
      personId,
    ]);
    return rows[0] ? accountFromRow(rows[0]) : null;
  }

  async deleteAccount(personId: string): Promise<void> {
    await this.pool.query('DELETE FROM accounts WHERE person_id = $1', [personId]);
  }

  async saveOAuthState(s: OAuthState): Promise<void> {
    await this.pool.query(
      `INSERT INTO oauth_states (state, person_id, code_verifier, scopes, redirect_room_id,
         pending_request, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
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

  async takeOAuthState(state: string): Promise<OAuthState | null> {
    // One statement: of two replicas racing for the same state, only one gets the row.
    const { rows } = await this.pool.query<Row>(
      'DELETE FROM oauth_states WHERE state = $1 RETURNING *',
      [state],
    );
    return rows[0] ? oauthStateFromRow(rows[0]) : null;
  }

  async purgeExpiredOAuthStates(now: number): Promise<number> {
    const res = await this.pool.query('DELETE FROM oauth_states WHERE expires_at <= $1', [now]);
    return res.rowCount ?? 0;
  }

  async getSettings(personId: string): Promise<PersonSettings> {
    const { rows } = await this.pool.query<Row>(
      'SELECT timezone, locale FROM person_settings WHERE person_id = $1',
      [personId],
    );
    return settingsOf(rows[0]);
  }

  async saveSettings(personId: string, patch: SettingsPatch): Promise<PersonSettings> {
    return withTransaction(this.pool, async (client) => {
      // Make sure the row exists, then lock it, so concurrent patches do not lose fields.
      await client.query(
        'INSERT INTO person_settings (person_id) VALUES ($1) ON CONFLICT (person_id) DO NOTHING',
        [personId],
      );
      const { rows } = await client.query<Row>(
        'SELECT timezone, locale FROM person_settings WHERE person_id = $1 FOR UPDATE',
        [personId],
      );
      const next = applyPatch(settingsOf(rows[0]), patch);
      await client.query(
        'UPDATE person_settings SET timezone = $2, locale = $3 WHERE person_id = $1',
        [personId, next.timezone ?? null, next.locale ?? null],
      );
      return next;
    });
  }

  async getProfileTimezone(personId: string): Promise<CachedProfileTimezone | null> {
    const { rows } = await this.pool.query<Row>(
      'SELECT timezone, fetched_at FROM profile_cache WHERE person_id = $1',
      [personId],
    );
    const row = rows[0];
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
    await this.pool.query(
      `INSERT INTO profile_cache (person_id, timezone, fetched_at) VALUES ($1, $2, $3)
       ON CONFLICT (person_id) DO UPDATE SET timezone = EXCLUDED.timezone, fetched_at = EXCLUDED.fetched_at`,
      [personId, timezone, fetchedAt],
    );
  }

  async markEventSeen(key: string, now: number): Promise<boolean> {
    await this.pool.query('DELETE FROM seen_events WHERE seen_at < $1', [now - EVENT_KEY_TTL_MS]);
    const res = await this.pool.query(
      'INSERT INTO seen_events (event_key, seen_at) VALUES ($1, $2) ON CONFLICT (event_key) DO NOTHING',
      [key, now],
    );
    return res.rowCount === 1;
  }

  async forgetPerson(personId: string): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      for (const table of ['accounts', 'oauth_states', 'person_settings', 'profile_cache']) {
        await client.query(`DELETE FROM ${table} WHERE person_id = $1`, [personId]);
      }
    });
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function withTransaction<T>(pool: Pool, work: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function migrate(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.version)));
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    for (const sql of m.statements) await client.query(sql);
    await client.query(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
      [m.version, m.name, Date.now()],
    );
  }
}
