import type { AdmissionPlugin } from './chain.js';
import type { NamespaceLifecycle } from './namespace-lifecycle.js';

/**
 * The admission plugins of the built-in chain, in the order they run (mutating phase first, then
 * validating, each in this order).
 */
export function admissionPlugins(lifecycle: NamespaceLifecycle): AdmissionPlugin[] {
  return [
    lifecycle, // refuses content in missing or terminating namespaces; keeps system namespaces
  ];
}
