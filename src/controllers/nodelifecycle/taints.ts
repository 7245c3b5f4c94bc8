/**
 * Taints and tolerations: matching (as core/v1's helpers), and changing a node's taints through
 * the API with optimistic concurrency (a merge patch carrying the resourceVersion read, retried
 * on conflict with a fresh read), as upstream's AddOrUpdateTaintOnNode / RemoveTaintOffNode.
 */
import { isConflict, isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { formatTime } from '../util/time.js';

/** core/v1 Taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** core/v1 Toleration. */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Two taints are the same taint when key and effect agree. */
export const sameTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;

/** Whether `taints` holds a taint with the key and effect of `t`. */
export const taintExists = (taints: readonly Taint[] | undefined, t: Taint): boolean => (taints ?? []).some((x) => sameTaint(x, t));

/** The node's taints (a copy of the list). */
export const taintsOf = (node: KubeObject): Taint[] => (Array.isArray(node.spec?.taints) ? [...node.spec.taints] : []);

/** The NoExecute taints among `taints`. */
export const noExecuteTaints = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/** Whether a toleration tolerates a taint (an empty key or effect matches any; operator Exists ignores the value). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

/**
 * Whether every taint is tolerated, and the first toleration that tolerates each one (upstream's
 * GetMatchingTolerations). No taints: tolerated, with no tolerations used.
 */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): { all: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => tolerates(x, taint));
    if (!t) return { all: false, used: [] };
    used.push(t);
  }
  return { all: true, used };
}

/**
 * The shortest toleration among `used`, in ms: 0 for none or one of zero or less seconds, -1
 * when every one tolerates forever (upstream's getMinTolerationTime).
 */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (typeof t.tolerationSeconds !== 'number') continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

const RETRIES = 5;

/**
 * Applies `change` to the node's taints and writes them when they changed; re-reads and retries on
 * conflict. A node that is gone is left alone. `change` must be pure: it may run several times.
 */
export async function updateNodeTaints(client: KubeClient, nodeName: string, cached: KubeObject | undefined, change: (taints: Taint[]) => Taint[]): Promise<void> {
  let node = cached;
  for (let attempt = 0; ; attempt++) {
    try {
      node ??= await client.nodes.get(nodeName);
      const before = taintsOf(node);
      const after = change(before);
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      await client.nodes.patch(nodeName, { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: after.length ? after : null } });
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err) || attempt >= RETRIES) throw err;
      node = undefined;
    }
  }
}

/**
 * Adds `add` (stamped with timeAdded = now; one of the same key and effect is replaced) and
 * removes `remove` from the node's taints, as upstream's SwapNodeControllerTaint. Answers false
 * when the write failed.
 */
export async function swapNodeTaints(client: KubeClient, node: KubeObject, add: Taint[], remove: Taint[], now: number, log: (m: string) => void): Promise<boolean> {
  const stamped = add.map((t) => ({ ...t, timeAdded: formatTime(now) }));
  try {
    await updateNodeTaints(client, node.metadata.name as string, node, (taints) => {
      let out = taints.filter((t) => !taintExists(remove, t));
      for (const t of stamped) {
        const i = out.findIndex((x) => sameTaint(x, t));
        if (i >= 0 && (out[i].value ?? '') === (t.value ?? '')) continue;
        out = i >= 0 ? out.map((x, j) => (j === i ? t : x)) : [...out, t];
      }
      return out;
    });
    return true;
  } catch (err) {
    log(`unable to change the taints of node "${node.metadata.name}": ${(err as Error)?.message ?? err}`);
    return false;
  }
}
