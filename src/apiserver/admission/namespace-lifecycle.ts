import { ApiError, notFound } from '../../machinery/status.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';
import type { ApiObject } from '../registry/resource.js';

/** Namespaces that can never be deleted. */
const IMMORTAL = ['default', 'kube-system', 'kube-public'];

/**
 * NamespaceLifecycle admission: nothing namespaced may be created in a namespace that does not
 * exist (404 `namespaces "x" not found`) or is being deleted (403), and the system namespaces
 * cannot be deleted. (A create that races a namespace's deletion is swept up by the namespace
 * controller, which keeps deleting until a pass finds the namespace empty.)
 */
export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';

  /** `getNamespace` reads a namespace (null when it does not exist). */
  constructor(private readonly getNamespace: (name: string) => Promise<ApiObject | null>) {}

  /** The admission check. */
  async validate({ op, def, obj, subresource }: AdmissionAttributes): Promise<void> {
    if (def.kind === 'Namespace') {
      if (op === 'delete' && IMMORTAL.includes(obj.metadata.name)) {
        throw new ApiError(403, 'Forbidden', `namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`, { name: obj.metadata.name, kind: 'namespaces' });
      }
      return;
    }
    if (!def.namespaced || op !== 'create' || subresource) return;
    const ns = obj.metadata.namespace as string;
    const nsObj = await this.getNamespace(ns);
    if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, ns);
    if (nsObj.metadata.deletionTimestamp || nsObj.status?.phase === 'Terminating') {
      throw new ApiError(403, 'Forbidden',
        `${def.plural} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        { name: obj.metadata.name, kind: def.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] });
    }
  }
}
