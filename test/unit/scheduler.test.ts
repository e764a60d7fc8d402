/**
 * The scheduler's loop on a real store (SQLite in memory) with a manual clock: what runs when,
 * how often, what is left in the store afterwards, and how a stop or a lost lease ends a run.
 */
import { z } from 'zod';
import { createMetrics } from '../../src/metrics';
import { ManualClock } from '../../src/scheduler/clock';
import { Scheduler, type JobContext, type SchedulerOptions } from '../../src/scheduler/scheduler';
import { openStore, type Store } from '../../src/store';

const T0 = Date.parse('2024-11-04T08:00:00Z');
const MINUTE = 60_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let store: Store;
let clock: ManualClock;
const schedulers: Scheduler[] = [];

function scheduler(over: Partial<SchedulerOptions> = {}): Scheduler {
  const s = new Scheduler({ store, clock, logger: quiet, pollMs: 60_000, ...over });
  schedulers.push(s);
  return s;
}

/** A promise and the function that settles it. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
  clock = new ManualClock(T0);
});

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  await store.close();
});

it('runs a one-shot job once when it is due, then deletes it', async () => {
  const s = scheduler();
  const ran: Array<{ payload: unknown; attempt: number; dueAt: number }> = [];
  s.register('note', async ({ payload, attempt, dueAt }) => {
    ran.push({ payload, attempt, dueAt });
  });
  await s.schedule({ key: 'n1', kind: 'note', payload: { text: 'hi' }, firstRunAt: T0 + MINUTE });
  await s.wake();
  expect(ran).toEqual([]);
  clock.advance(MINUTE);
  await s.wake();
  await s.wake();
  expect(ran).toEqual([{ payload: { text: 'hi' }, attempt: 1, dueAt: T0 + MINUTE }]);
  expect(await store.getJob('n1')).toBeNull();
});

it('runs each occurrence of a recurring job once, and keeps the job', async () => {
  const s = scheduler();
  const dueTimes: number[] = [];
  s.register('poll', async ({ dueAt }) => {
    dueTimes.push(dueAt);
  });
  await s.schedule({
    key: 'p',
    kind: 'poll',
    payload: {},
    recurrence: { every: 'interval', intervalMs: 10 * MINUTE },
  });
  for (let i = 0; i < 5; i++) {
    await s.wake();
    await s.wake();
    clock.advance(10 * MINUTE);
  }
  expect(dueTimes).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * 10 * MINUTE));
  expect(await store.getJob('p')).toMatchObject({ nextRunAt: T0 + 50 * MINUTE, attempts: 0 });
});

it('backs a failing job off, counting attempts and keeping the error, until it succeeds', async () => {
  const metrics = createMetrics();
  const s = scheduler({ metrics });
  const attempts: number[] = [];
  s.register('flaky', async ({ attempt }) => {
    attempts.push(attempt);
    if (attempt < 3) throw new Error(`Webex answered 503 (try ${attempt})`);
  });
  await s.schedule({ key: 'f', kind: 'flaky', payload: null });
  await s.wake();
  expect(await store.getJob('f')).toMatchObject({
    attempts: 1,
    lastError: 'Webex answered 503 (try 1)',
    nextRunAt: T0 + 30_000,
  });
  clock.advance(29_999);
  await s.wake();
  expect(attempts).toEqual([1]);
  clock.advance(1);
  await s.wake();
  expect(await store.getJob('f')).toMatchObject({ attempts: 2, nextRunAt: T0 + 90_000 });
  clock.set(T0 + 90_000);
  await s.wake();
  expect(attempts).toEqual([1, 2, 3]);
  expect(await store.getJob('f')).toBeNull(); // a one-shot job, done at last
  const runs = (await metrics.scheduledJobs.get()).values.map((v) => [v.labels.outcome, v.value]);
  expect(Object.fromEntries(runs)).toEqual({ failed: 2, ok: 1 });
});

it('follows the handler: run again at a time it names, or end a recurring job', async () => {
  const s = scheduler();
  const runs: number[] = [];
  s.register('watch', async ({ now }) => {
    runs.push(now());
    return runs.length === 1 ? { runAt: now() + 120_000 } : { done: true };
  });
  const recurrence = { every: 'interval', intervalMs: 15 * MINUTE } as const;
  await s.schedule({ key: 'w', kind: 'watch', payload: {}, recurrence });
  await s.wake();
  expect(await store.getJob('w')).toMatchObject({ nextRunAt: T0 + 120_000 });
  clock.advance(120_000);
  await s.wake();
  expect(runs).toEqual([T0, T0 + 120_000]);
  expect(await store.getJob('w')).toBeNull();
});

it('deletes a job whose payload its handler refuses, without running it', async () => {
  const s = scheduler();
  const handler = jest.fn(async (_job: JobContext<{ recordingId: string }>) => undefined);
  s.register('typed', handler, { payload: z.object({ recordingId: z.string() }) });
  await s.schedule({ key: 'bad', kind: 'typed', payload: { recordingId: 42 } });
  await s.schedule({ key: 'good', kind: 'typed', payload: { recordingId: 'R1' } });
  await s.wake();
  expect(handler).toHaveBeenCalledTimes(1);
  expect(handler.mock.calls[0][0].payload).toEqual({ recordingId: 'R1' });
  expect(await store.getJob('bad')).toBeNull();
});

it('claims only kinds it has a handler for', async () => {
  const s = scheduler();
  s.register('mine', async () => undefined);
  await s.schedule({ key: 'theirs', kind: 'digest.weekly', payload: {} });
  await s.wake();
  expect(await store.getJob('theirs')).toMatchObject({ attempts: 0 });
  expect((await store.getJob('theirs'))?.leaseHolder).toBeUndefined();
});

it('keeps the next run of a job ensured again, e.g. by a restarted replica', async () => {
  const s = scheduler();
  s.register('prune', async () => undefined);
  const spec = {
    key: 'prune',
    kind: 'prune',
    payload: {},
    recurrence: { every: 'interval', intervalMs: 60 * MINUTE },
  } as const;
  await s.schedule(spec, { keepNextRun: true });
  await s.wake();
  clock.advance(MINUTE);
  await s.schedule(spec, { keepNextRun: true });
  await s.wake();
  expect(await store.getJob('prune')).toMatchObject({ nextRunAt: T0 + 60 * MINUTE });
});

it('stop() aborts the running job and hands it back uncounted; another replica runs it', async () => {
  const metrics = createMetrics();
  const a = scheduler({ holder: 'A', metrics });
  const started = signal();
  const aborted = signal<unknown>();
  a.register('long', async ({ signal: abort }) => {
    started.resolve();
    await new Promise((_, reject) =>
      abort.addEventListener('abort', () => {
        aborted.resolve(abort.reason);
        reject(abort.reason);
      }),
    );
  });
  await a.schedule({ key: 'l', kind: 'long', payload: {} });
  const round = a.wake();
  await started.promise;
  expect(await store.getJob('l')).toMatchObject({ leaseHolder: 'A', attempts: 1 });
  await a.stop();
  await round;
  expect(String(await aborted.promise)).toMatch(/stopping/);
  const runs = (await metrics.scheduledJobs.get()).values;
  expect(runs.map((v) => [v.labels, v.value])).toEqual([
    [{ kind: 'long', outcome: 'interrupted' }, 1],
  ]);
  expect(await store.getJob('l')).toEqual({
    key: 'l',
    kind: 'long',
    payload: '{}',
    nextRunAt: T0,
    attempts: 0,
  });

  const b = scheduler({ holder: 'B' });
  const ranOnB: number[] = [];
  b.register('long', async ({ attempt }) => {
    ranOnB.push(attempt);
  });
  await b.wake(); // at once: no lease to wait for
  expect(ranOnB).toEqual([1]);
  expect(await store.getJob('l')).toBeNull();
});

it('aborts a run whose lease another replica took over after it lapsed', async () => {
  const leaseMs = 300;
  // A's clock stands still (a hung replica), so its renewals never extend the lease past
  // T0 + leaseMs; B's clock moves on.
  const a = scheduler({ holder: 'A', leaseMs, clock: new ManualClock(T0) });
  const b = scheduler({ holder: 'B', leaseMs });
  const startedOnA = signal();
  const abortedOnA = signal<unknown>();
  a.register('slow', ({ signal: abort }) => {
    startedOnA.resolve();
    return new Promise((resolve) =>
      abort.addEventListener('abort', () => {
        abortedOnA.resolve(abort.reason);
        resolve(undefined);
      }),
    );
  });
  const onB: number[] = [];
  b.register('slow', async ({ attempt }) => {
    onB.push(attempt);
  });
  await a.schedule({ key: 's', kind: 'slow', payload: {} });
  const roundOnA = a.wake();
  await startedOnA.promise;
  clock.advance(leaseMs);
  await b.wake();
  expect(onB).toEqual([2]);
  expect(String(await abortedOnA.promise)).toMatch(/lease lost/);
  await roundOnA;
  expect(await store.getJob('s')).toBeNull();
});
