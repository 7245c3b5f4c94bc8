import { isPodAvailable, isPodReady } from '../util/pod.js';
import { labelsContain } from '../util/selector.js';
import { formatTime } from '../util/time.js';
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../util/types.js';

/** Sets a condition unless one of that type has the same status and reason; the new one goes last. */
export function setRSCondition(status: ReplicaSetStatus, cond: ReplicaSetCondition): void {
  const current = status.conditions?.find((c) => c.type === cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

/** Removes the condition of the given type (dropping an emptied list). */
export function removeRSCondition(status: ReplicaSetStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/**
 * The status a ReplicaSet's active pods imply: replicas, fully labeled (all template labels),
 * ready and available (ready for minReadySeconds) counts; a ReplicaFailure condition (FailedCreate
 * or FailedDelete with the error text) when managing replicas failed, removed once it succeeds.
 * observedGeneration is left as it was (it is set on write).
 */
export function calculateRSStatus(rs: ReplicaSet, pods: Pod[], manageError: unknown, nowMs: number): ReplicaSetStatus {
  const status: ReplicaSetStatus = structuredClone(rs.status ?? {});
  const templateLabels = rs.spec.template?.metadata?.labels;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (labelsContain(pod.metadata.labels, templateLabels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, rs.spec.minReadySeconds ?? 0, nowMs)) available++;
    }
  }
  const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const diff = pods.length - (rs.spec.replicas ?? 0);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    setRSCondition(status, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: formatTime(nowMs), reason, message });
  } else if (!manageError && failure) {
    removeRSCondition(status, 'ReplicaFailure');
  }
  status.replicas = pods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

/** True when writing `next` would change nothing (counts, observed generation, conditions). */
export function rsStatusUnchanged(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status ?? {};
  return (cur.replicas ?? 0) === (next.replicas ?? 0)
    && (cur.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0)
    && (cur.readyReplicas ?? 0) === (next.readyReplicas ?? 0)
    && (cur.availableReplicas ?? 0) === (next.availableReplicas ?? 0)
    && (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0)
    && JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? []);
}

/** A status as Go serializes it: zero counts omitted, in upstream's field order. */
export function cleanRSStatus(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: s.replicas ?? 0 };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions?.length) out.conditions = s.conditions;
  return out;
}
