/**
 * The bot's own usage log: every audit, export, watch and digest request (written by the
 * recordUsage step, see middleware/steps.ts), kept for USAGE_RETENTION_DAYS and pruned by a
 * daily scheduler job; read by `usage [days]`.
 */
import type { Logger } from '../log';
import type { Clock } from '../scheduler/clock';
import type { Scheduler } from '../scheduler/scheduler';
import type { Store, UsageEntry } from '../store/store';

const DAY_MS = 86_400_000;
export const USAGE_PRUNE_JOB = 'usage.prune';
/** The most entries one `usage` file holds; the answer says when there were more. */
export const USAGE_MAX_ROWS = 100_000;

export interface RecentUsage {
  entries: UsageEntry[];
  /** The days covered: as asked, or the retention when more were asked for. */
  days: number;
  /** More days were asked for than the log keeps. */
  capped: boolean;
  /** There were more than {@link USAGE_MAX_ROWS} entries; the oldest are in the file. */
  truncated: boolean;
  /** When it was read (the bot's clock). */
  now: number;
}

export class UsageLog {
  constructor(
    private readonly deps: {
      store: Pick<Store, 'listUsage' | 'pruneUsage'>;
      clock: Clock;
      retentionDays: number;
      logger: Pick<Logger, 'info'>;
    },
  ) {}

  get retentionDays(): number {
    return this.deps.retentionDays;
  }

  /**
   * The entries of the last `days` days (at most the retention), oldest first.
   * @example const { entries } = await usageLog.recent(30);
   */
  async recent(days: number): Promise<RecentUsage> {
    const covered = Math.min(days, this.deps.retentionDays);
    const now = this.deps.clock.now();
    const entries = await this.deps.store.listUsage({
      since: now - covered * DAY_MS,
      limit: USAGE_MAX_ROWS + 1,
    });
    return {
      entries: entries.slice(0, USAGE_MAX_ROWS),
      days: covered,
      capped: covered < days,
      truncated: entries.length > USAGE_MAX_ROWS,
      now,
    };
  }

  /**
   * Registers the daily pruning and makes sure its job exists (every replica does; the job
   * stays one row and runs on one replica). Call before the scheduler starts.
   */
  async schedulePruning(scheduler: Scheduler): Promise<void> {
    scheduler.register(USAGE_PRUNE_JOB, async ({ now }) => {
      const before = now() - this.deps.retentionDays * DAY_MS;
      const removed = await this.deps.store.pruneUsage(before);
      if (removed > 0) this.deps.logger.info({ removed }, 'pruned old usage log entries');
    });
    await scheduler.schedule(
      {
        key: USAGE_PRUNE_JOB,
        kind: USAGE_PRUNE_JOB,
        payload: {},
        recurrence: { every: 'interval', intervalMs: DAY_MS, jitterMs: 30 * 60_000 },
      },
      { keepNextRun: true },
    );
  }
}
