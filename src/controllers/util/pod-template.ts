import type { OwnerReference, Pod, PodTemplateSpec } from './types.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The generateName prefix for pods of a controller: `<name>-`, or the bare name when the dash would
 * not make a valid DNS subdomain prefix.
 */
export function podsPrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  // A generateName prefix may end in a dash: it is validated with that dash read as a letter.
  const masked = `${controllerName}a`;
  const valid = masked.length <= 253 && DNS1123_SUBDOMAIN.test(masked);
  return valid ? prefix : controllerName;
}

/**
 * A new pod from a template: the template's labels, annotations and finalizers, its spec,
 * generateName `<controller>-`, and the controller reference when given.
 */
export function podFromTemplate(template: PodTemplateSpec, controllerName: string, namespace: string, ref?: OwnerReference): Pod {
  const tm = template.metadata ?? {};
  const metadata: Pod['metadata'] = { generateName: podsPrefix(controllerName), namespace };
  if (tm.labels && Object.keys(tm.labels).length) metadata.labels = { ...tm.labels };
  if (tm.annotations && Object.keys(tm.annotations).length) metadata.annotations = { ...tm.annotations };
  if (tm.finalizers?.length) metadata.finalizers = [...tm.finalizers];
  if (ref) metadata.ownerReferences = [{ ...ref }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? {}) };
}
