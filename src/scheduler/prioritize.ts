import type { NodeInfo } from './cache/node-info.js';
import type { SchedulerCore } from './core.js';
import { TOP_SCORES, type ScoreRecord } from './decisions.js';
import type { CycleState } from './framework/cycle-state.js';
import type { PodInfo } from './framework/pod-info.js';

/** Indices of the nodes sharing the highest score (reused across attempts). */
let ties = new Int32Array(1024);

/** The chosen node of an attempt and the best-scored nodes. */
export interface HostSelection {
  host: NodeInfo;
  top: ScoreRecord[];
}

/**
 * Scores the feasible nodes (PreScore, Score, NormalizeScore, weights) and picks the highest
 * total, breaking ties uniformly at random (as upstream's reservoir sampling in selectHost does,
 * with one random draw).
 * Also reports the {@link TOP_SCORES} best nodes with their per-plugin scores. Throws on a
 * plugin error.
 */
export function prioritizeAndSelect(core: SchedulerCore, state: CycleState, pod: PodInfo, nodes: NodeInfo[], slots?: Int32Array): HostSelection {
  const fw = core.framework;
  const pre = fw.runPreScorePlugins(state, pod, nodes);
  if (pre) throw new Error(pre.message());
  const nodeSlots = slots ?? Int32Array.from(nodes, (ni) => ni.slot);
  const { totals, perPlugin } = fw.runScorePlugins(state, pod, nodes, nodeSlots, core.cache.table.generations);
  const n = nodes.length;
  if (ties.length < n) ties = new Int32Array(Math.max(n, ties.length * 2));
  let max = -Infinity;
  let numTies = 0;
  const top: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = totals[i];
    if (t > max) {
      max = t;
      numTies = 0;
    }
    if (t === max) ties[numTies++] = i;
    insertTop(top, i, totals);
  }
  const best = ties[numTies === 1 ? 0 : Math.floor(core.rand() * numTies)];
  const records: ScoreRecord[] = top.map((i) => {
    const plugins: Record<string, number> = {};
    for (const p of perPlugin) plugins[p.name] = p.scores[i];
    return { node: nodes[i].name, total: totals[i], plugins };
  });
  return { host: nodes[best], top: records };
}

/** Keeps `top` as the indices of the highest totals (descending, first seen first on ties). */
function insertTop(top: number[], i: number, totals: Float64Array): void {
  if (top.length === TOP_SCORES && totals[i] <= totals[top[TOP_SCORES - 1]]) return;
  let j = top.length < TOP_SCORES ? top.length : TOP_SCORES - 1;
  top[j] = i;
  while (j > 0 && totals[top[j - 1]] < totals[i]) {
    top[j] = top[j - 1];
    top[j - 1] = i;
    j--;
  }
}
