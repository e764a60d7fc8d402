import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyMigrations } from './migrations';
import type { Row } from './rows';
import type { SqlDriver, SqlSession, SqlValue } from './sql-driver';
import { SqlStore } from './sql-store';

/** How long a write waits for another process's lock on the file. */
export const SQLITE_BUSY_TIMEOUT_MS = 1_000;

/**
 * The embedded store (better-sqlite3). One file in WAL mode; migrations run on open.
 *
 * @example
 * const store = await SqliteStore.open('data/audit-bot.db'); // or ':memory:' in tests
 */
export class SqliteStore extends SqlStore {
  /** Opens (creating parent directories and the file if needed) and migrates. */
  static async open(path: string): Promise<SqliteStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    // The driver is synchronous: waiting for another process's lock stalls this whole process
    // (webhook answers included), so the wait is short. Writes take milliseconds; a lock held
    // longer (a stuck process, a backup) fails the write, which the callers report or retry.
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    const driver = new SqliteDriver(db);
    try {
      await driver.transaction(applyMigrations);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(driver);
  }
}

/**
 * Prepared statements by SQL text, per connection. Preparing shows in the bot's CPU profile
 * on every event; the store's SQL is a fixed set of strings, and the cap guards the rest.
 */
class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (this.statements.size < 200) this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Statements straight on the connection (better-sqlite3 is synchronous). */
class SqliteSession implements SqlSession {
  constructor(
    protected readonly db: Database.Database,
    protected readonly statements = new StatementCache(db),
  ) {}

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    // better-sqlite3 returns untyped rows; the caller names the columns it selected.
    return this.statements.get(sql).all(...params) as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return { changes: this.statements.get(sql).run(...params).changes };
  }
}

/**
 * One connection shared by every caller, so operations are queued: while a transaction awaits
 * between its statements, another caller's statement must not run inside it.
 */
class SqliteDriver extends SqliteSession implements SqlDriver {
  readonly dialect = 'sqlite';
  /** Settles when the last queued operation has finished. */
  private tail: Promise<unknown> = Promise.resolve();

  override query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.exclusive(() => super.query<T>(sql, params));
  }

  override run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.exclusive(() => super.run(sql, params));
  }

  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      // IMMEDIATE takes the write lock now, so a read-then-write cannot be overtaken.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(new SqliteSession(this.db, this.statements));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.db.open) this.db.close();
    });
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
