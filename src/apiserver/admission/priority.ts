import { ApiError } from '../../machinery/status.js';
import type { ApiObject } from '../registry/resource.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';

/** The preemption policy a pod gets when its class names none. */
const DEFAULT_PREEMPTION = 'PreemptLowerPriority';

/**
 * Priority admission: a new pod's `spec.priority` (and `preemptionPolicy`) come from the
 * PriorityClass its `priorityClassName` names, or from the global default class, or 0 without
 * either. A class that does not exist, or a priority the pod sets itself that differs from its
 * class's, is refused with 403 as upstream does.
 */
export class PriorityAdmission implements AdmissionPlugin {
  readonly name = 'Priority';

  /** `classes` answers every stored PriorityClass. */
  constructor(private readonly classes: () => ApiObject[]) {}

  mutate({ op, def, subresource, obj }: AdmissionAttributes): void {
    if (op !== 'create' || subresource || def.group !== '' || def.plural !== 'pods') return;
    const spec = (obj.spec ??= {});
    const name = obj.metadata?.name ?? obj.metadata?.generateName ?? '';
    let value = 0;
    let preemption: string | undefined;
    const all = this.classes();
    if (spec.priorityClassName) {
      const pc = all.find((c) => c.metadata.name === spec.priorityClassName);
      if (!pc) throw forbidden(name, `no PriorityClass with name ${spec.priorityClassName} was found`);
      value = pc.value ?? 0;
      preemption = pc.preemptionPolicy;
    } else {
      const global = all.filter((c) => c.globalDefault === true).sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
      if (global) {
        spec.priorityClassName = global.metadata.name;
        value = global.value ?? 0;
        preemption = global.preemptionPolicy;
      }
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
      throw forbidden(name, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
    }
    spec.priority = value;
    spec.preemptionPolicy ??= preemption ?? DEFAULT_PREEMPTION;
  }
}

function forbidden(name: string, why: string): ApiError {
  return new ApiError(403, 'Forbidden', `pods "${name}" is forbidden: ${why}`, { name, kind: 'pods' });
}
