/**
 * One replica for test/auth/refresh-across-processes.test.ts, run as its own process
 * (`node --import tsx test/helpers/token-replica.ts`). It opens the store named by
 * DATABASE_URL (PostgreSQL in PG_SCHEMA when set), says `{"event":"ready"}`, waits for a `go`
 * line on stdin, asks PersonTokens for PERSON_ID's token against WEBEX_API_URL and prints
 * `{"event":"token","sha256":…}` or `{"event":"error",…}`. It never prints a token itself.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { PersonTokens } from '../../src/auth/person-tokens';
import { openStore } from '../../src/store';
import { createWebexHttp } from '../../src/webex';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`token-replica: ${name} is not set`);
  return value;
}

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<void> {
  const schema = process.env.PG_SCHEMA;
  const store = await openStore(required('DATABASE_URL'), schema ? { postgres: { schema } } : {});
  const tokens = new PersonTokens({
    http: createWebexHttp({ baseUrl: required('WEBEX_API_URL') }),
    store,
    key: Buffer.from(required('TOKEN_ENCRYPTION_KEY'), 'base64'),
    clientId: required('WEBEX_CLIENT_ID'),
    clientSecret: required('WEBEX_CLIENT_SECRET'),
    refreshLeaseMs: Number(required('REFRESH_LEASE_MS')),
  });
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      if (line.trim() === 'go') resolve();
    });
  });
  say({ event: 'ready' });
  await go;
  try {
    const { token } = await tokens.get(required('PERSON_ID'));
    say({ event: 'token', sha256: createHash('sha256').update(token).digest('hex') });
  } catch (err) {
    const error = err as Error;
    say({ event: 'error', name: error.name, message: error.message });
  } finally {
    lines.close();
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`token-replica failed: ${(err as Error).message}\n`);
  process.exit(1);
});
