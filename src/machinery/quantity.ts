/** Resource quantities (`500m`, `1Gi`) as upstream parses and prints them. */

const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SI_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_EXPONENT: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const QUANTITY_SYNTAX = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/**
 * A quantity in upstream's canonical form (`resource.Quantity.String()`): `1.5Gi` → `1536Mi`,
 * `1000m` → `1`, `0.5` → `500m`, `1e3` → `1e3`; values finer than a nano unit round up. Null when
 * `text` is not a quantity.
 */
export function canonicalQuantity(text: string): string | null {
  const m = QUANTITY_SYNTAX.exec(text);
  if (!m) return null;
  const [, sign, num, suffix = ''] = m;
  const [intPart, fracPart = ''] = num.split('.');
  // The value in nano-units, as a BigInt (rounded up away from zero when finer).
  let digits = BigInt((intPart || '0') + fracPart);
  let scale = -fracPart.length; // value = digits * 10^scale (times the binary multiplier)
  let format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent' = 'DecimalSI';
  if (suffix in BIN_EXPONENT) {
    format = 'BinarySI';
    digits *= 1024n ** BigInt(BIN_EXPONENT[suffix]);
  } else if (/^[eE]/.test(suffix)) {
    format = 'DecimalExponent';
    scale += Number(suffix.slice(1));
  } else {
    scale += SI_EXPONENT[suffix];
  }
  let nano: bigint;
  if (scale + 9 >= 0) nano = digits * 10n ** BigInt(scale + 9);
  else {
    const div = 10n ** BigInt(-(scale + 9));
    nano = digits / div + (digits % div === 0n ? 0n : 1n);
  }
  if (nano === 0n) return '0';
  const neg = sign === '-' ? '-' : '';
  const NANO = 1_000_000_000n;
  if (format === 'BinarySI') {
    const whole = nano / NANO;
    if (nano % NANO === 0n && whole >= 1024n) {
      let k = 0;
      let v = whole;
      while (k < 6 && v % 1024n === 0n) { v /= 1024n; k++; }
      return `${neg}${v}${BINARY_SUFFIXES[k]}`;
    }
    format = 'DecimalSI';
  }
  let exp = -9;
  let mant = nano;
  while (exp < 18 && mant % 1000n === 0n) { mant /= 1000n; exp += 3; }
  if (format === 'DecimalExponent') return `${neg}${mant}${exp === 0 ? '' : `e${exp}`}`;
  return `${neg}${mant}${DECIMAL_SUFFIXES[exp]}`;
}
