/**
 * The `endpoints.kubernetes.io/last-change-trigger-time` annotation: the earliest change (a pod's
 * Ready transition or the service's creation) seen since the previous sync of a service.
 */
import type { Obj } from './pods.js';

/** The annotation both endpoint controllers write. */
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  serviceTime: number;
  podTimes: Map<string, number>;
}

function readyTransition(pod: Obj): number | undefined {
  const c = (pod.status?.conditions ?? []).find((x: any) => x?.type === 'Ready');
  if (!c?.lastTransitionTime) return undefined;
  const ms = Date.parse(c.lastTransitionTime);
  return Number.isNaN(ms) ? undefined : ms;
}

function creation(svc: Obj): number {
  const ms = Date.parse(svc.metadata.creationTimestamp ?? '');
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Remembers, per service, the trigger times seen at its last sync (`TriggerTimeTracker`). Not safe
 * for concurrent calls on the same service; the work queue never does that.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /**
   * The trigger time to export for this sync in epoch ms: the service's creation on its first
   * sync, else the earliest trigger time that moved since the last sync; undefined for none.
   */
  compute(namespace: string, svc: Obj, pods: Obj[]): number | undefined {
    const key = `${namespace}/${svc.metadata.name}`;
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = readyTransition(pod);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name ?? '', t);
      if (t > (state?.podTimes.get(pod.metadata.name ?? '') ?? Number.NEGATIVE_INFINITY) && (min === undefined || t < min)) min = t;
    }
    const svcTime = creation(svc);
    if (svcTime > (state?.serviceTime ?? Number.NEGATIVE_INFINITY) && (min === undefined || svcTime < min)) min = svcTime;
    this.states.set(key, { serviceTime: svcTime, podTimes });
    if (!state) return svcTime === 0 ? undefined : svcTime;
    return min;
  }

  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

/** Epoch ms as Go's RFC3339Nano in UTC: `2024-05-01T10:00:00Z`, fractions without trailing zeros. */
export function formatRfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d+)Z$/, (_m, frac: string) => {
    const f = frac.replace(/0+$/, '');
    return f ? `.${f}Z` : 'Z';
  });
}
