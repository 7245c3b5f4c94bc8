import { ApiError, notFound } from '../../machinery/status.js';
import type { WriteAdmission } from '../registry/generic-registry.js';
import type { ApiObject } from '../registry/resource.js';

/**
 * NamespaceLifecycle: nothing namespaced may be created in a namespace that does not exist
 * (404 `namespaces "x" not found`) or is being deleted (403), and the system namespaces cannot be
 * deleted.
 */
export function namespaceLifecycle(getNamespace: (name: string) => Promise<ApiObject | null>): WriteAdmission {
  return async (op, def, obj) => {
    if (def.kind === 'Namespace') {
      if (op === 'delete' && ['default', 'kube-system', 'kube-public'].includes(obj.metadata.name)) {
        throw new ApiError(403, 'Forbidden', `namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`, { name: obj.metadata.name, kind: 'namespaces' });
      }
      return;
    }
    if (!def.namespaced || op !== 'create') return;
    const ns = obj.metadata.namespace as string;
    const nsObj = await getNamespace(ns);
    if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, ns);
    if (nsObj.metadata.deletionTimestamp || nsObj.status?.phase === 'Terminating') {
      throw new ApiError(403, 'Forbidden',
        `${def.plural} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        { name: obj.metadata.name, kind: def.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] });
    }
  };
}
