import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '../util/types.js';
import { Reason } from './constants.js';
import {
  deploymentComplete, deploymentProgressing, deploymentTimedOut, fromReplicaSetCondition, getCondition, hasProgressDeadline,
  newCondition, removeCondition, setCondition,
} from './conditions.js';
import {
  actualReplicaCount, availableReplicaCount, maxUnavailable, readyReplicaCount, replicaCount, specReplicas,
} from './replicas.js';

/**
 * The Deployment status the ReplicaSets imply: counts summed over them, the generation observed,
 * the existing conditions kept, and Available set from whether at least
 * spec.replicas - maxUnavailable replicas are available.
 */
export function calculateStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const unavailable = Math.max(0, replicaCount(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    conditions: (d.status?.conditions ?? []).map((c) => ({ ...c })),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** Names the object a progress message is about: the new ReplicaSet when there is one. */
function progressSubject(d: Deployment, newRS: ReplicaSet | undefined): string {
  return newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
}

/** Updates Progressing in `status` for a rollout that has not completed before. */
function setProgressing(d: Deployment, newRS: ReplicaSet | undefined, status: DeploymentStatus, nowMs: number): void {
  const who = progressSubject(d, newRS);
  if (deploymentComplete(d, status)) {
    setCondition(status, newCondition('Progressing', 'True', Reason.NewRSAvailable, `${who} has successfully progressed.`, nowMs));
  } else if (deploymentProgressing(d, status)) {
    const cond = newCondition('Progressing', 'True', Reason.ReplicaSetUpdated, `${who} is progressing.`, nowMs);
    // Progress refreshes lastUpdateTime even when the reason stays the same.
    const current = getCondition(d.status, 'Progressing');
    if (current) {
      if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
    }
    setCondition(status, cond);
  } else if (deploymentTimedOut(d, status, nowMs)) {
    setCondition(status, newCondition('Progressing', 'False', Reason.TimedOut, `${who} has timed out progressing.`, nowMs));
  }
}

/** The first ReplicaFailure condition of the new ReplicaSet, else of any other one. */
function replicaFailure(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  const pick = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  const fromNew = pick(newRS);
  if (fromNew) return fromReplicaSetCondition(fromNew);
  for (const rs of allRSs) {
    if (!rs || (newRS && rs.metadata.uid === newRS.metadata.uid)) continue;
    const c = pick(rs);
    if (c) return fromReplicaSetCondition(c);
  }
  return undefined;
}

/**
 * The status a rollout sync writes: {@link calculateStatus} plus the Progressing condition
 * (complete, progressing, or timed out against the deadline) and any ReplicaFailure promoted from
 * the ReplicaSets.
 */
export function rolloutStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const alreadyComplete = status.replicas === status.updatedReplicas && current?.reason === Reason.NewRSAvailable;
  if (hasProgressDeadline(d) && !alreadyComplete) setProgressing(d, newRS, status, nowMs);
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  return status;
}

/**
 * When a stuck rollout should be checked again for its deadline: undefined when there is nothing to
 * wait for (no deadline, no Progressing condition, complete or already timed out), 0 for "now",
 * else the milliseconds until the deadline passes.
 */
export function stuckRequeueDelay(d: Deployment, next: DeploymentStatus, nowMs: number): number | undefined {
  const current = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, next) || current.reason === Reason.TimedOut) return undefined;
  const last = Date.parse(current.lastUpdateTime ?? '') || 0;
  const after = last + d.spec.progressDeadlineSeconds! * 1000 - nowMs;
  return after < 1000 ? 0 : after + 1000;
}

const COUNTS = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

/** A status as Go would serialize it: zero counts and empty lists omitted, fields in upstream order. */
export function cleanStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const k of COUNTS) if (s[k]) out[k] = s[k];
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount;
  return out;
}

/** Deep equality of two statuses after {@link cleanStatus}. */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return JSON.stringify(normalize(cleanStatus(a ?? {}))) === JSON.stringify(normalize(cleanStatus(b ?? {})));
}

function normalize(s: DeploymentStatus): unknown {
  const conds = (s.conditions ?? []).map((c) => [c.type, c.status, c.lastUpdateTime ?? '', c.lastTransitionTime ?? '', c.reason ?? '', c.message ?? '']);
  return [...COUNTS.map((k) => s[k] ?? 0), s.collisionCount ?? null, conds];
}
