/**
 * Validation of CronJob schedules with the grammar and error texts of the parser upstream uses
 * (robfig/cron v3 `ParseStandard`): five fields or a descriptor (`@hourly`, `@every 1h30m`), an
 * optional `TZ=`/`CRON_TZ=` prefix. Written here rather than taken from npm because the API must
 * answer with that parser's exact messages (`expected exactly 5 fields, found 1: [bad]`), which no
 * JavaScript cron library reproduces.
 */

interface Bounds { min: number; max: number; names?: Record<string, number> }

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };
const SECONDS: Bounds = { min: 0, max: 59 };

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);

class ScheduleError extends Error {}

/** Go's `%q` of a string (JSON quoting is the same for the characters schedules hold). */
const quote = (s: string) => JSON.stringify(s);

/** Go's `strconv.Atoi`, throwing its error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new ScheduleError(`strconv.Atoi: parsing ${quote(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) && (BigInt(s) > 9223372036854775807n || BigInt(s) < -9223372036854775808n)) {
    throw new ScheduleError(`strconv.Atoi: parsing ${quote(s)}: value out of range`);
  }
  return n;
}

function parseUint(expr: string): number {
  let n: number;
  try {
    n = atoi(expr);
  } catch (err) {
    throw new ScheduleError(`failed to parse int from ${expr}: ${(err as Error).message}`);
  }
  if (n < 0) throw new ScheduleError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, r: Bounds): number {
  const named = r.names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseUint(expr);
}

function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], r);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r);
    else throw new ScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseUint(rangeAndStep[1]);
    if (lowAndHigh.length === 1) end = r.max;
  } else if (rangeAndStep.length > 2) {
    throw new ScheduleError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new ScheduleError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new ScheduleError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new ScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ScheduleError(`step of range should be a positive number: ${expr}`);
}

function checkField(field: string, r: Bounds): void {
  for (const expr of field.split(',').filter((x) => x !== '')) checkRange(expr, r);
}

/** Go's `time.ParseDuration` accepting grammar, throwing its error texts. */
function checkGoDuration(orig: string): void {
  let s = orig;
  const invalid = () => new ScheduleError(`time: invalid duration ${quote(orig)}`);
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return;
  if (s === '') throw invalid();
  while (s !== '') {
    const num = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    if (num[1] === '' && (num[3] ?? '') === '') throw invalid();
    s = s.slice(num[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') throw new ScheduleError(`time: missing unit in duration ${quote(orig)}`);
    if (!DURATION_UNITS.has(unit)) throw new ScheduleError(`time: unknown unit ${quote(unit)} in duration ${quote(orig)}`);
    s = s.slice(unit.length);
  }
}

/** Whether Go's `time.LoadLocation` knows a zone name (the IANA database as this runtime has it). */
export function isKnownTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The parser's error for a schedule, or undefined when the schedule is valid. */
export function cronScheduleError(schedule: string): string | undefined {
  try {
    let spec = schedule;
    if (spec.length === 0) throw new ScheduleError('empty spec string');
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const space = spec.indexOf(' ');
      const eq = spec.indexOf('=');
      const zone = space < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, space);
      if (!isKnownTimeZone(zone)) throw new ScheduleError(`provided bad location ${zone}: unknown time zone ${zone}`);
      spec = space < 0 ? '' : spec.slice(space).trim();
    }
    if (spec.startsWith('@')) {
      if (DESCRIPTORS.has(spec)) return undefined;
      if (spec.startsWith('@every ')) {
        try {
          checkGoDuration(spec.slice('@every '.length));
        } catch (err) {
          throw new ScheduleError(`failed to parse duration ${spec}: ${(err as Error).message}`);
        }
        return undefined;
      }
      throw new ScheduleError(`unrecognized descriptor: ${spec}`);
    }
    const fields = spec.split(/\s+/).filter((f) => f !== '');
    if (fields.length !== 5) throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    checkField('0', SECONDS);
    checkField(fields[0], MINUTES);
    checkField(fields[1], HOURS);
    checkField(fields[2], DOM);
    checkField(fields[3], MONTHS);
    checkField(fields[4], DOW);
    return undefined;
  } catch (err) {
    if (err instanceof ScheduleError) return err.message;
    throw err;
  }
}
