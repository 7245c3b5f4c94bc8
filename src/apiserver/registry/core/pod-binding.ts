import { badRequest, conflict, invalid } from '../../../machinery/status.js';
import type { ApiObject } from '../resource.js';
import { nowTimestamp } from '../object-meta.js';

const PODS_BINDING = { group: '', resource: 'pods/binding' };

/**
 * Binds a pod to a node (POST pods/<name>/binding), in place: sets `spec.nodeName` and the
 * PodScheduled condition. A pod that is being deleted or already has a node answers 409, as
 * upstream; the Binding must name a node.
 */
export function bindPod(pod: ApiObject, binding: ApiObject): ApiObject {
  if (!binding || typeof binding !== 'object' || Array.isArray(binding)) throw badRequest('the body of the request must be a Binding');
  const name = pod.metadata.name as string;
  const node = binding.target?.name;
  if (binding.metadata?.name && binding.metadata.name !== name) throw badRequest(`Binding.metadata.name (${binding.metadata.name}) does not match the pod (${name})`);
  if (typeof node !== 'string' || node === '') {
    throw invalid('Binding', '', name, [{ type: 'FieldValueRequired', field: 'target.name', detail: 'Required value' }]);
  }
  if (pod.metadata.deletionTimestamp) throw conflict(PODS_BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec?.nodeName) throw conflict(PODS_BINDING, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  pod.spec = { ...(pod.spec ?? {}), nodeName: node };
  if (binding.metadata?.annotations) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...binding.metadata.annotations };
  pod.status ??= {};
  const conditions: ApiObject[] = (pod.status.conditions ?? []).filter((c: ApiObject) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowTimestamp() });
  pod.status.conditions = conditions;
  return pod;
}
