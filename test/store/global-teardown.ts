/** Jest global tear-down: stops the embedded PostgreSQL server if global-setup.ts started one. */
import { SERVER_KEY } from './global-setup';
import type { TestPostgres } from './postgres-server';

export default async function globalTeardown(): Promise<void> {
  const slot = globalThis as Record<symbol, TestPostgres | undefined>;
  await slot[SERVER_KEY]?.stop();
  slot[SERVER_KEY] = undefined;
}
