/**
 * CronJob schedules as the controller evaluates them: the grammar of robfig/cron's
 * `ParseStandard` (five fields, `@hourly`-style descriptors, `@every <duration>`, an optional
 * `TZ=`/`CRON_TZ=` prefix), with next-time search done by the `cron-parser` package.
 */
import { CronExpressionParser } from 'cron-parser';
import { cronScheduleError, isKnownTimeZone } from '../../apiserver/registry/batch/cron-schedule.js';


/** A parsed schedule. */
export interface CronSchedule {
  /**
   * The first activation strictly after `afterMs` (whole seconds, as robfig rounds up), or
   * `undefined` when the schedule never fires (robfig answers the zero time, e.g. `0 0 30 2 *`).
   */
  next(afterMs: number): number | undefined;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/** The time zone this process runs in (robfig uses the controller's local zone when none is named). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Go's `time.ParseDuration` for a grammar already validated, in milliseconds. */
export function parseGoDurationMs(text: string): number {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  let total = 0;
  while (s !== '') {
    const num = /^[0-9]*(\.[0-9]*)?/.exec(s)![0];
    s = s.slice(num.length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    s = s.slice(unit.length);
    const factor = DURATION_UNIT_MS[unit];
    if (factor === undefined || num === '' || num === '.') throw new Error(`time: invalid duration "${text}"`);
    total += Number(num) * factor;
  }
  return sign * total;
}

/** robfig's `ConstantDelaySchedule`: at least one second, whole seconds, counted from the truncated second. */
function everySchedule(durationText: string): CronSchedule {
  let delay = parseGoDurationMs(durationText);
  if (delay < 1000) delay = 1000;
  delay -= delay % 1000;
  return { next: (after) => Math.floor(after / 1000) * 1000 + delay };
}

/**
 * robfig keeps a day-of-month or day-of-week field "unrestricted" (its star bit) for `*`, `?`
 * and `*`/`?` with step 1, and then requires both day fields to match; cron-parser treats `* /1`
 * as restricted. The step-1 spellings are written as `*` so both agree.
 */
function normalizeDayField(field: string): string {
  return field.split(',').filter((p) => p !== '').map((p) => (/^[*?]\/0*1$/.test(p) ? '*' : p)).join(',');
}

function fieldSchedule(fields: string[], zone: string): CronSchedule {
  const [minute, hour, dom, month, dow] = fields.map((f) => f.split(',').filter((p) => p !== '').join(','));
  const expression = [minute, hour, normalizeDayField(dom), month, normalizeDayField(dow)].join(' ');
  let parsed: ReturnType<typeof CronExpressionParser.parse>;
  try {
    parsed = CronExpressionParser.parse(expression, { tz: zone, currentDate: new Date(0) });
  } catch {
    // robfig accepts day/month combinations that never occur and finds no activation.
    return { next: () => undefined };
  }
  return {
    next(after) {
      parsed.reset(new Date(after));
      try {
        return parsed.next().getTime();
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * robfig's `ParseStandard`: throws an Error carrying robfig's message for an invalid schedule.
 * Without a `TZ=` prefix the schedule is read in `defaultZone` (the process' zone by default).
 */
export function parseStandard(spec: string, defaultZone: string = localTimeZone()): CronSchedule {
  const error = cronScheduleError(spec);
  if (error !== undefined) throw new Error(error);
  let rest = spec;
  let zone = defaultZone;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    const named = rest.slice(rest.indexOf('=') + 1, space < 0 ? undefined : space);
    zone = named === '' || named === 'UTC' ? 'UTC' : named === 'Local' ? localTimeZone() : named;
    rest = space < 0 ? '' : rest.slice(space).trim();
  }
  if (rest.startsWith('@every ')) return everySchedule(rest.slice('@every '.length).trim());
  const fields = (DESCRIPTORS[rest] ?? rest).split(/\s+/).filter((f) => f !== '');
  return fieldSchedule(fields, zone);
}

/** Go's `time.LoadLocation` error for a zone name, or undefined when it loads. */
export function loadLocationError(zone: string): string | undefined {
  return isKnownTimeZone(zone) ? undefined : `unknown time zone ${zone}`;
}

/** What upstream's `formatSchedule` makes of a CronJob's schedule and time zone. */
export interface FormattedSchedule {
  schedule: string;
  /** The schedule itself names a zone (`TZ=`/`CRON_TZ=`), which upstream warns about. */
  usesTzPrefix: boolean;
}

/**
 * The schedule string handed to the parser: as written when it mentions `TZ` (flagged, since
 * that is not officially supported), prefixed with `TZ=<spec.timeZone>` when a loadable zone
 * is set, else as written.
 */
export function formatSchedule(spec: { schedule?: string; timeZone?: string | null }): FormattedSchedule {
  const schedule = spec.schedule ?? '';
  if (schedule.includes('TZ')) return { schedule, usesTzPrefix: true };
  const tz = spec.timeZone;
  if (tz !== undefined && tz !== null) {
    if (loadLocationError(tz) !== undefined) return { schedule, usesTzPrefix: false };
    return { schedule: `TZ=${tz} ${schedule}`, usesTzPrefix: false };
  }
  return { schedule, usesTzPrefix: false };
}
