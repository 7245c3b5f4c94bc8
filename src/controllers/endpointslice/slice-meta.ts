/** Names, labels and owners of the EndpointSlices the controller manages. */
import { newControllerRef } from '../util/owner-refs.js';
import type { SliceEndpointPort } from './util/go-hash.js';
import { isServiceIpSet, sameLabels, type Obj } from './util/pods.js';

/** `kubernetes.io/service-name`: the service a slice belongs to. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** `endpointslice.kubernetes.io/managed-by`: who manages a slice. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** This controller's managed-by value. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** The label marking slices of headless services. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

const isReserved = (k: string) => k === LABEL_SERVICE_NAME || k === LABEL_MANAGED_BY || k === HEADLESS_LABEL;

/**
 * The labels a slice of `svc` should carry (the service's, minus reserved keys, plus the
 * headless, service-name and managed-by labels) and whether the service's own labels differ
 * from the slice's (`setEndpointSliceLabels`).
 */
export function sliceLabels(slice: Obj, svc: Obj): { labels: Record<string, string>; changed: boolean } {
  const current: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice.metadata.labels ?? {})) if (!isReserved(k)) current[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!isReserved(k)) labels[k] = v;
  const changed = !sameLabels(current, labels);
  if (!isServiceIpSet(svc)) labels[HEADLESS_LABEL] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name ?? '';
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

/** A new, unnamed slice of `svc` (`newEndpointSlice`): generateName `<svc>-`, owned by the service. */
export function newEndpointSlice(svc: Obj, ports: SliceEndpointPort[], addressType: string): Obj {
  const slice: Obj = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      labels: {},
      generateName: `${svc.metadata.name}-`,
      ownerReferences: [newControllerRef(svc as any, { apiVersion: 'v1', kind: 'Service' })],
      namespace: svc.metadata.namespace,
    },
    addressType,
    endpoints: [],
    ports,
  };
  slice.metadata.labels = sliceLabels(slice, svc).labels;
  return slice;
}

/** The slice names `svc` (by uid) as its Service owner. */
export function ownedBy(slice: Obj, svc: Obj): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/** The slice is managed by this controller. */
export function managedByController(slice: Obj): boolean {
  return slice.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME;
}

/** `ns/service` of a slice from its service-name label; undefined without one. */
export function serviceKeyOfSlice(slice: Obj): string | undefined {
  const name = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return name ? `${slice.metadata.namespace}/${name}` : undefined;
}

/**
 * Whether an existing slice equals the placeholder that would replace it: same namespace,
 * labels and address type, and neither endpoints nor ports.
 */
export function samePlaceholder(existing: Obj, placeholder: Obj): boolean {
  return existing.metadata.namespace === placeholder.metadata.namespace
    && sameLabels(existing.metadata.labels, placeholder.metadata.labels)
    && existing.addressType === placeholder.addressType
    && (existing.endpoints ?? []).length === 0
    && (existing.ports ?? []).length === 0;
}
