/** Go time layouts the CronJob controller writes, for millisecond timestamps. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** metav1.Time's JSON form: RFC 3339 in UTC with whole seconds (`2024-05-01T10:00:00Z`). */
export function formatApiTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The wall clock of `ms` in `zone` and that zone's offset from UTC in minutes. */
function wallClock(ms: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number; offsetMin: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const w = { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return { ...w, offsetMin: Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000) };
}

/**
 * Go's `t.In(zone).Format(time.RFC3339)`: `2024-05-01T12:00:00+02:00`, with a `Z` suffix whenever
 * the offset is zero (`''` loads as UTC, as Go's `LoadLocation` does).
 */
export function formatRfc3339InZone(ms: number, zone: string): string {
  const tz = zone === '' ? 'UTC' : zone;
  const w = wallClock(ms, tz);
  const date = `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}`;
  if (w.offsetMin === 0) return `${date}Z`;
  const sign = w.offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(w.offsetMin);
  return `${date}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Go's `t.UTC().Format(time.RFC1123Z)`: `Wed, 01 May 2024 10:00:00 +0000`. */
export function formatRfc1123Z(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} `
    + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
