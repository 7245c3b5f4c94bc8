/** Timestamps as the API writes them: RFC 3339 in UTC with whole seconds. */

/** Formats epoch milliseconds as an API timestamp (`2024-05-01T10:00:00Z`), dropping sub-second digits. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Epoch milliseconds of an API timestamp; undefined for a missing or unparsable (zero) time. */
export function parseTime(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
