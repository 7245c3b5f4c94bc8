/** What a PodDisruptionBudget's status should say (the disruption controller's sync arithmetic). */
import type { KubeObject } from '../../client/index.js';
import { isPodReady } from '../endpointslice/util/pods.js';
import { getControllerOf } from '../util/owner-refs.js';
import type { OwnerReference } from '../util/types.js';
import { conditionsAreUpToDate, setStatusCondition, DISRUPTION_ALLOWED, SYNC_FAILED, updateDisruptionAllowedCondition } from './conditions.js';
import { scaledValue } from './int-or-percent.js';
import type { ControllerScale } from './finders.js';

/** How long a pod listed in disruptedPods may take to show its deletion (`DeletionTimeout`). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** Finds a pod's controller and its scale. */
export type ScaleFinder = (ref: OwnerReference, namespace: string) => Promise<ControllerScale | undefined>;

/** Expected pods and desired healthy pods of a PDB, and the pods without a controller. */
export interface Expectation {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/**
 * The sum of the scales of the pods' controllers (`getExpectedScale`); pods without a controller
 * are reported, a controller that cannot be found is an error.
 */
async function expectedScale(pods: KubeObject[], find: ScaleFinder): Promise<{ count: number; unmanaged: string[] }> {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = getControllerOf(pod as any);
    if (!ref) {
      unmanaged.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = await find(ref, pod.metadata.namespace ?? '');
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name)}`);
    scales.set(found.uid, found.scale);
  }
  return { count: [...scales.values()].reduce((a, b) => a + b, 0), unmanaged };
}

/**
 * Expected and desired healthy counts (`getExpectedPodCount`): maxUnavailable and percentage
 * minAvailable scale against the controllers; an integer minAvailable against the pods found.
 */
export async function expectedPodCount(pdb: KubeObject, pods: KubeObject[], find: ScaleFinder): Promise<Expectation> {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const { count, unmanaged } = await expectedScale(pods, find);
    const desired = Math.max(0, count - scaledValue(maxUnavailable, count, true));
    return { expectedCount: count, desiredHealthy: desired, unmanagedPods: unmanaged };
  }
  if (typeof minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
  if (typeof minAvailable === 'string') {
    const { count, unmanaged } = await expectedScale(pods, find);
    return { expectedCount: count, desiredHealthy: scaledValue(minAvailable, count, true), unmanagedPods: unmanaged };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * disruptedPods entries still awaiting their pod's deletion, the names of pods that overstayed
 * it, and when to look again (`buildDisruptedPodMap`).
 */
export function buildDisruptedPodMap(pods: KubeObject[], pdb: KubeObject, now: number): { disrupted: Record<string, string>; overdue: KubeObject[]; recheckAt?: number } {
  const listed: Record<string, string> = pdb.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  const overdue: KubeObject[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = listed[pod.metadata.name ?? ''];
    if (at === undefined) continue;
    const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < now) {
      overdue.push(pod);
    } else {
      if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
      disrupted[pod.metadata.name ?? ''] = at;
    }
  }
  return { disrupted, overdue, recheckAt };
}

/** Ready pods that are neither being deleted nor about to be (`countHealthyPods`). */
export function countHealthyPods(pods: KubeObject[], disrupted: Record<string, string>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * The PDB with its new status, or undefined when the status is already right
 * (`updatePdbStatus`). No disruption is allowed while no pods are expected.
 */
export function nextPdbStatus(pdb: KubeObject, currentHealthy: number, e: Expectation, disrupted: Record<string, string>, now: string): KubeObject | undefined {
  let allowed = currentHealthy - e.desiredHealthy;
  if (e.expectedCount <= 0 || allowed <= 0) allowed = 0;
  const s = pdb.status ?? {};
  const generation = pdb.metadata.generation ?? 0;
  if ((s.currentHealthy ?? 0) === currentHealthy && (s.desiredHealthy ?? 0) === e.desiredHealthy && (s.expectedPods ?? 0) === e.expectedCount
    && (s.disruptionsAllowed ?? 0) === allowed && sameMap(s.disruptedPods, disrupted) && (s.observedGeneration ?? 0) === generation
    && conditionsAreUpToDate(pdb)) return undefined;
  const next = structuredClone(pdb);
  next.status = {
    ...(generation ? { observedGeneration: generation } : {}),
    ...(Object.keys(disrupted).length > 0 ? { disruptedPods: disrupted } : {}),
    disruptionsAllowed: allowed, currentHealthy, desiredHealthy: e.desiredHealthy, expectedPods: e.expectedCount,
    conditions: next.status?.conditions ?? [],
  };
  updateDisruptionAllowedCondition(next.status, now);
  return next;
}

/** The PDB with no disruptions allowed and DisruptionAllowed False / SyncFailed (`failSafe`). */
export function failSafeStatus(pdb: KubeObject, message: string, now: string): KubeObject {
  const next = structuredClone(pdb);
  next.status = { ...(next.status ?? {}), disruptionsAllowed: 0 };
  next.status.conditions ??= [];
  setStatusCondition(next.status.conditions, {
    type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message, observedGeneration: next.status.observedGeneration,
  }, now);
  return next;
}
