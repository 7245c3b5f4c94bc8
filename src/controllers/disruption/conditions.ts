/** metav1.Condition bookkeeping (`apimeta.SetStatusCondition`) and the PDB's DisruptionAllowed condition. */

/** A metav1.Condition as JSON. */
export interface Condition {
  type: string;
  status: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

/** The PDB condition type (policy/v1 `DisruptionAllowedCondition`). */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
/** Reason while disruptions are allowed. */
export const SUFFICIENT_PODS = 'SufficientPods';
/** Reason while none are. */
export const INSUFFICIENT_PODS = 'InsufficientPods';
/** Reason when the status could not be computed. */
export const SYNC_FAILED = 'SyncFailed';

/**
 * Sets `cond` in `conditions` (in place): a new type is appended with `now` as transition time;
 * an existing one takes the new status (and `now`, when the status changed), reason, message
 * and observedGeneration.
 */
export function setStatusCondition(conditions: Condition[], cond: Condition, now: string): void {
  const existing = conditions.find((c) => c.type === cond.type);
  if (!existing) {
    conditions.push({ ...cond, lastTransitionTime: cond.lastTransitionTime ?? now });
    return;
  }
  if (existing.status !== cond.status) {
    existing.status = cond.status;
    existing.lastTransitionTime = cond.lastTransitionTime ?? now;
  }
  existing.reason = cond.reason;
  existing.message = cond.message;
  if (cond.observedGeneration) existing.observedGeneration = cond.observedGeneration;
  else delete existing.observedGeneration;
}

/** Sets DisruptionAllowed from `disruptionsAllowed` (`UpdateDisruptionAllowedCondition`). */
export function updateDisruptionAllowedCondition(status: any, now: string): void {
  status.conditions ??= [];
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  setStatusCondition(status.conditions, {
    type: DISRUPTION_ALLOWED, status: allowed ? 'True' : 'False', reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
    message: '', observedGeneration: status.observedGeneration,
  }, now);
}

/** Whether DisruptionAllowed agrees with the status (`ConditionsAreUpToDate`). */
export function conditionsAreUpToDate(pdb: any): boolean {
  const cond: Condition | undefined = (pdb.status?.conditions ?? []).find((c: Condition) => c.type === DISRUPTION_ALLOWED);
  if (!cond) return false;
  if ((pdb.status?.observedGeneration ?? 0) !== (pdb.metadata?.generation ?? 0)) return false;
  if ((pdb.status?.disruptionsAllowed ?? 0) > 0) return cond.status === 'True' && cond.reason === SUFFICIENT_PODS;
  return cond.status === 'False' && cond.reason === INSUFFICIENT_PODS;
}
