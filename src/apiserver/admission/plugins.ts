import type { ApiObject } from '../registry/resource.js';
import type { AdmissionPlugin } from './chain.js';
import type { NamespaceLifecycle } from './namespace-lifecycle.js';
import { serviceAccountAdmission } from './service-account.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import { PriorityAdmission } from './priority.js';

/** What the built-in plugins read. */
export interface AdmissionDeps {
  lifecycle: NamespaceLifecycle;
  /** Every stored PriorityClass. */
  priorityClasses(): ApiObject[];
}

/**
 * The admission plugins of the built-in chain, in upstream's order (each phase — mutating, then
 * validating — runs them in this order).
 */
export function admissionPlugins(deps: AdmissionDeps): AdmissionPlugin[] {
  return [
    deps.lifecycle, // refuses content in missing or terminating namespaces; keeps system namespaces
    serviceAccountAdmission, // pods run as `default` unless they say otherwise
    defaultTolerationSeconds, // pods tolerate not-ready/unreachable nodes for 300 s
    new PriorityAdmission(deps.priorityClasses), // pods get their priority from their PriorityClass
  ];
}
