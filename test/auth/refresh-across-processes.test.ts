/**
 * Two replicas (two real processes) on one store refresh the same person's expired token at the
 * same moment: the sandbox's token endpoint sees one refresh and both use the new token. When
 * the replica holding the refresh is killed, the other takes over once its lease lapses.
 * Run on a shared SQLite file and on PostgreSQL (a throw-away schema).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { decryptToken, encryptToken } from '../../src/auth/token-crypto';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { registerIntegration } from '../../src/sandbox/routes/oauth';
import { openStore, type Store } from '../../src/store';

const PG_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = path.resolve(__dirname, '../..');
const REPLICA = path.join(ROOT, 'test/helpers/token-replica.ts');
const REFRESH_ROUTE = 'POST /v1/access_token';
const LEASE_MS = 2_000;
const CLIENT_ID = 'replica-test-client';
const CLIENT_SECRET = randomBytes(16).toString('hex');
const KEY = randomBytes(32);
const DAY = 86_400_000;

interface Target {
  name: string;
  databaseUrl: string;
  schema?: string;
  cleanup(): Promise<void>;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-refresh-'));
const pgSchema = `test_refresh_${process.pid}_${randomBytes(4).toString('hex')}`;

const targets: Target[] = [
  {
    name: 'sqlite file',
    databaseUrl: `sqlite:${path.join(tmp, 'shared.db')}`,
    cleanup: async () => rmSync(tmp, { recursive: true, force: true }),
  },
  {
    name: 'postgres',
    databaseUrl: PG_URL,
    schema: pgSchema,
    cleanup: async () => {
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  },
];

type ReplicaMessage =
  | { event: 'ready' }
  | { event: 'token'; sha256: string }
  | { event: 'error'; name: string; message: string };

/** A child process running test/helpers/token-replica.ts, and what it said. */
class Replica {
  readonly child: ChildProcess;
  private readonly messages: ReplicaMessage[] = [];
  private readonly waiters: Array<() => void> = [];
  private stderr = '';
  readonly exited: Promise<NodeJS.Signals | number | null>;

  constructor(target: Target, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', REPLICA], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: target.databaseUrl,
        ...(target.schema ? { PG_SCHEMA: target.schema } : {}),
        TOKEN_ENCRYPTION_KEY: KEY.toString('base64'),
        WEBEX_CLIENT_ID: CLIENT_ID,
        WEBEX_CLIENT_SECRET: CLIENT_SECRET,
        REFRESH_LEASE_MS: String(LEASE_MS),
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.messages.push(JSON.parse(line) as ReplicaMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.once('exit', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves with the first message of that kind; fails if the process exits without it. */
  async next<E extends ReplicaMessage['event']>(
    ...events: E[]
  ): Promise<Extract<ReplicaMessage, { event: E }>> {
    for (;;) {
      const found = this.messages.find((m) => (events as string[]).includes(m.event));
      if (found) return found as Extract<ReplicaMessage, { event: E }>;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`replica exited before "${events.join('|')}": ${this.stderr}`);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  go(): void {
    this.child.stdin!.write('go\n');
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(targets)('token refresh across two processes ($name)', (target) => {
  let sandbox: Sandbox;
  let store: Store;
  let sandboxPersonId: string;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined });
    registerIntegration(sandbox.state, {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      scopes: ['spark:people_read', 'meeting:recordings_read'],
    });
    sandboxPersonId = sandbox.facts().users[0].id;
    // Migrates before the replicas start.
    store = await openStore(
      target.databaseUrl,
      target.schema ? { postgres: { schema: target.schema } } : {},
    );
  });

  afterEach(async () => {
    for (const replica of replicas.splice(0)) {
      replica.stop();
      await replica.exited;
    }
    sandbox.faults.clear();
  });

  afterAll(async () => {
    await store?.close();
    await sandbox?.close();
    await target.cleanup();
  });

  /** A linked account whose access token has expired, with a refresh token the sandbox knows. */
  async function linkExpiredAccount(personId: string): Promise<void> {
    const refreshToken = randomBytes(24).toString('hex');
    sandbox.state.refreshTokens.set(refreshToken, {
      token: refreshToken,
      personId: sandboxPersonId,
      scopes: ['spark:people_read', 'meeting:recordings_read'],
      clientId: CLIENT_ID,
      expiresAt: Date.now() + 90 * DAY,
    });
    await store.saveAccount({
      personId,
      email: 'replica-test@example.com',
      accessTokenEnc: encryptToken('expired-access-token', KEY),
      refreshTokenEnc: encryptToken(refreshToken, KEY),
      accessExpiresAt: Date.now() - 1_000,
      refreshExpiresAt: Date.now() + 90 * DAY,
      scopes: ['meeting:recordings_read'],
      updatedAt: Date.now(),
    });
  }

  async function startReplicas(personId: string): Promise<[Replica, Replica]> {
    const pair: [Replica, Replica] = [0, 1].map(
      () => new Replica(target, { WEBEX_API_URL: sandbox.apiUrl, PERSON_ID: personId }),
    ) as [Replica, Replica];
    replicas.push(...pair);
    await Promise.all(pair.map((r) => r.next('ready')));
    return pair;
  }

  /** The access token now stored for the person, and whether the sandbox accepts it. */
  async function stored(personId: string): Promise<{ sha256: string; acceptedByWebex: boolean }> {
    const account = await store.getAccount(personId);
    const token = decryptToken(account!.accessTokenEnc, KEY);
    return {
      sha256: sha256(token),
      acceptedByWebex: sandbox.state.personByToken(token)?.id === sandboxPersonId,
    };
  }

  const refreshCalls = () => sandbox.faults.counts().byRoute[REFRESH_ROUTE] ?? 0;

  it('makes one refresh call when both refresh at the same moment, and both use the new token', async () => {
    const personId = `race-${randomBytes(3).toString('hex')}`;
    await linkExpiredAccount(personId);
    const [a, b] = await startReplicas(personId);
    // A slow token endpoint, so the two refreshes really overlap.
    sandbox.faults.set({ route: REFRESH_ROUTE, latencyMs: 300 });
    sandbox.faults.resetCounts();

    a.go();
    b.go();
    const answers = await Promise.all([a.next('token', 'error'), b.next('token', 'error')]);

    expect(answers.map((m) => m.event)).toEqual(['token', 'token']);
    expect(refreshCalls()).toBe(1);
    const now = await stored(personId);
    expect(now.acceptedByWebex).toBe(true);
    expect(now.sha256).not.toBe(sha256('expired-access-token'));
    expect(answers).toEqual([
      { event: 'token', sha256: now.sha256 },
      { event: 'token', sha256: now.sha256 },
    ]);
  }, 60_000);

  it('lets the other refresh once the lease of a replica killed while refreshing has lapsed', async () => {
    const personId = `kill-${randomBytes(3).toString('hex')}`;
    await linkExpiredAccount(personId);
    const [doomed, survivor] = await startReplicas(personId);
    // The first refresh hangs at Webex until its replica is killed.
    sandbox.faults.set({ route: REFRESH_ROUTE, latencyMs: 60_000 });
    sandbox.faults.resetCounts();

    const wentAt = Date.now();
    doomed.go();
    // Its call reached Webex, so it holds the claim.
    await until(() => refreshCalls() === 1, 'the first replica to call the token endpoint');
    survivor.go();
    doomed.stop();
    expect(await doomed.exited).toBe('SIGKILL');
    sandbox.faults.clear();

    const answer = await survivor.next('token', 'error');
    const answeredAfterMs = Date.now() - wentAt;

    expect(answer.event).toBe('token');
    expect(refreshCalls()).toBe(2);
    // It did not refresh while the dead replica's lease was live, nor wait much longer.
    expect(answeredAfterMs).toBeGreaterThanOrEqual(LEASE_MS);
    expect(answeredAfterMs).toBeLessThan(LEASE_MS + 5_000);
    const now = await stored(personId);
    expect(now.acceptedByWebex).toBe(true);
    expect(answer).toEqual({ event: 'token', sha256: now.sha256 });
  }, 60_000);
});
