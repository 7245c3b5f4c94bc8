import { ApiError, invalid } from '../../machinery/status.js';
import { formatLabelSelector } from '../../machinery/selectors.js';
import type { ApiObject, ResourceDefinition } from './resource.js';

/** The apiVersion of the Scale objects the `scale` subresource speaks. */
export const SCALE_API_VERSION = 'autoscaling/v1';

function getPath(obj: ApiObject, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setPath(obj: ApiObject, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/**
 * The Scale (autoscaling/v1) view of an object: its identity, desired replicas and, in status, the
 * observed replicas and the selector in its string form.
 */
export function toScale(def: ResourceDefinition, obj: ApiObject): ApiObject {
  const s = def.scale!;
  const m = obj.metadata;
  const spec: ApiObject = {};
  const desired = Number(getPath(obj, s.specReplicasPath) ?? 0);
  if (desired !== 0) spec.replicas = desired;
  const status: ApiObject = { replicas: Number(getPath(obj, s.statusReplicasPath) ?? 0) };
  if (s.labelSelectorPath) {
    const sel = getPath(obj, s.labelSelectorPath);
    const text = sel && typeof sel === 'object' ? selectorString(sel as ApiObject) : '';
    if (text) status.selector = text;
  }
  return {
    kind: 'Scale', apiVersion: SCALE_API_VERSION,
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec, status,
  };
}

/** A selector as text: a LabelSelector (`matchLabels`/`matchExpressions`) or a plain map (ReplicationControllers). */
function selectorString(sel: ApiObject): string {
  if ('matchLabels' in sel || 'matchExpressions' in sel) return formatLabelSelector(sel);
  return Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');
}

/**
 * Writes the desired replicas of a Scale into `obj` (in place), after checking the Scale as upstream
 * does: 422 for a negative count, 409 for a resourceVersion that is not the object's.
 */
export function applyScale(def: ResourceDefinition, obj: ApiObject, scale: ApiObject): void {
  if (!scale || typeof scale !== 'object' || Array.isArray(scale)) throw new ApiError(400, 'BadRequest', 'the body of the request must be a Scale object');
  const replicas = scale.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw invalid('Scale', 'autoscaling', obj.metadata.name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', detail: `Invalid value: ${JSON.stringify(replicas)}: must be an integer` }]);
  }
  if (replicas < 0) {
    throw invalid('Scale', 'autoscaling', obj.metadata.name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', detail: `Invalid value: ${replicas}: must be greater than or equal to 0` }]);
  }
  const rv = scale.metadata?.resourceVersion;
  if (rv) obj.metadata.resourceVersion = rv; // a precondition the registry checks
  setPath(obj, def.scale!.specReplicasPath, replicas);
}
