/**
 * Cell formats shared by the Table forms of built-in resources, as upstream's printers render them
 * (`kubectl get` shows these strings verbatim): label maps and selectors, container names and
 * images for `-o wide`, canonical quantities, access modes, `<none>` placeholders.
 */
import { formatLabelSelector as selectorText } from '../../machinery/selectors.js';
import type { ApiObject, TableColumn } from './resource.js';
import { canonicalQuantity } from '../../machinery/quantity.js';

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

/**
 * A quantity as upstream prints it (canonical form, see {@link canonicalQuantity}); strings that
 * are not quantities are returned unchanged, absent values render as `0`.
 */
export function formatQuantity(q: unknown): string {
  if (q === undefined || q === null) return '0';
  const text = String(q);
  return canonicalQuantity(text) ?? text;
}

/** The Age column most Tables end with (rendered by `ageOf(metadata.creationTimestamp)`). */
export const AGE_COLUMN: TableColumn = { name: 'Age', type: 'string', description: 'Time since the object was created (metadata.creationTimestamp).' };

/** The Containers and Images columns of `-o wide` (priority 1), as controllers' Tables show them. */
export const CONTAINER_COLUMNS: TableColumn[] = [
  { name: 'Containers', type: 'string', priority: 1, description: 'The names of the containers of the pod template.' },
  { name: 'Images', type: 'string', priority: 1, description: 'The images of the containers of the pod template.' },
];
