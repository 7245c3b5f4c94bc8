/**
 * Resource quantities as values with a format, added and compared as upstream's
 * `resource.Quantity` does, and printed in its canonical form.
 */

/** How a quantity prints: `1Ki` style, `1k` style, or `1e3` style. */
export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** A quantity: its value in nano-units (rounded up past that precision) and its format. */
export interface Quantity {
  nano: bigint;
  format: QuantityFormat;
}

const SYNTAX = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;
const SI: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const NANO = 1_000_000_000n;

/** A zero quantity of `format` (Go's `resource.Quantity{Format: f}`). */
export function zero(format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nano: 0n, format };
}

/** A whole number as a DecimalSI quantity (`resource.NewQuantity(n, DecimalSI)`). */
export function int(n: number): Quantity {
  return { nano: BigInt(n) * NANO, format: 'DecimalSI' };
}

/** Parses `500m`, `1.5Gi`, `1e3`, or a JSON number; null when it is not a quantity. */
export function parseQuantity(input: string | number): Quantity | null {
  const m = SYNTAX.exec(String(input));
  if (!m) return null;
  const [, sign, num, suffix = ''] = m;
  const [whole, frac = ''] = num.split('.');
  let digits = BigInt((whole || '0') + frac);
  let scale = -frac.length;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BIN) {
    format = 'BinarySI';
    digits *= 1024n ** BigInt(BIN[suffix]);
  } else if (/^[eE]/.test(suffix)) {
    format = 'DecimalExponent';
    scale += Number(suffix.slice(1));
  } else {
    scale += SI[suffix];
  }
  let nano: bigint;
  if (scale + 9 >= 0) nano = digits * 10n ** BigInt(scale + 9);
  else {
    const div = 10n ** BigInt(-(scale + 9));
    nano = digits / div + (digits % div === 0n ? 0n : 1n);
  }
  return { nano: sign === '-' ? -nano : nano, format };
}

/** `a + b` keeping `a`'s format, or `b`'s when `a` is zero (`Quantity.Add`). */
export function add(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function cmp(a: Quantity, b: Quantity): number {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** Rounds up to whole units (`RoundUp(0)`), keeping the format. */
export function roundUpToUnits(q: Quantity): Quantity {
  const r = q.nano % NANO;
  if (r === 0n) return q;
  return { nano: q.nano - r + (q.nano > 0n ? NANO : 0n), format: q.format };
}

/** The canonical text of a quantity (`Quantity.String()`): `1536Mi`, `500m`, `2k`, `1e3`, `0`. */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const neg = q.nano < 0n ? '-' : '';
  const abs = q.nano < 0n ? -q.nano : q.nano;
  if (q.format === 'BinarySI' && abs % NANO === 0n && abs / NANO >= 1024n) {
    let v = abs / NANO;
    let k = 0;
    while (k < 6 && v % 1024n === 0n) { v /= 1024n; k++; }
    return `${neg}${v}${BINARY_SUFFIX[k]}`;
  }
  let exp = -9;
  let mant = abs;
  while (exp < 18 && mant % 1000n === 0n) { mant /= 1000n; exp += 3; }
  if (q.format === 'DecimalExponent') return `${neg}${mant}${exp === 0 ? '' : `e${exp}`}`;
  return `${neg}${mant}${DECIMAL_SUFFIX[exp]}`;
}
