/**
 * The scheduler across replicas: two schedulers on two connections to one PostgreSQL, with one
 * injected clock, run every occurrence of a job exactly once; and a replica killed with -9 in
 * the middle of a job (a real child process) leaves it leased until the lease lapses, then the
 * other replica runs it again, counted as a second attempt (PostgreSQL and a SQLite file).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Client } from 'pg';
import { ManualClock } from '../../src/scheduler/clock';
import { Scheduler } from '../../src/scheduler/scheduler';
import { openStore, type Store } from '../../src/store';
import { until } from '../helpers/until';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../..');
const PG_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `test_scheduler_${process.pid}_${randomBytes(3).toString('hex')}`;
const PG_SCHEMA_URL = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(
  `-c search_path=${SCHEMA}`,
)}`;
const T0 = Date.parse('2024-11-04T08:00:00Z');
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-scheduler-'));

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const opened: Store[] = [];
const schedulers: Scheduler[] = [];

async function pgStore(): Promise<Store> {
  const store = await openStore(PG_URL, { postgres: { schema: SCHEMA } });
  opened.push(store);
  return store;
}

beforeAll(() => admin(`CREATE SCHEMA "${SCHEMA}"`));

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await admin(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  rmSync(tmp, { recursive: true, force: true });
});

/** A scheduler on its own store connection. */
function replica(store: Store, holder: string, clock: ManualClock, concurrency = 2): Scheduler {
  const s = new Scheduler({ store, clock, holder, logger: quiet, pollMs: 60_000, concurrency });
  schedulers.push(s);
  return s;
}

describe('two replicas on one PostgreSQL', () => {
  it('run each occurrence of a recurring job exactly once', async () => {
    const clock = new ManualClock(T0);
    const [a, b] = [replica(await pgStore(), 'A', clock), replica(await pgStore(), 'B', clock)];
    const runs: Array<{ dueAt: number; holder: string }> = [];
    for (const s of [a, b]) {
      s.register('test.tick', async ({ dueAt }) => {
        await nextTurn(); // widens the window in which the other replica could claim it too
        runs.push({ dueAt, holder: s.holder });
      });
    }
    const intervalMs = 60_000;
    await a.schedule({
      key: 'tick',
      kind: 'test.tick',
      payload: {},
      recurrence: { every: 'interval', intervalMs },
    });
    const occurrences = 25;
    for (let i = 0; i < occurrences; i++) {
      // Both wake at once, several times, as polling replicas would.
      await Promise.all([a.wake(), b.wake(), a.wake(), b.wake()]);
      clock.advance(intervalMs);
    }
    const dueTimes = runs.map((r) => r.dueAt);
    expect(dueTimes).toEqual(Array.from({ length: occurrences }, (_, i) => T0 + i * intervalMs));
    const store = await pgStore();
    expect(await store.getJob('tick')).toEqual({
      key: 'tick',
      kind: 'test.tick',
      payload: '{}',
      recurrence: JSON.stringify({ every: 'interval', intervalMs }),
      nextRunAt: T0 + occurrences * intervalMs,
      attempts: 0,
    });
  });

  it('share a batch of due jobs, each run once', async () => {
    const clock = new ManualClock(T0);
    const [a, b] = [
      replica(await pgStore(), 'A', clock, 3),
      replica(await pgStore(), 'B', clock, 3),
    ];
    const ran: string[] = [];
    for (const s of [a, b]) {
      s.register('test.once', async ({ key }) => {
        await nextTurn();
        ran.push(key);
      });
    }
    const keys = Array.from({ length: 30 }, (_, i) => `once-${i}`);
    for (const key of keys) await a.schedule({ key, kind: 'test.once', payload: { key } });
    await Promise.all([a.wake(), b.wake()]);
    expect([...ran].sort()).toEqual([...keys].sort());
    const store = await pgStore();
    for (const key of keys) expect(await store.getJob(key)).toBeNull();
  });
});

/** The replica in test/helpers/scheduler-child.ts, its clock standing at `clockMs`. */
function hangingReplica(databaseUrl: string, clockMs: number, leaseMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/scheduler-child.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      DATABASE_URL: databaseUrl,
      CLOCK_MS: String(clockMs),
      LEASE_MS: String(leaseMs),
      HOLDER: 'child',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

describe.each([
  { name: 'PostgreSQL', url: PG_SCHEMA_URL, open: () => pgStore() },
  {
    name: 'a SQLite file',
    url: `sqlite:${path.join(tmp, 'jobs.db')}`,
    open: async () => {
      const store = await openStore(`sqlite:${path.join(tmp, 'jobs.db')}`);
      opened.push(store);
      return store;
    },
  },
])('a replica killed mid-job ($name)', ({ url, open }) => {
  it('keeps the job leased until the lease lapses; then the other replica runs it again', async () => {
    const leaseMs = 30_000;
    const store = await open();
    const clock = new ManualClock(T0);
    const survivor = replica(store, 'survivor', clock);
    const runsOnSurvivor: number[] = [];
    survivor.register('test.hang', async ({ attempt }) => {
      runsOnSurvivor.push(attempt);
    });
    await survivor.schedule({ key: 'hang', kind: 'test.hang', payload: {}, firstRunAt: T0 });

    const doomed = hangingReplica(url, T0, leaseMs);
    await until(
      'the child replica to run the job',
      () => {
        if (doomed.child.exitCode !== null) throw new Error(`child exited: ${doomed.stderr()}`);
        return doomed.stdout().includes('running hang 1');
      },
      30_000,
    );
    expect(await store.getJob('hang')).toMatchObject({
      leaseHolder: 'child',
      leaseUntil: T0 + leaseMs,
      attempts: 1,
    });
    // While the child lives and holds the lease, the survivor leaves the job alone.
    clock.set(T0 + leaseMs - 1);
    await survivor.wake();
    expect(runsOnSurvivor).toEqual([]);

    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    await survivor.wake();
    expect(runsOnSurvivor).toEqual([]); // the lease has not lapsed yet

    clock.set(T0 + leaseMs);
    await survivor.wake();
    // Run twice in all: once by the killed replica, once again here, counted as attempt 2.
    expect(doomed.stdout().match(/running hang/g)).toHaveLength(1);
    expect(runsOnSurvivor).toEqual([2]);
    expect(await store.getJob('hang')).toBeNull();
  });
});
