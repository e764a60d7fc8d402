import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import { applyMigrations } from './migrations';
import type { Row } from './rows';
import type { SqlDriver, SqlSession, SqlValue } from './sql-driver';
import { SqlStore } from './sql-store';

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
export class PostgresStore extends SqlStore {
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
    const driver = new PostgresDriver(pool);
    try {
      if (schema) await driver.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await driver.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_ID]);
        await applyMigrations(tx);
      });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(driver);
  }
}

/** `?` placeholders → `$1, $2, …`. Our SQL has no `?` inside literals or operators. */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** What a pool and a checked-out client have in common. */
interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: SqlValue[]): Promise<QueryResult<R>>;
}

class PostgresSession implements SqlSession {
  constructor(private readonly target: Queryable) {}

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const { rows } = await this.target.query<T>(toPostgresPlaceholders(sql), [...params]);
    return rows;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    const res = await this.target.query(toPostgresPlaceholders(sql), [...params]);
    return { changes: res.rowCount ?? 0 };
  }
}

/** Statements go to any pooled connection; a transaction holds one connection throughout. */
class PostgresDriver extends PostgresSession implements SqlDriver {
  readonly dialect = 'postgres';

  constructor(private readonly pool: Pool) {
    super(pool);
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresSession(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
