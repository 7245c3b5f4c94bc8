/**
 * Text forms that upstream's Go code produces and that leak into API answers of server-side apply:
 * Go's `%q` quoting, Go's `%v` of decoded JSON values, `encoding/json`'s string escaping and
 * sorted-key encoding, and Go's notion of a printable character. Pure functions, no state.
 */

/** A decoded JSON value, as the apply machinery handles it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's `unicode.IsPrint` for one code point: letters, marks, numbers, punctuation, symbols, and ASCII space. */
export function isGoPrintable(codePoint: number): boolean {
  if (codePoint === 0x20) return true;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return true; // a lone surrogate reaches Go as U+FFFD, a symbol
  return PRINTABLE.test(String.fromCodePoint(codePoint));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Go's `strconv.Quote` / `%q`: a double-quoted string with Go escapes for what is not printable. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (c) {
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += '\\\\'; continue;
      case 0x07: out += '\\a'; continue;
      case 0x08: out += '\\b'; continue;
      case 0x0c: out += '\\f'; continue;
      case 0x0a: out += '\\n'; continue;
      case 0x0d: out += '\\r'; continue;
      case 0x09: out += '\\t'; continue;
      case 0x0b: out += '\\v'; continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else if (isGoPrintable(c)) out += ch;
    else if (c < 0x20 || c === 0x7f) out += `\\x${hex(c, 2)}`;
    else if (c < 0x10000) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return out + '"';
}

/**
 * A JSON string literal as Go writes it with HTML escaping on (`encoding/json`, and json-iterator
 * in its standard-library mode): `<`, `>`, `&`, U+2028 and U+2029 become `\uXXXX`. `shortControl`
 * selects Go 1.22+ `encoding/json`, which writes `\b` and `\f` instead of `\u0008`, `\u000c`.
 */
export function goJsonString(s: string, shortControl = false): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (shortControl && c === 0x08) out += '\\b';
    else if (shortControl && c === 0x0c) out += '\\f';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) out += `\\u${hex(c, 4)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** Byte-wise (UTF-8, i.e. code point) order of two strings, as Go compares them: -1, 0 or 1. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP code point in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Keys of an object in Go's map-marshalling order. */
export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(compareGoStrings);
}

/**
 * Compact JSON as Go's `encoding/json` marshals a decoded value (`map[string]interface{}`): object
 * keys sorted, HTML characters escaped.
 */
export function goJson(v: Json | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v, true);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => goJson(x)).join(',')}]`;
  return `{${sortedKeys(v).map((k) => `${goJsonString(k, true)}:${goJson(v[k])}`).join(',')}}`;
}

/** Go's `%v` of a float64: the shortest digits, in exponent form below 1e-4 and from 1e6 on (`1e+06`). */
export function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Go's `%v` of a decoded JSON value (`map[a:b]`, `[x y]`, `<nil>`). */
export function goPlain(v: Json | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPlain).join(' ')}]`;
  return `map[${sortedKeys(v).map((k) => `${k}:${goPlain(v[k])}`).join(' ')}]`;
}

/** Go's `%#v` of a decoded JSON value (`"x"`, `map[string]interface {}{"a":1}`). */
export function goSharp(v: Json | undefined): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharp).join(', ')}}`;
  return `map[string]interface {}{${sortedKeys(v).map((k) => `${goQuote(k)}:${goSharp(v[k])}`).join(', ')}}`;
}

/** Go's `%T` of a decoded JSON value. */
export function goTypeName(v: Json | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** True for a JSON object (not null, not a list). */
export function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets an own property, even one named `__proto__`. */
export function setOwn(o: { [key: string]: Json }, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Whether `o` has its own property `key`. */
export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}
