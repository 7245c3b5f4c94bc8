import type { ApiObject, ResourceDefinition } from '../registry/resource.js';

/** The operation an admission plugin is asked about. */
export type AdmissionOperation = 'create' | 'update' | 'delete';

/** What admission sees of one write. */
export interface AdmissionAttributes {
  op: AdmissionOperation;
  def: ResourceDefinition;
  /** '' for the object itself, else the subresource written (`status`, `scale`, `binding`). */
  subresource: string;
  /** The object as it will be written (for delete: the stored object). */
  obj: ApiObject;
  /** The stored object, for updates. */
  old?: ApiObject;
  dryRun: boolean;
}

/**
 * One admission plugin. `mutate` may change the object (it runs in the mutating phase, before the
 * registry validates it); `validate` may only refuse, by throwing an ApiError.
 */
export interface AdmissionPlugin {
  name: string;
  mutate?(a: AdmissionAttributes): void | Promise<void>;
  validate?(a: AdmissionAttributes): void | Promise<void>;
}

/**
 * The admission chain: every plugin's `mutate` in order, then (after the registry's own
 * validation) every plugin's `validate` in order, as upstream runs mutating then validating
 * admission around a write.
 */
export class AdmissionChain {
  constructor(readonly plugins: AdmissionPlugin[]) {}

  /** Runs the mutating phase. */
  async mutate(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.mutate) await p.mutate(a);
  }

  /** Runs the validating phase. */
  async validate(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(a);
  }
}
