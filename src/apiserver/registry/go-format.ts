/**
 * Renderings of values in the form Go's `%#v` prints them, for the field errors whose bad value
 * upstream reports as a Go struct or map (`map[string]string{"app":"x"}`,
 * `v1.LabelSelector{MatchLabels:…}`). JSON `null`/absent stands for Go's nil, `{}`/`[]` for an
 * empty but non-nil map or slice.
 */
import type { FieldError } from '../../machinery/status.js';
import type { ApiObject } from './resource.js';
import { goQuote as quote } from '../../api/apply/go-format.js';

/** A value's text as Go's `%q` quotes it (absent values as `""`). */
export function goQuote(s: unknown): string {
  return quote(String(s ?? ''));
}

/** `map[string]string{"a":"b", "c":"d"}` (keys sorted), `map[string]string(nil)` when absent. */
export function goStringMap(m: unknown): string {
  if (m === undefined || m === null || typeof m !== 'object') return 'map[string]string(nil)';
  const entries = Object.keys(m).sort().map((k) => `${goQuote(k)}:${goQuote((m as Record<string, unknown>)[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** `[]string{"a", "b"}`, `[]string(nil)` when absent. */
export function goStringSlice(a: unknown): string {
  if (!Array.isArray(a)) return '[]string(nil)';
  return `[]string{${a.map(goQuote).join(', ')}}`;
}

/** A `metav1.LabelSelector` value as `%#v` prints it. */
export function goLabelSelector(sel: ApiObject): string {
  const exprs = Array.isArray(sel.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions.map((e: ApiObject) =>
      `v1.LabelSelectorRequirement{Key:${goQuote(e?.key)}, Operator:${goQuote(e?.operator)}, Values:${goStringSlice(e?.values)}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** An int-or-string value (`intstr.IntOrString`) as `%#v` prints it. */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'number') return `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`;
  return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
}

/**
 * `<field>: Invalid value: <rendered>: <why>` where the value is already rendered (a Go struct or
 * map); a pointer that is nil renders as `"null"`, as upstream's field errors print it.
 */
export function invalidRendered(field: string, rendered: string, why: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: why ? `Invalid value: ${rendered}: ${why}` : `Invalid value: ${rendered}` };
}

/** `<field>: Unsupported value: <rendered>: supported values: "a", "b"` with a pre-rendered value. */
export function notSupportedRendered(field: string, rendered: string, supported: readonly string[]): FieldError {
  return { type: 'FieldValueNotSupported', field, detail: `Unsupported value: ${rendered}: supported values: ${supported.map(goQuote).join(', ')}` };
}
