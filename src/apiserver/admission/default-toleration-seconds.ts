/**
 * What upstream's DefaultTolerationSeconds admission plugin does to a pod: unless the pod already
 * tolerates them, it gets tolerations of the `not-ready` and `unreachable` node taints (NoExecute)
 * for 300 seconds, so a pod is evicted five minutes after its node goes away.
 */
import type { ApiObject } from '../registry/resource.js';
import type { AdmissionPlugin } from './chain.js';

/** The taint a node carries while it is not ready. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
/** The taint a node carries while the control plane cannot reach it. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** How long a pod tolerates each of those taints by default, in seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Whether one toleration covers the NoExecute taint `key` (an empty key or effect matches any). */
function covers(t: unknown, key: string): boolean {
  if (typeof t !== 'object' || t === null) return false;
  const tol = t as ApiObject;
  return (!tol.key || tol.key === key) && (!tol.effect || tol.effect === 'NoExecute');
}

/**
 * Adds the default not-ready and unreachable tolerations to `pod.spec.tolerations` in place, each
 * only when no existing toleration covers that taint. Idempotent: a pod that has them is unchanged.
 */
export function addDefaultTolerations(pod: ApiObject): void {
  if (typeof pod.spec !== 'object' || pod.spec === null) return;
  const tolerations: unknown[] = Array.isArray(pod.spec.tolerations) ? pod.spec.tolerations : [];
  const added: ApiObject[] = [];
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    if (!tolerations.some((t) => covers(t, key))) {
      added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  if (added.length > 0) pod.spec.tolerations = [...tolerations, ...added];
}

/**
 * The plugin form of {@link addDefaultTolerations}: mutates pods (not their subresources) on create
 * and update, as upstream's plugin does.
 */
export const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  mutate(a) {
    if (a.def.group !== '' || a.def.plural !== 'pods' || a.subresource !== '' || a.op === 'delete') return;
    addDefaultTolerations(a.obj);
  },
};
