/**
 * When the weekly digest runs and which week it covers: Monday 09:00 on the person's wall
 * clock, the week before it. Pure: every function is given the time and the zone.
 *
 * The zone is resolved again at each run (the person's `timezone`, else their Webex profile):
 * if it changed since the job was planned, the run re-plans instead of sending at the old
 * zone's 09:00 (see {@link planDigestRun}). `timezone` also re-plans the job at once.
 */
import { DateTime } from 'luxon';
import { nextWeeklyRun, type WeeklyRecurrence } from '../scheduler/plan';

const DAY_MS = 86_400_000;
const HALF_WEEK_MS = 3.5 * DAY_MS;

/**
 * Monday 09:00 in `zone`.
 * @example digestRecurrence('Asia/Tokyo') // { every: 'week', weekday: 1, hour: 9, minute: 0, zone: 'Asia/Tokyo' }
 */
export function digestRecurrence(zone: string): WeeklyRecurrence {
  return { every: 'week', weekday: 1, hour: 9, minute: 0, zone };
}

/**
 * The first digest time strictly after `afterMs` in `zone`.
 * @example nextDigestTime(Date.parse('2024-11-04T16:59:00Z'), 'America/Los_Angeles') // 2024-11-04T17:00Z
 */
export function nextDigestTime(afterMs: number, zone: string): number {
  return nextWeeklyRun(afterMs, digestRecurrence(zone));
}

/** The latest digest time at or before `atMs` in `zone`. */
export function lastDigestTime(atMs: number, zone: string): number {
  // The first one after eight days back is at most a day (and a DST hour) before `atMs`.
  let last = nextDigestTime(atMs - 8 * DAY_MS, zone);
  for (let next = nextDigestTime(last, zone); next <= atMs; next = nextDigestTime(last, zone)) {
    last = next;
  }
  return last;
}

/** The seven days a digest covers: from the Monday 09:00 before `to` up to `to`. */
export interface DigestWeek {
  from: number;
  to: number;
}

export type DigestRunPlan =
  /** Not yet Monday 09:00 where the person is now (their zone moved west): run then. */
  { send: false; runAt: number } | { send: true; week: DigestWeek; nextRunAt: number };

/**
 * What a run due at `dueAt` does at `now` in the person's `zone`. A run stands for the digest
 * time in `zone` nearest to when it was due (a retry or a changed zone moves the due time by
 * hours, not days). It sends the latest whole week, so after a long downtime one digest
 * comes, for the last week, not one per missed week.
 * @example planDigestRun(monday9Tokyo, monday9Tokyo, 'Asia/Tokyo')
 * // { send: true, week: { from: monday9Tokyo - 7 days, to: monday9Tokyo }, nextRunAt: monday9Tokyo + 7 days }
 */
export function planDigestRun(dueAt: number, now: number, zone: string): DigestRunPlan {
  const standsFor = nextDigestTime(dueAt - HALF_WEEK_MS, zone);
  if (standsFor > now) return { send: false, runAt: standsFor };
  const to = lastDigestTime(now, zone);
  const from = DateTime.fromMillis(to, { zone }).minus({ days: 7 }).toMillis();
  return { send: true, week: { from, to }, nextRunAt: nextDigestTime(now, zone) };
}
