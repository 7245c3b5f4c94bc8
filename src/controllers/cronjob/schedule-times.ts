/**
 * The schedule arithmetic of the CronJob controller (upstream's `mostRecentScheduleTime`,
 * `nextScheduleTime` and `nextScheduleTimeDuration`), on millisecond timestamps.
 */
import type { CronSchedule } from './schedule.js';

/** How many activations were missed since the last one handled. */
export type MissedSchedules = 'none' | 'few' | 'many';

/** The most activations counted as missed before the controller warns (upstream's 100). */
export const MAX_MISSED_SCHEDULES = 100;

/** The padding added to requeues so a sync lands after the activation (upstream's 100 ms). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** The fields of a CronJob the arithmetic reads. */
export interface ScheduleState {
  /** metadata.creationTimestamp */
  creationTimestamp?: string;
  /** status.lastScheduleTime */
  lastScheduleTime?: string | null;
  /** spec.startingDeadlineSeconds */
  startingDeadlineSeconds?: number | null;
}

/** The answer of {@link mostRecentScheduleTime}. */
export interface MostRecentSchedule {
  /** The last schedule time, or the creation time, moved up to the starting deadline when asked. */
  earliest: number;
  /** The latest activation not after now, if any. */
  mostRecent?: number;
  missed: MissedSchedules;
  /** Set when two activations are less than a second apart (a schedule that never fires). */
  error?: string;
}

const timeMs = (t: string | null | undefined): number | undefined => {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
};

/** The point activations are counted from: last schedule time, else creation; optionally the deadline. */
function earliestTime(cj: ScheduleState, now: number, includeStartingDeadline: boolean): number {
  let earliest = timeMs(cj.lastScheduleTime) ?? timeMs(cj.creationTimestamp) ?? 0;
  const deadline = cj.startingDeadlineSeconds;
  if (includeStartingDeadline && typeof deadline === 'number') {
    const schedulingDeadline = now - deadline * 1000;
    if (schedulingDeadline > earliest) earliest = schedulingDeadline;
  }
  return earliest;
}

/**
 * The most recent activation at or before `now` since the earliest time, and whether (and how
 * many) activations were missed. The count of missed activations is estimated from the gap
 * between the first two activations, as upstream does, and only the last ones are walked.
 */
export function mostRecentScheduleTime(cj: ScheduleState, now: number, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecentSchedule {
  const earliest = earliestTime(cj, now, includeStartingDeadline);
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, missed: 'none' };
  if (t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (t1 === undefined || t2 === undefined || between < 1) {
    return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  }
  const elapsed = Math.trunc((now - t1) / 1000);
  const missedCount = Math.trunc(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  const missed: MissedSchedules = missedCount > MAX_MISSED_SCHEDULES ? 'many' : 'few';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** The activation to start now (none when nothing is due), honouring the starting deadline. */
export function nextScheduleTime(cj: ScheduleState, now: number, schedule: CronSchedule): { time?: number; missed: MissedSchedules; error?: string } {
  const r = mostRecentScheduleTime(cj, now, schedule, true);
  if (r.mostRecent === undefined || r.mostRecent > now) return { missed: r.missed, error: r.error };
  return { time: r.mostRecent, missed: r.missed, error: r.error };
}

/**
 * How long to wait before the next sync: until the activation after the most recent one (or
 * after now when activations were missed or the schedule is odd), plus {@link NEXT_SCHEDULE_DELTA_MS}.
 * May be negative for a schedule that never fires.
 */
export function nextScheduleDelay(cj: ScheduleState, now: number, schedule: CronSchedule): number {
  const r = mostRecentScheduleTime(cj, now, schedule, false);
  let from: number;
  if (r.error !== undefined) from = now;
  else if (r.mostRecent !== undefined) from = r.mostRecent;
  else from = r.missed === 'none' ? r.earliest : now;
  const next = schedule.next(from);
  return (next ?? Number.NEGATIVE_INFINITY) + NEXT_SCHEDULE_DELTA_MS - now;
}
