/**
 * Quota evaluators (pkg/quota/v1/evaluator/core and the generic object counter): which quota
 * resources each answers for, and what one object of its kind uses.
 */
import {
  CONFIGMAPS, PERSISTENTVOLUMECLAIMS, PODS, REPLICATIONCONTROLLERS, RESOURCEQUOTAS, SECRETS, SERVICES,
  type KubeObject, type ResourceType,
} from '../../client/index.js';
import { parseQuantity, int, zero, cmp, roundUpToUnits, type Quantity } from './quantity.js';
import type { ResourceList } from './resource-list.js';
import { podCharged, podMatchesScope, podMatchingResources, podUsage, type ScopeRequirement } from './pod-usage.js';

/** Knows the usage of one kind of object. */
export interface Evaluator {
  /** `pods`, `services`, `deployments.apps`: how quota names the resource. */
  readonly groupResource: string;
  readonly type: ResourceType;
  /** The names in `names` this evaluator computes. */
  matchingResources(names: string[]): string[];
  /** What `obj` uses. */
  usage(obj: KubeObject, now: number): ResourceList;
  /** Whether `obj` falls in a scope (objects of kinds without scopes never do). */
  matchesScope(scope: ScopeRequirement, obj: KubeObject): boolean;
  /** Whether an update of `obj` may change usage (the controller's update filter). */
  updateMatters(oldObj: KubeObject, newObj: KubeObject, now: number): boolean;
}

/** The quota name of a resource, `group` included when there is one. */
export function groupResourceOf(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** `count/<resource>[.<group>]`, the object-count quota name (`ObjectCountQuotaResourceNameFor`). */
export function objectCountName(type: ResourceType): string {
  return `count/${groupResourceOf(type)}`;
}

const never = () => false;

/** Counts objects under `count/<resource>` and, for legacy kinds, an alias such as `secrets`. */
export function objectCountEvaluator(type: ResourceType, alias?: string): Evaluator {
  const names = alias ? [objectCountName(type), alias] : [objectCountName(type)];
  return {
    groupResource: groupResourceOf(type), type,
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    usage: () => new Map(names.map((n) => [n, int(1)])),
    matchesScope: never,
    updateMatters: never,
  };
}

const SERVICE_RESOURCES = ['count/services', 'services', 'services.nodeports', 'services.loadbalancers'];
const quotaServiceType = (svc: KubeObject) => (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer' ? svc.spec.type : '');

/** Services: count, node ports and load balancers (`serviceEvaluator`). */
export const serviceEvaluator: Evaluator = {
  groupResource: 'services', type: SERVICES,
  matchingResources: (input) => input.filter((n) => SERVICE_RESOURCES.includes(n)),
  usage(svc) {
    const ports: any[] = svc.spec?.ports ?? [];
    const out: ResourceList = new Map([
      ['count/services', int(1)], ['services', int(1)], ['services.loadbalancers', zero()], ['services.nodeports', zero()],
    ]);
    if (svc.spec?.type === 'NodePort') out.set('services.nodeports', int(ports.length));
    if (svc.spec?.type === 'LoadBalancer') {
      const explicitOnly = svc.spec?.allocateLoadBalancerNodePorts === false;
      out.set('services.nodeports', int(explicitOnly ? ports.filter((p) => p?.nodePort).length : ports.length));
      out.set('services.loadbalancers', int(1));
    }
    return out;
  },
  matchesScope: never,
  updateMatters: (o, n) => quotaServiceType(o) !== quotaServiceType(n),
};

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const PVC_RESOURCES = ['persistentvolumeclaims', 'requests.storage'];

function pvcClass(pvc: KubeObject): string {
  const beta = pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (beta !== undefined) return beta;
  return pvc.spec?.storageClassName ?? '';
}

/** Storage a claim charges: its request, or the larger allocated size, rounded up to bytes. */
function pvcStorage(pvc: KubeObject): Quantity | undefined {
  const req = pvc.spec?.resources?.requests?.storage;
  let result = req !== undefined ? parseQuantity(req) ?? undefined : undefined;
  if (result) result = roundUpToUnits(result);
  const alloc = pvc.status?.allocatedResources?.storage;
  const allocated = alloc !== undefined ? parseQuantity(alloc) : null;
  if (result && allocated && cmp(allocated, result) > 0) result = roundUpToUnits(allocated);
  return result;
}

/** PersistentVolumeClaims: count and storage, also per storage class (`pvcEvaluator`). */
export const pvcEvaluator: Evaluator = {
  groupResource: 'persistentvolumeclaims', type: PERSISTENTVOLUMECLAIMS,
  matchingResources: (input) => input.filter((n) => n === 'count/persistentvolumeclaims' || PVC_RESOURCES.includes(n)
    || PVC_RESOURCES.some((r) => n.endsWith(STORAGE_CLASS_SUFFIX + r))),
  usage(pvc) {
    const out: ResourceList = new Map([['persistentvolumeclaims', int(1)], ['count/persistentvolumeclaims', int(1)]]);
    const cls = pvcClass(pvc);
    if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, int(1));
    const storage = pvcStorage(pvc);
    if (storage) {
      out.set('requests.storage', storage);
      if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
    }
    return out;
  },
  matchesScope: never,
  // Upstream compares two freshly allocated pointers here, so every claim update counts.
  updateMatters: () => true,
};

/** Pods: compute resources and counts (`podEvaluator`). */
export const podEvaluator: Evaluator = {
  groupResource: 'pods', type: PODS,
  matchingResources: podMatchingResources,
  usage: podUsage,
  matchesScope: podMatchesScope,
  updateMatters: (o, n, now) => podCharged(o, now) && !podCharged(n, now),
};

/** The evaluators that exist from the start (`core.NewEvaluators`). */
export function coreEvaluators(): Evaluator[] {
  return [
    podEvaluator, serviceEvaluator, pvcEvaluator,
    objectCountEvaluator(CONFIGMAPS, 'configmaps'),
    objectCountEvaluator(RESOURCEQUOTAS, 'resourcequotas'),
    objectCountEvaluator(REPLICATIONCONTROLLERS, 'replicationcontrollers'),
    objectCountEvaluator(SECRETS, 'secrets'),
  ];
}
