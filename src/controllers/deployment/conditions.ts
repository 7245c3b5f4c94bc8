import { parseTime, formatTime } from '../util/time.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSetCondition } from '../util/types.js';
import { MAX_INT32, Reason } from './constants.js';
import { specReplicas } from './replicas.js';

/** A condition stamped with `nowMs` as both update and transition time. */
export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = formatTime(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** The condition of the given type, if present. */
export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Sets a condition: nothing happens when one of that type already has the same status and reason;
 * otherwise the old one is replaced (keeping its transition time if the status is unchanged) and
 * the new one goes last.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  const next = { ...cond };
  if (current && current.status === cond.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

/** Removes the condition of the given type. */
export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** A ReplicaSet condition carried over to its Deployment (transition time doubles as update time). */
export function fromReplicaSetCondition(c: ReplicaSetCondition): DeploymentCondition {
  return {
    type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime,
    reason: c.reason, message: c.message,
  };
}

/** True when spec.progressDeadlineSeconds is set and not MaxInt32. */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== MAX_INT32;
}

/** True when spec.revisionHistoryLimit is set and not MaxInt32. */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const s = d.spec.revisionHistoryLimit;
  return s !== undefined && s !== null && s !== MAX_INT32;
}

/** All replicas updated and available, no old ones left, and the current generation observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = specReplicas(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want
    && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/**
 * True when `next` shows progress over the Deployment's current status: more updated, ready or
 * available replicas, or fewer old ones.
 */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/**
 * True when the Progressing condition in `next` reports a timeout, or was last updated more than
 * progressDeadlineSeconds before `nowMs` (never once the new ReplicaSet is available).
 */
export function deploymentTimedOut(d: Deployment, next: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(next, 'Progressing');
  if (!c) return false;
  if (c.reason === Reason.NewRSAvailable) return false;
  if (c.reason === Reason.TimedOut) return true;
  const from = parseTime(c.lastUpdateTime) ?? 0;
  return from + d.spec.progressDeadlineSeconds! * 1000 < nowMs;
}
