/** Which services' endpoints a pod event concerns (`GetPodServiceMemberships` and friends). */
import type { Store } from '../../../client/index.js';
import { podEndpointsChanged, selectorMatches, serviceSelector, type Obj } from './pods.js';

/** Keys (`ns/name`) of the services in the pod's namespace whose selector matches `labels`. */
export function servicesMatching(services: Store<Obj>, namespace: string, labels: Record<string, string> | undefined): Set<string> {
  const out = new Set<string>();
  for (const svc of services.byIndex('namespace', namespace)) {
    const sel = serviceSelector(svc);
    if (sel && selectorMatches(sel, labels)) out.add(`${namespace}/${svc.metadata.name}`);
  }
  return out;
}

/** Keys of the services a pod is a member of. */
export function podServiceMemberships(services: Store<Obj>, pod: Obj): Set<string> {
  return servicesMatching(services, pod.metadata.namespace ?? '', pod.metadata.labels);
}

/**
 * Keys of the services to resync after a pod update: none when nothing relevant changed; when
 * labels changed, the services gained and lost (all of both if the pod changed too).
 */
export function servicesToUpdateOnPodChange(services: Store<Obj>, oldPod: Obj, newPod: Obj): Set<string> {
  if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return new Set();
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const current = podServiceMemberships(services, newPod);
  if (!labelsChanged) return current;
  const previous = podServiceMemberships(services, oldPod);
  if (podChanged) return new Set([...current, ...previous]);
  const out = new Set<string>();
  for (const k of current) if (!previous.has(k)) out.add(k);
  for (const k of previous) if (!current.has(k)) out.add(k);
  return out;
}
