/**
 * The little a {@link SqlStore} needs from a database: statements with `?` placeholders
 * (drivers translate if their database wants another style) and transactions.
 */
import type { Row } from './rows';

/** A value bound to a `?` placeholder. Times are epoch ms numbers. */
export type SqlValue = string | number | null;

/** Runs statements, either on the whole database or inside one transaction. */
export interface SqlSession {
  /** Rows returned by a SELECT or a `… RETURNING` statement. */
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement that returns no rows; `changes` is how many rows it touched. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

export interface SqlDriver extends SqlSession {
  /** For the few statements written differently per database (e.g. `SKIP LOCKED`). */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Statements inside must go through `tx`, not the driver.
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
