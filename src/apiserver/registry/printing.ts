/**
 * Cell formats shared by the Table forms of built-in resources, as upstream's printers render them
 * (`kubectl get` shows these strings verbatim): label maps and selectors, container names and
 * images for `-o wide`, canonical quantities, access modes, `<none>` placeholders.
 */
import { formatLabelSelector as selectorText } from '../../machinery/selectors.js';
import type { ApiObject, TableColumn } from './resource.js';

/** `value`, or `<none>` when it is empty or absent. */
export function noneIfEmpty(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : '<none>';
}

/** A label map as `a=b,c=d` (keys sorted), `<none>` when empty — upstream's `labels.FormatLabels`. */
export function formatLabels(labels: unknown): string {
  if (typeof labels !== 'object' || labels === null) return '<none>';
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${String((labels as Record<string, unknown>)[k])}`).join(',');
}

const SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * A `metav1.LabelSelector` cell (`matchLabels` and `matchExpressions`) as upstream's
 * `FormatLabelSelector` renders it: requirements ordered by key (`app=web,tier in (a,b),!legacy`),
 * `<none>` when it selects everything or is absent, `<error>` for an unknown operator.
 */
export function formatLabelSelector(selector: unknown): string {
  if (typeof selector !== 'object' || selector === null) return '<none>';
  const sel = selector as ApiObject;
  const exprs: unknown[] = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  if (exprs.some((e) => !SELECTOR_OPERATORS.has((e as ApiObject | null)?.operator))) return '<error>';
  return selectorText(sel) || '<none>';
}

/** The Containers and Images cells of `-o wide`: names and images joined by commas, in spec order. */
export function containerCells(containers: unknown): [string, string] {
  const list = Array.isArray(containers) ? containers : [];
  return [list.map((c) => String(c?.name ?? '')).join(','), list.map((c) => String(c?.image ?? '')).join(',')];
}

/** The Containers and Images cells of a pod template (`{metadata, spec}`), or empty cells when absent. */
export function templateContainerCells(template: unknown): [string, string] {
  const tpl = (typeof template === 'object' && template !== null ? template : {}) as ApiObject;
  return containerCells(tpl.spec?.containers);
}

/** PersistentVolume access modes as upstream abbreviates them: `RWO,ROX,RWX,RWOP`, in that order. */
export function accessModesAsString(modes: unknown): string {
  const set = new Set(Array.isArray(modes) ? modes : []);
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

// ---------------------------------------------------------------------------------------------
// Quantities in canonical form (`resource.Quantity.String()`).

const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SI_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_EXPONENT: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const QUANTITY_SYNTAX = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/**
 * A quantity in upstream's canonical form: `1.5Gi` → `1536Mi`, `1000m` → `1`, `0.5` → `500m`,
 * `1e3` → `1e3`; values finer than a nano unit round up. Strings that are not quantities are
 * returned unchanged; absent values render as `0`, as upstream's zero Quantity does.
 */
export function formatQuantity(q: unknown): string {
  if (q === undefined || q === null) return '0';
  const text = typeof q === 'number' ? String(q) : String(q);
  const m = QUANTITY_SYNTAX.exec(text);
  if (!m) return text;
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

/** The Age column most Tables end with (rendered by `ageOf(metadata.creationTimestamp)`). */
export const AGE_COLUMN: TableColumn = { name: 'Age', type: 'string', description: 'Time since the object was created (metadata.creationTimestamp).' };

/** The Containers and Images columns of `-o wide` (priority 1), as controllers' Tables show them. */
export const CONTAINER_COLUMNS: TableColumn[] = [
  { name: 'Containers', type: 'string', priority: 1, description: 'The names of the containers of the pod template.' },
  { name: 'Images', type: 'string', priority: 1, description: 'The images of the containers of the pod template.' },
];
