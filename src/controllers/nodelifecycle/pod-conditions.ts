/**
 * Pod condition changes the node controllers make: Ready=False for pods of a node that stopped
 * being ready (upstream's MarkPodsNotReady), and the condition set before a taint eviction.
 */
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { formatTime } from '../util/time.js';

/** A pod condition as JSON. */
export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
}

/**
 * Sets `cond` in `conditions` (in place) as upstream's UpdatePodCondition: the transition time is
 * `now` unless the status stays the same; answers whether anything changed.
 */
export function updatePodCondition(conditions: PodCondition[], cond: PodCondition, now: number): boolean {
  const next: PodCondition = { ...cond, lastProbeTime: cond.lastProbeTime ?? null, lastTransitionTime: formatTime(now) };
  const i = conditions.findIndex((c) => c.type === cond.type);
  if (i < 0) {
    conditions.push(next);
    return true;
  }
  const old = conditions[i];
  if (old.status === next.status) next.lastTransitionTime = old.lastTransitionTime ?? null;
  const same = old.status === next.status && (old.reason ?? '') === (next.reason ?? '') && (old.message ?? '') === (next.message ?? '')
    && (old.lastProbeTime ?? null) === next.lastProbeTime && (old.lastTransitionTime ?? null) === next.lastTransitionTime;
  conditions[i] = next;
  return !same;
}

/** Writes one pod condition with a strategic merge patch of pods/status guarded by the pod's UID. */
export async function patchPodCondition(client: KubeClient, pod: KubeObject, cond: PodCondition): Promise<void> {
  await client.pods.patch(pod.metadata.name as string, { metadata: { uid: pod.metadata.uid }, status: { conditions: [cond] } }, {
    namespace: pod.metadata.namespace, type: 'strategic', subresource: 'status',
  });
}

/**
 * Sets Ready=False on every pod of `nodeName` whose Ready condition says otherwise and records a
 * NodeNotReady warning on each. Pods already gone are skipped; other failures are collected and
 * rethrown at the end (the caller retries the node).
 */
export async function markPodsNotReady(client: KubeClient, recorder: EventRecorder, pods: readonly KubeObject[], nodeName: string, now: number): Promise<void> {
  const errors: string[] = [];
  for (const pod of pods) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const conditions: PodCondition[] = structuredClone(pod.status?.conditions ?? []);
    const ready = conditions.find((c) => c.type === 'Ready');
    if (!ready) continue;
    if (!updatePodCondition(conditions, { ...ready, status: 'False' }, now)) continue;
    try {
      await patchPodCondition(client, pod, conditions.find((c) => c.type === 'Ready')!);
    } catch (err) {
      if (isNotFound(err)) continue;
      errors.push(`${pod.metadata.namespace}/${pod.metadata.name}: ${(err as Error)?.message ?? err}`);
      continue;
    }
    recorder.event(withKind(pod), 'Warning', 'NodeNotReady', 'Node is not ready');
  }
  if (errors.length) throw new Error(`unable to mark pods NotReady on node ${nodeName}: ${errors.join('; ')}`);
}

/** The pod with apiVersion and kind set (objects from lists may lack them). */
export const withKind = (pod: KubeObject): KubeObject => ({ ...pod, apiVersion: 'v1', kind: 'Pod' });
