/**
 * One durable scheduler for every replica: jobs are rows in the store (`scheduled_jobs`), each
 * run by one replica at a time under a lease, so a job runs once across replicas and survives
 * restarts; a crashed replica's lease lapses and another runs the job. Time comes from an
 * injected {@link Clock}; the loop polls every `pollMs` and `wake()` runs a round at once.
 *
 * Why not a library: none that is kept up fits both of our databases in-process. pg-boss and
 * graphile-worker are PostgreSQL only; liteque and plainjob SQLite only; agenda needs MongoDB
 * and BullMQ Redis; bree, node-cron, croner and toad-scheduler keep nothing durable; sidequest
 * has both backends but brings knex and its own pools, runs jobs in forked processes and
 * worker threads (apart from the bot's services) and reads the system clock. So the table is
 * small (src/store/migrations.ts, version 7) and its claims are tested on both databases.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { z } from 'zod';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { ScheduledJob, Store } from '../store/store';
import { systemClock, type Clock } from './clock';
import {
  outcomeOfRun,
  parseRecurrence,
  validRecurrence,
  type JobResult,
  type Recurrence,
} from './plan';

export type { JobResult, Recurrence } from './plan';

/** What a handler is given for one run. */
export interface JobContext<P> {
  key: string;
  kind: string;
  payload: P;
  /** 1 on a first try; more after failures or a replica that crashed mid-run. */
  attempt: number;
  /** When the run was due (it may start later, e.g. after downtime). */
  dueAt: number;
  /** Aborted when the scheduler stops or the lease was lost: end soon. */
  signal: AbortSignal;
  /** The scheduler's clock. */
  now(): number;
}

export type JobHandler<P> = (job: JobContext<P>) => Promise<JobResult>;

/** A job to create or replace. */
export interface JobSpec<P> {
  /** Unique; scheduling the same key again replaces the job (e.g. `watch:<person>:<recording>`). */
  key: string;
  kind: string;
  payload: P;
  /** Absent: runs once, then is deleted. */
  recurrence?: Recurrence;
  /** Default: now. */
  firstRunAt?: number;
}

export type SchedulerStore = Pick<
  Store,
  'saveJob' | 'getJob' | 'deleteJob' | 'claimDueJob' | 'renewJobLease' | 'finishJob' | 'releaseJobs'
>;

export interface SchedulerOptions {
  store: SchedulerStore;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  metrics?: Pick<Metrics, 'scheduledJobs'>;
  clock?: Clock;
  /** Unique to this process run; defaults to host, pid and a random suffix. */
  holder?: string;
  /** How often the loop looks for due jobs. Default 5 s. */
  pollMs?: number;
  /**
   * How long a claim lasts; renewed every third of it while the job runs, so it only bounds
   * how late a job is after its replica crashed mid-run. Default 30 s.
   */
  leaseMs?: number;
  /** Jobs this replica runs at once. Default 2. */
  concurrency?: number;
  /** How long stop() waits for aborted jobs to end before handing them back. Default 10 s. */
  drainMs?: number;
  /** For jitter; default Math.random. */
  random?: () => number;
}

/** Why a run was aborted. */
export class JobInterruptedError extends Error {
  constructor(reason: 'stopping' | 'lease lost') {
    super(`job interrupted: ${reason}`);
    this.name = 'JobInterruptedError';
  }
}

/** How often the loop looks for due jobs unless told otherwise. */
export const DEFAULT_SCHEDULER_POLL_MS = 5_000;

/** How much of a failure's message is kept on the row. */
const ERROR_KEPT_CHARS = 500;

interface Registration {
  handler: JobHandler<unknown>;
  payload?: z.ZodType<unknown>;
}

export class Scheduler {
  readonly holder: string;
  private readonly clock: Clock;
  private readonly handlers = new Map<string, Registration>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  private started = false;
  private stopped: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The last round asked for; rounds run one after another. */
  private tail: Promise<void> = Promise.resolve();
  /** A round asked for that has not begun: later wakes join it. */
  private queued: Promise<void> | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.holder =
      options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

  /**
   * Runs jobs of `kind` with `handler`; a payload that `payload` refuses deletes the job.
   * @example scheduler.register('usage.prune', async ({ now }) => { await prune(now()); });
   */
  register<P>(
    kind: string,
    handler: JobHandler<P>,
    options: { payload?: z.ZodType<P> } = {},
  ): void {
    if (this.handlers.has(kind)) throw new Error(`a handler for "${kind}" is registered already`);
    this.handlers.set(kind, { handler: handler as JobHandler<unknown>, payload: options.payload });
  }

  /**
   * Creates or replaces the job under `spec.key`. With `keepNextRun`, a job that exists keeps
   * its next run (every replica ensuring the same recurring job at start).
   * @example await scheduler.schedule({ key: 'usage.prune', kind: 'usage.prune', payload: {},
   *   recurrence: { every: 'interval', intervalMs: 86_400_000 } }, { keepNextRun: true });
   */
  async schedule<P>(spec: JobSpec<P>, options: { keepNextRun?: boolean } = {}): Promise<void> {
    const recurrence = spec.recurrence === undefined ? undefined : validRecurrence(spec.recurrence);
    const nextRunAt = spec.firstRunAt ?? this.clock.now();
    await this.options.store.saveJob(
      {
        key: spec.key,
        kind: spec.kind,
        payload: JSON.stringify(spec.payload ?? null),
        ...(recurrence ? { recurrence: JSON.stringify(recurrence) } : {}),
        nextRunAt,
      },
      options,
    );
    if (this.started && nextRunAt <= this.clock.now()) void this.wake();
  }

  /** Deletes the job (a run in progress finishes, and is not rescheduled); false if none. */
  cancel(key: string): Promise<boolean> {
    return this.options.store.deleteJob(key);
  }

  /** Starts polling, with a first round at once. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.loop();
  }

  /**
   * Runs a round now: claims and runs due jobs until none is left. Resolves when the round is
   * done; a wake during a round asks for one more after it.
   * @example clock.advance(60_000); await scheduler.wake();
   */
  wake(): Promise<void> {
    if (this.queued) return this.queued;
    const round = this.tail.then(() => {
      this.queued = undefined;
      // A round that threw must not stop the rounds after it (they chain on this one).
      return this.round().catch((err: unknown) =>
        this.options.logger.error({ err }, 'a scheduler round failed'),
      );
    });
    this.queued = round;
    this.tail = round;
    return round;
  }

  /**
   * Stops claiming, aborts the running jobs and waits up to `drainMs` for them to end, then
   * hands back what this replica still leases, so another replica runs it at once.
   * @example await scheduler.stop();
   */
  stop(): Promise<void> {
    this.stopped ??= this.drain();
    return this.stopped;
  }

  private async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.stopping.abort(new JobInterruptedError('stopping'));
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, this.options.drainMs ?? 10_000);
      }),
    ]);
    clearTimeout(timeout);
    const released = await this.options.store.releaseJobs(this.holder).catch((err: unknown) => {
      this.options.logger.warn({ err }, 'could not hand back the scheduled jobs');
      return 0;
    });
    if (released > 0) this.options.logger.info({ released }, 'handed back scheduled jobs');
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 30_000;
  }

  private loop(): void {
    void this.wake().finally(() => {
      if (this.stopped) return;
      this.timer = setTimeout(() => this.loop(), this.options.pollMs ?? DEFAULT_SCHEDULER_POLL_MS);
      this.timer.unref();
    });
  }

  /**
   * Claims due jobs one at a time and runs up to `concurrency` at once, until none is due. A
   * failed claim ends the round: a store that refuses writes gets one claim per poll (on
   * SQLite each waits out the busy timeout, holding up everything else in the process).
   */
  private async round(): Promise<void> {
    const concurrency = this.options.concurrency ?? 2;
    const runs = new Set<Promise<void>>();
    for (;;) {
      if (runs.size >= concurrency) {
        await Promise.race(runs);
        continue;
      }
      const job = await this.tracked(this.claim());
      // Claimed while stopping: stop() hands it back once this claim has settled.
      if (!job || this.stopping.signal.aborted) break;
      const run: Promise<void> = this.tracked(this.run(job)).finally(() => runs.delete(run));
      runs.add(run);
    }
    await Promise.all(runs);
  }

  /** stop() waits for claims and runs in progress, so none lands after it hands jobs back. */
  private async tracked<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    try {
      return await work;
    } finally {
      this.running.delete(work);
    }
  }

  private async claim(): Promise<ScheduledJob | null> {
    if (this.stopped) return null;
    const now = this.clock.now();
    try {
      return await this.options.store.claimDueJob({
        holder: this.holder,
        now,
        until: now + this.leaseMs,
        kinds: [...this.handlers.keys()],
      });
    } catch (err) {
      this.options.logger.warn({ err }, 'could not claim a scheduled job');
      return null;
    }
  }

  /** Runs one claimed job and records its outcome; never rejects. */
  private async run(job: ScheduledJob): Promise<void> {
    const { store, logger } = this.options;
    const registration = this.handlers.get(job.kind);
    const payload = this.payloadOf(job);
    if (!registration || payload === undefined) {
      await store.finishJob(job.key, this.holder, { status: 'delete' }).catch(() => false);
      return;
    }
    const lease = new AbortController();
    const interrupt = () => lease.abort(this.stopping.signal.reason);
    this.stopping.signal.addEventListener('abort', interrupt);
    const renewal = setInterval(() => void this.renew(job, lease), Math.max(50, this.leaseMs / 3));
    renewal.unref();
    let ended: { ok: true; result: JobResult } | { ok: false; error: string };
    try {
      const result = await registration.handler({
        key: job.key,
        kind: job.kind,
        payload: payload.value,
        attempt: job.attempts,
        dueAt: job.nextRunAt,
        signal: lease.signal,
        now: () => this.clock.now(),
      });
      ended = { ok: true, result };
    } catch (err) {
      // Interrupted by a stop: stop() hands the job back without counting this attempt.
      if (this.stopping.signal.aborted) {
        this.count(job, 'interrupted');
        return;
      }
      logger.warn({ err, key: job.key, kind: job.kind, attempt: job.attempts }, 'job failed');
      const message = err instanceof Error ? err.message : String(err);
      ended = { ok: false, error: message.slice(0, ERROR_KEPT_CHARS) };
    } finally {
      clearInterval(renewal);
      this.stopping.signal.removeEventListener('abort', interrupt);
    }
    this.count(job, ended.ok ? 'ok' : 'failed');
    const outcome = outcomeOfRun(
      { recurrence: parseRecurrence(job.recurrence), attempts: job.attempts },
      ended,
      this.clock.now(),
      this.options.random ?? Math.random,
    );
    const kept = await store.finishJob(job.key, this.holder, outcome).catch((err: unknown) => {
      logger.warn({ err, key: job.key }, 'could not record the end of a job');
      return true;
    });
    // Cancelled while it ran, or the lease lapsed and another replica took the job over.
    if (!kept) logger.info({ key: job.key }, 'job ended after it was cancelled or taken over');
  }

  private count(job: ScheduledJob, outcome: 'ok' | 'failed' | 'interrupted'): void {
    this.options.metrics?.scheduledJobs.inc({ kind: job.kind, outcome });
  }

  /** The payload, or undefined (logged) when it cannot be read: the job is then deleted. */
  private payloadOf(job: ScheduledJob): { value: unknown } | undefined {
    const schema = this.handlers.get(job.kind)?.payload;
    try {
      const value: unknown = JSON.parse(job.payload);
      if (!schema) return { value };
      const parsed = schema.safeParse(value);
      if (parsed.success) return { value: parsed.data };
      this.options.logger.error(
        { key: job.key, kind: job.kind, issues: parsed.error.issues.map((i) => i.message) },
        'scheduled job has an unreadable payload; deleted',
      );
    } catch {
      this.options.logger.error(
        { key: job.key, kind: job.kind },
        'scheduled job payload is not JSON; deleted',
      );
    }
    return undefined;
  }

  private async renew(job: ScheduledJob, lease: AbortController): Promise<void> {
    if (lease.signal.aborted) return;
    try {
      const held = await this.options.store.renewJobLease(
        job.key,
        this.holder,
        this.clock.now() + this.leaseMs,
      );
      if (!held && !lease.signal.aborted) lease.abort(new JobInterruptedError('lease lost'));
    } catch (err) {
      // Unreachable store: keep running; the lease still holds until it lapses.
      this.options.logger.warn({ err, key: job.key }, 'could not renew a job lease');
    }
  }
}
