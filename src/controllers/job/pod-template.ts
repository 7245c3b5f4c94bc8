/** The pods a Job creates from its template. */
import type { KubeObject } from '../../client/object.js';
import {
  COMPLETION_INDEX_ANNOTATION, COMPLETION_INDEX_ENV, JOB_TRACKING_FINALIZER, MAX_GENERATED_NAME_LENGTH,
} from './constants.js';

/** The controller reference a job puts on its pods. */
export function jobControllerRef(job: KubeObject) {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Adds `JOB_COMPLETION_INDEX` (read from the index label) to every container that lacks it. */
function addIndexEnv(spec: any): void {
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    c.env ??= [];
    if (c.env.some((e: any) => e?.name === COMPLETION_INDEX_ENV)) continue;
    c.env.push({ name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` } } });
  }
}

/** `<job>-<index>-`, shortened so the generated name fits a DNS label. */
export function indexedGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

/**
 * The pod to create for `job` (and, for Indexed jobs, completion `index`): the template's
 * labels, annotations, finalizers and spec, the tracking finalizer, a generated name and a
 * controller reference. Indexed pods also get the index annotation and label, the index
 * environment variable and the hostname `<job>-<index>`.
 */
export function podFromTemplate(job: KubeObject, index?: number): KubeObject {
  const template = structuredClone(job.spec?.template ?? {});
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
  const finalizers: string[] = [...(template.metadata?.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  const spec = template.spec ?? {};
  let generateName = `${job.metadata.name}-`;
  if (index !== undefined) {
    addIndexEnv(spec);
    annotations[COMPLETION_INDEX_ANNOTATION] = String(index);
    labels[COMPLETION_INDEX_ANNOTATION] = String(index);
    spec.hostname = `${job.metadata.name}-${index}`;
    generateName = indexedGenerateName(job.metadata.name ?? '', index);
  }
  const metadata: KubeObject['metadata'] = { generateName, namespace: job.metadata.namespace };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  metadata.finalizers = finalizers;
  metadata.ownerReferences = [jobControllerRef(job)];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}
