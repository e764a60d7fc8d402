/**
 * A replica that takes a job and hangs in it, for test/integration/scheduler-replicas.test.ts
 * to kill -9. Reads DATABASE_URL, CLOCK_MS (its clock stands still there), LEASE_MS and
 * HOLDER; prints `running <key> <attempt>` once its handler holds the job.
 */
import { ManualClock } from '../../src/scheduler/clock';
import { Scheduler } from '../../src/scheduler/scheduler';
import { openStore } from '../../src/store';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const store = await openStore(env('DATABASE_URL'));
  const scheduler = new Scheduler({
    store,
    clock: new ManualClock(Number(env('CLOCK_MS'))),
    holder: env('HOLDER'),
    leaseMs: Number(env('LEASE_MS')),
    pollMs: 100,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  scheduler.register('test.hang', async ({ key, attempt }) => {
    process.stdout.write(`running ${key} ${attempt}\n`);
    // Never ends: the test kills this process mid-job.
    await new Promise(() => setInterval(() => undefined, 60_000));
  });
  scheduler.start();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
