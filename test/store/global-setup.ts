/**
 * Jest global set-up: finds or starts the PostgreSQL server for this run and hands its URL
 * to every test through `TEST_POSTGRES_URL` (workers inherit the environment).
 */
import {
  canConnect,
  choosePostgres,
  hostOf,
  startEmbeddedPostgres,
  type TestPostgres,
} from './postgres-server';

/** Read by global-teardown.ts, which jest runs in this same process. */
export const SERVER_KEY = Symbol.for('audit-bot.test-postgres');

export default async function globalSetup(): Promise<void> {
  try {
    const server = await choosePostgres(process.env, {
      probe: canConnect,
      startEmbedded: startEmbeddedPostgres,
    });
    if (server.unusable) {
      process.stderr.write(
        `\nPostgreSQL tests: nothing usable at ${hostOf(server.unusable.url)} ` +
          `(${server.unusable.reason}); started an embedded server at ${hostOf(server.url)}.\n`,
      );
    }
    process.env.TEST_POSTGRES_URL = server.url;
    (globalThis as Record<symbol, TestPostgres>)[SERVER_KEY] = server;
  } catch (err) {
    // Let every other suite run; the PostgreSQL tests fail with this reason.
    process.env.TEST_POSTGRES_UNAVAILABLE = (err as Error).message;
  }
}
