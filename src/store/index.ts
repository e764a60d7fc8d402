import { PostgresStore, type PostgresStoreOptions } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './store';

export * from './store';
export { SqlStore } from './sql-store';
export type { SqlDriver, SqlSession, SqlValue } from './sql-driver';
export { SqliteStore } from './sqlite';
export { PostgresStore, type PostgresStoreOptions } from './postgres';
export { MIGRATIONS, applyMigrations, type Migration } from './migrations';

const ACCEPTED =
  'accepted forms: sqlite:<path> (e.g. sqlite:data/audit-bot.db), sqlite::memory:, ' +
  'postgres://user:password@host:5432/database (or postgresql://…)';

/**
 * Opens the store named by DATABASE_URL, running migrations.
 *
 * @example
 * const store = await openStore(process.env.DATABASE_URL ?? 'sqlite:data/audit-bot.db');
 */
export async function openStore(
  databaseUrl: string,
  options: { postgres?: PostgresStoreOptions } = {},
): Promise<Store> {
  const url = databaseUrl.trim();
  if (/^postgres(ql)?:\/\//i.test(url)) return PostgresStore.open(url, options.postgres);
  if (/^sqlite:/i.test(url)) {
    const path = sqlitePath(url);
    if (!path) throw new Error(`DATABASE_URL "sqlite:" has no file path; ${ACCEPTED}`);
    return SqliteStore.open(path);
  }
  // Do not echo the URL: a postgres-like URL may hold a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `DATABASE_URL is not supported${scheme ? ` (scheme "${scheme}:")` : ''}; ${ACCEPTED}`,
  );
}

/** `sqlite:x.db`, `sqlite:/abs/x.db`, `sqlite:///abs/x.db`, `sqlite::memory:` → path. */
function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:') return rest;
  return rest.startsWith('//') ? rest.slice(2) : rest;
}
