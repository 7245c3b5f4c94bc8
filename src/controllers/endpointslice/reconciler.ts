/**
 * What the EndpointSlices of a service should become (k8s.io/endpointslice Reconciler), as a plan
 * of creates, updates and deletes per address type; {@link ./finalize.ts} carries it out.
 */
import { shouldPodBeInEndpoints, type Obj } from './util/pods.js';
import type { SliceEndpointPort } from './util/go-hash.js';
import { addressTypesForService, endpointKey, endpointPorts, podToEndpoint, portMapKey, type SliceEndpoint } from './desired.js';
import { reconcilePortMapping } from './port-mapping.js';
import { newEndpointSlice, ownedBy, samePlaceholder } from './slice-meta.js';

/** The changes for one address type, and the problems met computing them. */
export interface AddressTypePlan {
  addressType: string;
  create: Obj[];
  update: Obj[];
  delete: Obj[];
  errors: string[];
}

/** Everything a reconcile of one service does. */
export interface ReconcilePlan {
  byAddressType: AddressTypePlan[];
  /** Slices of address types the service no longer has. */
  deleteUnsupported: Obj[];
}

/** What the reconciler reads. */
export interface ReconcileInput {
  service: Obj;
  /** The pods the service's selector picks. */
  pods: Obj[];
  /** The service's slices managed by this controller (none pending deletion). */
  slices: Obj[];
  /** The node named so, if it exists. */
  node: (name: string) => Obj | undefined;
  maxEndpointsPerSlice: number;
}

/** Plans the slices of `input.service`. */
export function planReconcile(input: ReconcileInput): ReconcilePlan {
  const types = addressTypesForService(input.service);
  const byType = new Map<string, Obj[]>();
  const deleteUnsupported: Obj[] = [];
  for (const s of input.slices) {
    if (!types.has(s.addressType)) deleteUnsupported.push(s);
    else byType.set(s.addressType, [...(byType.get(s.addressType) ?? []), s]);
  }
  const byAddressType = [...types].map((t) => planAddressType(input, byType.get(t) ?? [], t));
  return { byAddressType, deleteUnsupported };
}

/** Desired endpoints grouped by port mapping; pods on missing nodes are skipped with an error. */
function desiredByPortMapping(input: ReconcileInput, addressType: string, errors: string[]) {
  const { service: svc } = input;
  const meta = new Map<string, SliceEndpointPort[]>();
  const desired = new Map<string, Map<string, SliceEndpoint>>();
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(svc, pod);
    const key = portMapKey(ports);
    if (!desired.has(key)) desired.set(key, new Map());
    if (!meta.has(key)) meta.set(key, ports);
    const nodeName = pod.spec?.nodeName ?? '';
    const node = input.node(nodeName);
    if (!node && svc.spec?.publishNotReadyAddresses !== true) {
      errors.push(`skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const ep = podToEndpoint(pod, node, svc, addressType);
    if (ep.addresses.length > 0) desired.get(key)!.set(endpointKey(ep), ep);
  }
  return { meta, desired };
}

function planAddressType(input: ReconcileInput, existing: Obj[], addressType: string): AddressTypePlan {
  const { service: svc, maxEndpointsPerSlice: max } = input;
  const plan: AddressTypePlan = { addressType, create: [], update: [], delete: [], errors: [] };
  const existingByPortMap = new Map<string, Obj[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      plan.delete.push(s);
      continue;
    }
    const key = portMapKey(s.ports);
    existingByPortMap.set(key, [...(existingByPortMap.get(key) ?? []), s]);
  }
  const { meta, desired } = desiredByPortMapping(input, addressType, plan.errors);
  for (const [key, want] of desired) {
    const changes = reconcilePortMapping(svc, existingByPortMap.get(key) ?? [], want, meta.get(key)!, addressType, max);
    plan.create.push(...changes.create);
    plan.update.push(...changes.update);
    plan.delete.push(...changes.delete);
  }
  for (const [key, slices] of existingByPortMap) if (!desired.has(key)) plan.delete.push(...slices);
  // A service with no endpoints keeps one empty placeholder slice.
  if (existing.length === plan.delete.length && plan.create.length < 1) {
    const placeholder = newEndpointSlice(svc, [], addressType);
    if (plan.delete.length === 1 && samePlaceholder(plan.delete[0], placeholder)) plan.delete = [];
    else plan.create.push(placeholder);
  }
  return plan;
}

/**
 * Turns creates into updates of slices that would be deleted (same address type, owned by the
 * service), taking their names; mutates and answers `plan`.
 */
export function reuseDeletedSlices(plan: AddressTypePlan, svc: Obj): AddressTypePlan {
  for (let i = 0; i < plan.delete.length;) {
    if (plan.create.length === 0) break;
    const victim = plan.delete[i];
    const slice = plan.create[plan.create.length - 1];
    if (victim.addressType === slice.addressType && ownedBy(victim, svc)) {
      slice.metadata.name = victim.metadata.name;
      plan.create.pop();
      plan.update.push(slice);
      plan.delete.splice(i, 1);
    } else {
      i++;
    }
  }
  return plan;
}
