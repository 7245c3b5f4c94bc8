import type { Deployment, IntOrString, ReplicaSet } from '../util/types.js';
import { MAX_REPLICAS_ANNOTATION } from './constants.js';

/** spec.replicas of a Deployment (the API defaults it to 1). */
export function specReplicas(d: Deployment): number {
  return d.spec.replicas ?? 1;
}

/** spec.replicas of a ReplicaSet (0 when absent). */
export function rsReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 0;
}

/**
 * Resolves an int-or-percent against `total`: an int is itself; `"N%"` is N% of total rounded up
 * (`roundUp`) or down. Throws upstream's message for a string that is not a percentage.
 */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const raw = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/**
 * The surge and unavailability a rolling update may use for `desired` replicas: surge rounds up,
 * unavailability rounds down, and when both come out 0 unavailability becomes 1 so the rollout can
 * make progress.
 */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

/** True for the RollingUpdate strategy. */
export function isRollingUpdate(d: Deployment): boolean {
  return d.spec.strategy?.type === 'RollingUpdate';
}

/** The resolved maxSurge of a rolling Deployment (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d))[0];
}

/** The resolved maxUnavailable of a rolling Deployment, capped at spec.replicas (0 for Recreate or 0 replicas). */
export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const unavailable = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas)[1];
  return Math.min(unavailable, replicas);
}

/** Sum of spec.replicas over the given ReplicaSets (missing ones skipped). */
export function replicaCount(rss: Array<ReplicaSet | undefined>): number {
  return rss.reduce((n, rs) => n + (rs ? rsReplicas(rs) : 0), 0);
}

/** Sum of status.replicas. */
export function actualReplicaCount(rss: Array<ReplicaSet | undefined>): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

/** Sum of status.readyReplicas. */
export function readyReplicaCount(rss: Array<ReplicaSet | undefined>): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

/** Sum of status.availableReplicas. */
export function availableReplicaCount(rss: Array<ReplicaSet | undefined>): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/**
 * How many replicas the new ReplicaSet should have now: for RollingUpdate, grow it by what the
 * surge allows without passing spec.replicas; for Recreate, spec.replicas at once.
 */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, replicas, true);
  const current = replicaCount(allRSs);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return rsReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - rsReplicas(newRS));
  return rsReplicas(newRS) + scaleUp;
}

/** Go's integer.RoundToInt32: halves round away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? Math.trunc(x - 0.5) : Math.trunc(x + 0.5);
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

/** How much a ReplicaSet should change so it keeps its share when the Deployment's size changes. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) return -rsReplicas(rs);
  const deploymentReplicas = specReplicas(d) + maxSurge(d);
  const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  // Go would divide by zero here; no recorded size means no basis for a share.
  if (annotated <= 0) return 0;
  return roundHalfAway((rsReplicas(rs) * deploymentReplicas) / annotated) - rsReplicas(rs);
}

/**
 * The number of replicas to add to (negative: remove from) `rs` during proportional scaling, given
 * the total to add and what earlier ReplicaSets already took.
 */
export function proportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
