/**
 * The scheduler's pure rules: when a recurring job runs next (an interval with jitter, or a
 * weekday and local time in a zone, DST-safe), how long a failed run waits, and what a run's
 * end means for its row. No I/O and no clock here: every function is given the time.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import type { JobOutcome } from '../store/store';

/** Backoff after a failed run: 30 s, doubling, never more than an hour. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 60 * 60_000;

const recurrenceSchema = z.discriminatedUnion('every', [
  z
    .object({
      every: z.literal('interval'),
      intervalMs: z.number().int().min(1),
      /** Each run moves by up to this much either way, so replicas' polls spread out. */
      jitterMs: z.number().int().min(0).optional(),
    })
    .refine((r) => (r.jitterMs ?? 0) < r.intervalMs, {
      error: 'jitterMs must be smaller than intervalMs',
    }),
  z.object({
    every: z.literal('week'),
    /** ISO weekday: 1 is Monday, 7 is Sunday. */
    weekday: z.number().int().min(1).max(7),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59),
    zone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
      error: 'must be an IANA time zone such as Asia/Tokyo',
    }),
  }),
]);

/**
 * How a job repeats.
 * @example { every: 'interval', intervalMs: 900_000, jitterMs: 90_000 }
 * @example { every: 'week', weekday: 1, hour: 9, minute: 0, zone: 'Asia/Tokyo' } // Mondays 09:00
 */
export type Recurrence = z.infer<typeof recurrenceSchema>;
export type WeeklyRecurrence = Extract<Recurrence, { every: 'week' }>;

/** The recurrence as given, or a RangeError saying what is wrong with it. */
export function validRecurrence(value: unknown): Recurrence {
  const parsed = recurrenceSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`Invalid recurrence: ${issue?.path.join('.') ?? ''} ${issue?.message}`);
  }
  return parsed.data;
}

/** A stored recurrence (JSON), or undefined for a one-shot job or one that cannot be read. */
export function parseRecurrence(text: string | undefined): Recurrence | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = recurrenceSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `intervalMs` after `afterMs`, moved by a uniform jitter in [-jitterMs, +jitterMs).
 * @example nextIntervalRun(0, { every: 'interval', intervalMs: 1000, jitterMs: 100 }, () => 0.5) // 1000
 */
export function nextIntervalRun(
  afterMs: number,
  recurrence: Extract<Recurrence, { every: 'interval' }>,
  random: () => number,
): number {
  const jitter = recurrence.jitterMs ?? 0;
  return afterMs + recurrence.intervalMs + Math.floor((2 * random() - 1) * jitter);
}

/**
 * The first time strictly after `afterMs` when it is `weekday` at `hour:minute` on the wall
 * clocks of `zone`. Counted in calendar days of that zone, so the local time holds across
 * daylight-saving changes; a local time that a change skips moves forward past the gap.
 * @example nextWeeklyRun(Date.parse('2024-11-01T00:00:00Z'),
 *   { every: 'week', weekday: 1, hour: 9, minute: 0, zone: 'America/Los_Angeles' })
 * // Monday 2024-11-04 09:00 PST = 17:00Z
 */
export function nextWeeklyRun(afterMs: number, recurrence: WeeklyRecurrence): number {
  const { weekday, hour, minute, zone } = recurrence;
  const local = DateTime.fromMillis(afterMs, { zone });
  if (!local.isValid) throw new RangeError(`Unknown time zone "${zone}"`);
  const today = local.startOf('day');
  const at = (days: number) =>
    today.plus({ days }).set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
  const offset = (weekday - today.weekday + 7) % 7;
  const thisWeek = at(offset);
  return thisWeek > afterMs ? thisWeek : at(offset + 7);
}

/** When a recurring job runs next after a run that ended at `afterMs`. */
export function nextOccurrence(
  recurrence: Recurrence,
  afterMs: number,
  random: () => number,
): number {
  return recurrence.every === 'interval'
    ? nextIntervalRun(afterMs, recurrence, random)
    : nextWeeklyRun(afterMs, recurrence);
}

/**
 * How long a job waits after its `attempts`-th failure in a row: doubling from
 * {@link RETRY_BASE_MS}, at most {@link RETRY_MAX_MS}, and never longer than an interval job's
 * own interval (it would have run by then anyway).
 * @example retryDelayMs(1) // 30_000
 * @example retryDelayMs(3) // 120_000
 */
export function retryDelayMs(attempts: number, recurrence?: Recurrence): number {
  const doubled = RETRY_BASE_MS * 2 ** Math.min(Math.max(attempts - 1, 0), 20);
  const cap = recurrence?.every === 'interval' ? recurrence.intervalMs : RETRY_MAX_MS;
  return Math.min(doubled, RETRY_MAX_MS, cap);
}

/**
 * What a handler may answer: nothing (the job's recurrence decides, and a one-shot job is
 * deleted), `{ done: true }` (delete it now, e.g. a watch that expired), or `{ runAt }` (run
 * it then, e.g. when Webex said `Retry-After`).
 */
export type JobResult = void | { done: true } | { runAt: number };

/** The row's fate after a run that ended at `nowMs`. */
export function outcomeOfRun(
  run: { recurrence?: Recurrence; attempts: number },
  ended: { ok: true; result: JobResult } | { ok: false; error: string },
  nowMs: number,
  random: () => number,
): JobOutcome {
  if (!ended.ok) {
    const nextRunAt = nowMs + retryDelayMs(run.attempts, run.recurrence);
    return { status: 'retry', nextRunAt, error: ended.error };
  }
  const result = ended.result;
  if (result && 'done' in result) return { status: 'delete' };
  if (result && 'runAt' in result) return { status: 'reschedule', nextRunAt: result.runAt };
  if (!run.recurrence) return { status: 'delete' };
  return { status: 'reschedule', nextRunAt: nextOccurrence(run.recurrence, nowMs, random) };
}
