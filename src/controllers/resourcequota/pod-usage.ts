/**
 * What a pod charges against quota (pkg/quota/v1/evaluator/core/pods.go and the pod resource
 * helpers): its effective requests and limits, whether it is still charged, and its scopes.
 */
import type { KubeObject } from '../../client/index.js';
import { int } from './quantity.js';
import { addInto, addLists, maxInto, parseResourceList, type ResourceList } from './resource-list.js';

/** Resources the pod evaluator answers for, besides hugepages and extended `requests.*` ones. */
export const POD_RESOURCES = [
  'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods',
];

/** A resource name of the core set (no domain, or a `kubernetes.io/` one). */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** Quota names the pod evaluator matches in `names` (`podEvaluator.MatchingResources`). */
export function podMatchingResources(names: string[]): string[] {
  return names.filter((n) => POD_RESOURCES.includes(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-')
    || (!isNativeResource(n) && n.startsWith('requests.')));
}

const restartable = (c: any) => c?.restartPolicy === 'Always';

/**
 * Requests or limits of a pod (`PodRequests` / `PodLimits`): containers summed, restartable init
 * containers added, then raised to the largest init-container need, plus overhead.
 */
function podResources(pod: KubeObject, field: 'requests' | 'limits'): ResourceList {
  const total: ResourceList = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(total, parseResourceList(c?.resources?.[field]));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = parseResourceList(c?.resources?.[field]);
    let need: ResourceList;
    if (restartable(c)) {
      addInto(total, own);
      addInto(sidecars, own);
      need = sidecars;
    } else {
      need = addLists(own, sidecars);
    }
    maxInto(initMax, need);
  }
  maxInto(total, initMax);
  const overhead = parseResourceList(pod.spec?.overhead);
  if (field === 'requests') addInto(total, overhead);
  else for (const [k, q] of overhead) if (total.has(k)) addInto(total, new Map([[k, q]]));
  return total;
}

/** The pod's effective requests (`resourcehelper.PodRequests`). */
export function podRequests(pod: KubeObject): ResourceList {
  return podResources(pod, 'requests');
}

/** The pod's effective limits (`resourcehelper.PodLimits`). */
export function podLimits(pod: KubeObject): ResourceList {
  return podResources(pod, 'limits');
}

/** Whether a resource name is an extended resource (`IsExtendedResourceName`). */
function isExtendedResource(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith('requests.');
}

/** Compute usage from requests and limits (`podComputeUsageHelper`). */
export function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([['pods', int(1)]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  for (const [name, q] of requests) {
    if (name.startsWith('hugepages-')) {
      out.set(name, q);
      out.set(`requests.${name}`, q);
    }
    if (isExtendedResource(name)) out.set(`requests.${name}`, q);
  }
  return out;
}

/**
 * Whether the pod's compute resources are still charged (`QuotaV1Pod`): not once it is
 * terminal, nor once its deletion grace period has run out.
 */
export function podCharged(pod: KubeObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const deletion = pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : NaN;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (!Number.isNaN(deletion) && typeof grace === 'number' && now > deletion + grace * 1000) return false;
  return true;
}

/** What one pod charges (`PodUsageFunc`): always `count/pods`, compute resources while charged. */
export function podUsage(pod: KubeObject, now: number): ResourceList {
  const out: ResourceList = new Map([['count/pods', int(1)]]);
  if (!podCharged(pod, now)) return out;
  return addLists(out, computeUsage(podRequests(pod), podLimits(pod)));
}

/** The pod's QoS class is BestEffort: no cpu or memory request or limit anywhere (`GetPodQOS`). */
export function isBestEffort(pod: KubeObject): boolean {
  if (pod.status?.qosClass) return pod.status.qosClass === 'BestEffort';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return containers.every((c: any) => ['requests', 'limits'].every((f) => {
    const list = parseResourceList(c?.resources?.[f]);
    return ['cpu', 'memory'].every((r) => (list.get(r)?.nano ?? 0n) === 0n);
  }));
}

/** A scope requirement of a quota (`ScopedResourceSelectorRequirement`). */
export interface ScopeRequirement {
  scopeName: string;
  operator?: string;
  values?: string[];
}

function crossNamespaceAffinity(pod: KubeObject): boolean {
  const terms = (a: any): any[] => [
    ...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: any) => w?.podAffinityTerm),
  ];
  const all = [...terms(pod.spec?.affinity?.podAffinity), ...terms(pod.spec?.affinity?.podAntiAffinity)];
  return all.some((t) => (t?.namespaces ?? []).length > 0 || (t?.namespaceSelector !== undefined && t?.namespaceSelector !== null));
}

/** Whether a pod falls in a quota scope (`podMatchesScopeFunc`). */
export function podMatchesScope(scope: ScopeRequirement, pod: KubeObject): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  const terminating = typeof deadline === 'number' && deadline >= 0;
  switch (scope.scopeName) {
    case 'Terminating': return terminating;
    case 'NotTerminating': return !terminating;
    case 'BestEffort': return isBestEffort(pod);
    case 'NotBestEffort': return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity': return crossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const pc: string = pod.spec?.priorityClassName ?? '';
      const values = scope.values ?? [];
      switch (scope.operator ?? 'Exists') {
        case 'Exists': return pc !== '';
        case 'DoesNotExist': return pc === '';
        case 'In': return pc !== '' && values.includes(pc);
        case 'NotIn': return pc === '' || !values.includes(pc);
        default: return false;
      }
    }
    default: return false;
  }
}
