import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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

/**
 * The embedded store (better-sqlite3, synchronous under an async interface). One file in WAL
 * mode; migrations run on open.
 *
 * @example
 * const store = SqliteStore.open('data/audit-bot.db'); // or ':memory:' in tests
 */
export class SqliteStore implements Store {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating parent directories and the file if needed) and migrates. */
  static open(path: string): SqliteStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return new SqliteStore(db);
  }

  async saveAccount(a: StoredAccount): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO accounts (person_id, email, access_token_enc, refresh_token_enc,
           access_expires_at, refresh_expires_at, scopes, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (person_id) DO UPDATE SET
           email = excluded.email, access_token_enc = excluded.access_token_enc,
           refresh_token_enc = excluded.refresh_token_enc,
           access_expires_at = excluded.access_expires_at,
           refresh_expires_at = excluded.refresh_expires_at,
           scopes = excluded.scopes, updated_at = excluded.updated_at`,
      )
      .run(
        a.personId,
        a.email,
        a.accessTokenEnc,
        a.refreshTokenEnc,
        a.accessExpiresAt,
        a.refreshExpiresAt,
        joinScopes(a.scopes),
        a.updatedAt,
      );
  }

  async getAccount(personId: string): Promise<StoredAccount | null> {
    const row = this.db.prepare('SELECT * FROM accounts WHERE person_id = ?').get(personId);
    return row ? accountFromRow(row as Row) : null;
  }

  async deleteAccount(personId: string): Promise<void> {
    this.db.prepare('DELETE FROM accounts WHERE person_id = ?').run(personId);
  }

  async saveOAuthState(s: OAuthState): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO oauth_states (state, person_id, code_verifier, scopes, redirect_room_id,
           pending_request, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.state,
        s.personId,
        s.codeVerifier,
        joinScopes(s.scopes),
        s.redirectRoomId ?? null,
        s.pendingRequest ?? null,
        s.expiresAt,
      );
  }

  async takeOAuthState(state: string): Promise<OAuthState | null> {
    // DELETE … RETURNING is one statement: a state can be taken only once.
    const row = this.db.prepare('DELETE FROM oauth_states WHERE state = ? RETURNING *').get(state);
    return row ? oauthStateFromRow(row as Row) : null;
  }

  async purgeExpiredOAuthStates(now: number): Promise<number> {
    return this.db.prepare('DELETE FROM oauth_states WHERE expires_at <= ?').run(now).changes;
  }

  async getSettings(personId: string): Promise<PersonSettings> {
    const row = this.db
      .prepare('SELECT timezone, locale FROM person_settings WHERE person_id = ?')
      .get(personId) as Row | undefined;
    return settingsOf(row);
  }

  async saveSettings(personId: string, patch: SettingsPatch): Promise<PersonSettings> {
    const update = this.db.transaction(() => {
      const current = this.db
        .prepare('SELECT timezone, locale FROM person_settings WHERE person_id = ?')
        .get(personId) as Row | undefined;
      const next = applyPatch(settingsOf(current), patch);
      this.db
        .prepare(
          `INSERT INTO person_settings (person_id, timezone, locale) VALUES (?, ?, ?)
           ON CONFLICT (person_id) DO UPDATE SET timezone = excluded.timezone, locale = excluded.locale`,
        )
        .run(personId, next.timezone ?? null, next.locale ?? null);
      return next;
    });
    return update.immediate();
  }

  async getProfileTimezone(personId: string): Promise<CachedProfileTimezone | null> {
    const row = this.db
      .prepare('SELECT timezone, fetched_at FROM profile_cache WHERE person_id = ?')
      .get(personId) as Row | undefined;
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
    this.db
      .prepare(
        `INSERT INTO profile_cache (person_id, timezone, fetched_at) VALUES (?, ?, ?)
         ON CONFLICT (person_id) DO UPDATE SET timezone = excluded.timezone, fetched_at = excluded.fetched_at`,
      )
      .run(personId, timezone, fetchedAt);
  }

  async markEventSeen(key: string, now: number): Promise<boolean> {
    const mark = this.db.transaction(() => {
      this.db.prepare('DELETE FROM seen_events WHERE seen_at < ?').run(now - EVENT_KEY_TTL_MS);
      return this.db
        .prepare(
          'INSERT INTO seen_events (event_key, seen_at) VALUES (?, ?) ON CONFLICT (event_key) DO NOTHING',
        )
        .run(key, now).changes;
    });
    return mark.immediate() === 1;
  }

  async forgetPerson(personId: string): Promise<void> {
    this.db.transaction(() => {
      for (const table of ['accounts', 'oauth_states', 'person_settings', 'profile_cache']) {
        this.db.prepare(`DELETE FROM ${table} WHERE person_id = ?`).run(personId);
      }
    })();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      for (const sql of m.statements) db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    }).immediate();
  }
}
