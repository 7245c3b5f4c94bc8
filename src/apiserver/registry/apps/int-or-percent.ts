/**
 * Int-or-percent fields (`maxUnavailable: 25%`, `minAvailable: 2`) as upstream's apps validation
 * checks them; the bad value is printed as the `intstr.IntOrString` struct upstream reports.
 */
import type { FieldError } from '../../../machinery/status.js';
import { goIntOrString, invalidRendered } from '../go-format.js';

/** Upstream's message for a string that is not a percentage. */
export const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

const PERCENT = /^[0-9]+%$/;

/** The percentage of a `N%` string, or undefined for anything else. */
function percentOf(v: unknown): number | undefined {
  return typeof v === 'string' && PERCENT.test(v) ? Number(v.slice(0, -1)) : undefined;
}

/** The number an int-or-percent stands for: the percentage, the integer, or 0 (a string that is neither). */
export function intOrPercentValue(v: unknown): number {
  const p = percentOf(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  const n = typeof v === 'string' && /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
  return Number.isFinite(n) ? n : 0;
}

/** A non-negative integer or a valid percentage (upstream's `ValidatePositiveIntOrPercent`). */
export function validatePositiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') return PERCENT.test(v) ? [] : [invalidRendered(field, goIntOrString(v), PERCENT_MSG)];
  if (typeof v === 'number') return v < 0 ? [invalidRendered(field, String(v), 'must be greater than or equal to 0')] : [];
  return [invalidRendered(field, goIntOrString(v), "must be an integer or percentage (e.g '5%%')")];
}

/** A percentage above 100% is refused; integers are not limited here. */
export function isNotMoreThan100Percent(v: unknown, field: string): FieldError[] {
  const p = percentOf(v);
  return p !== undefined && p > 100 ? [invalidRendered(field, goIntOrString(v), 'must not be greater than 100%')] : [];
}
