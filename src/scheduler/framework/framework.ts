import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from './cycle-state.js';
import type {
  BindPlugin, FilterPlugin, PermitPlugin, Plugin, PluginEntry, PostBindPlugin, PostFilterPlugin, PreBindPlugin,
  PreEnqueuePlugin, PreFilterPlugin, PreScorePlugin, QueueSortPlugin, ReservePlugin, ScorePlugin,
} from './interfaces.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE } from './interfaces.js';
import type { NodeToStatus } from './node-to-status.js';
import type { PodInfo } from './pod-info.js';
import { Code, Status } from './status.js';
import { WaitingPods } from './waiting-pods.js';
import { FilterResultCache } from './filter-cache.js';
import { ScoreResultCache } from './score-cache.js';

/** A score plugin with its weight. */
export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

/** What RunPreFilterPlugins found. */
export interface PreFilterOutcome {
  status: Status | null;
  /** Undefined: all nodes. */
  nodeNames?: Set<string>;
  /** Plugins that narrowed the node set. */
  narrowedBy: string[];
}

/** Per-plugin scores of the last scoring run (valid until the next one). */
export interface PluginScores {
  name: string;
  weight: number;
  /** Weighted, normalized scores, one per node in the order scored. */
  scores: Float64Array;
}

const has = (p: Plugin, method: string) => typeof (p as any)[method] === 'function';

/**
 * Holds a profile's plugins by extension point, in the order they were configured, and runs
 * the scheduling phase: PreEnqueue, QueueSort, PreFilter, Filter, PostFilter, PreScore and
 * Score (+NormalizeScore, weights). The binding phase (Reserve/Unreserve, Permit, PreBind,
 * Bind, PostBind) is in binding-phase.ts.
 */
export class Framework {
  readonly queueSort?: QueueSortPlugin;
  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: WeightedScorePlugin[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly permitPlugins: PermitPlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  readonly waitingPods = new WaitingPods();
  /** Filter answers reused across pods with the same filter signature. */
  readonly filterCache = new FilterResultCache();
  /** Raw scores reused across pods with the same score signature. */
  readonly scoreCache = new ScoreResultCache();
  /** Whether {@link filterCache} and {@link scoreCache} are used (tests compare both ways). */
  useFilterCache = true;
  private readonly scoreBuffers = new Map<string, Float64Array>();
  /** Active filter lists by skipped plugins (the same array for the same skips). */
  private readonly activeByKey = new Map<string, FilterPlugin[]>();
  private totals = new Float64Array(0);

  constructor(entries: PluginEntry[]) {
    for (const { plugin: p, weight } of entries) {
      if (has(p, 'less')) (this as { queueSort?: QueueSortPlugin }).queueSort = p as QueueSortPlugin;
      if (has(p, 'preEnqueue')) this.preEnqueuePlugins.push(p as PreEnqueuePlugin);
      if (has(p, 'preFilter')) this.preFilterPlugins.push(p as PreFilterPlugin);
      if (has(p, 'filter')) this.filterPlugins.push(p as FilterPlugin);
      if (has(p, 'postFilter')) this.postFilterPlugins.push(p as PostFilterPlugin);
      if (has(p, 'preScore')) this.preScorePlugins.push(p as PreScorePlugin);
      if (has(p, 'score')) this.scorePlugins.push({ plugin: p as ScorePlugin, weight: weight ?? 1 });
      if (has(p, 'reserve')) this.reservePlugins.push(p as ReservePlugin);
      if (has(p, 'permit')) this.permitPlugins.push(p as PermitPlugin);
      if (has(p, 'preBind')) this.preBindPlugins.push(p as PreBindPlugin);
      if (has(p, 'bind')) this.bindPlugins.push(p as BindPlugin);
      if (has(p, 'postBind')) this.postBindPlugins.push(p as PostBindPlugin);
    }
  }

  /** The first PreEnqueue rejection, or null. */
  runPreEnqueuePlugins(pod: PodInfo): Status | null {
    for (const p of this.preEnqueuePlugins) {
      const s = p.preEnqueue(pod);
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  /**
   * Runs PreFilter plugins: Skip excludes the plugin's filter; UnschedulableAndUnresolvable
   * stops at once; Unschedulable is remembered while the rest still run; node name results
   * are intersected, and an empty intersection rejects the pod.
   */
  runPreFilterPlugins(state: CycleState, pod: PodInfo): PreFilterOutcome {
    let names: Set<string> | undefined;
    const narrowedBy: string[] = [];
    let rejected: Status | null = null;
    for (const p of this.preFilterPlugins) {
      let out: ReturnType<PreFilterPlugin['preFilter']>;
      try {
        out = p.preFilter(state, pod);
      } catch (err) {
        out = { status: Status.fromError(err) };
      }
      const s = out?.status ?? null;
      if (s?.code === Code.Skip) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (s && s.code !== Code.Success) {
        const st = s.withPlugin(p.name);
        if (st.code === Code.UnschedulableAndUnresolvable) return { status: st, narrowedBy };
        if (st.code === Code.Unschedulable) {
          rejected = st;
          continue;
        }
        return { status: new Status(Code.Error, [`running PreFilter plugin "${p.name}": ${st.message()}`], p.name, st.error), narrowedBy };
      }
      const r = out?.result?.nodeNames;
      if (r) {
        narrowedBy.push(p.name);
        names = names ? new Set([...names].filter((n) => r.has(n))) : new Set(r);
        if (names.size === 0) {
          const msg = narrowedBy.length === 1
            ? `node(s) didn't satisfy plugin ${narrowedBy[0]}`
            : `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
          return { status: new Status(Code.UnschedulableAndUnresolvable, [msg]), nodeNames: names, narrowedBy };
        }
      }
    }
    return { status: rejected, nodeNames: names, narrowedBy };
  }

  /** The filter plugins that run for this attempt (PreFilter Skip removed). */
  activeFilters(state: CycleState): FilterPlugin[] {
    if (state.skipFilterPlugins.size === 0) return this.filterPlugins;
    const key = [...state.skipFilterPlugins].sort().join(',');
    let active = this.activeByKey.get(key);
    if (!active) this.activeByKey.set(key, (active = this.filterPlugins.filter((p) => !state.skipFilterPlugins.has(p.name))));
    return active;
  }

  /** Runs the filters on one node, stopping at the first rejection (which names its plugin). */
  runFilters(filters: readonly FilterPlugin[], state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    let i = 0;
    let s: Status | null = null;
    try {
      for (; i < filters.length; i++) {
        s = filters[i].filter(state, pod, node);
        if (s !== null && s.code !== Code.Success) break;
      }
    } catch (err) {
      s = Status.fromError(err);
    }
    if (s === null || s.code === Code.Success) return null;
    const p = filters[i];
    if (!s.isRejected()) return new Status(Code.Error, [`running "${p.name}" filter plugin: ${s.message()}`], p.name, s.error);
    return s.plugin === p.name ? s : s.withPlugin(p.name);
  }

  /** {@link runFilters} with the attempt's active filters. */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    return this.runFilters(this.activeFilters(state), state, pod, node);
  }

  /**
   * Runs PostFilter plugins until one succeeds or answers UnschedulableAndUnresolvable;
   * otherwise the reasons of all are combined into one Unschedulable status.
   */
  runPostFilterPlugins(state: CycleState, pod: PodInfo, statuses: NodeToStatus): { status: Status | null; nominatedNodeName?: string } {
    const reasons: string[] = [];
    let rejector = '';
    for (const p of this.postFilterPlugins) {
      let out: ReturnType<PostFilterPlugin['postFilter']>;
      try {
        out = p.postFilter(state, pod, statuses);
      } catch (err) {
        out = { status: Status.fromError(err) };
      }
      const s = out.status;
      if (!s || s.code === Code.Success) return out;
      if (s.code === Code.UnschedulableAndUnresolvable) return { status: s.withPlugin(p.name) };
      if (!s.isRejected()) return { status: new Status(Code.Error, s.reasons, p.name, s.error) };
      reasons.push(...s.reasons);
      if (!rejector) rejector = p.name;
    }
    return { status: new Status(Code.Unschedulable, reasons, rejector) };
  }

  /** Runs PreScore plugins; Skip excludes the plugin's Score for this attempt. */
  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | null {
    for (const p of this.preScorePlugins) {
      let s: Status | null;
      try {
        s = p.preScore(state, pod, nodes);
      } catch (err) {
        s = Status.fromError(err);
      }
      if (!s || s.code === Code.Success) continue;
      if (s.code === Code.Skip) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      return new Status(Code.Error, [`running PreScore plugin "${p.name}": ${s.message()}`], p.name, s.error);
    }
    return null;
  }

  /**
   * Scores `nodes` with every non-skipped Score plugin, normalizes, checks the range and
   * applies weights. Returns the totals (length ≥ nodes.length) and the per-plugin scores;
   * both buffers are reused by the next call. With `slots` (the nodes' table slots) and
   * `generations` (the table's), raw scores of unchanged nodes are taken from the score cache.
   * Throws on a plugin error.
   */
  runScorePlugins(
    state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], slots?: Int32Array, generations?: Float64Array,
  ): { totals: Float64Array; perPlugin: PluginScores[] } {
    const n = nodes.length;
    if (this.totals.length < n) this.totals = new Float64Array(Math.max(n, this.totals.length * 2));
    const totals = this.totals;
    totals.fill(0, 0, n);
    const perPlugin: PluginScores[] = [];
    for (const { plugin, weight } of this.scorePlugins) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      const buf = this.buffer(plugin.name, n);
      const sigId = this.useFilterCache && slots && generations ? this.scoreCache.signatureId(plugin, pod) : 0;
      if (sigId && slots && generations) this.scoreCached(plugin, sigId, state, pod, nodes, slots, generations, buf);
      else for (let i = 0; i < n; i++) buf[i] = plugin.score(state, pod, nodes[i]);
      if (plugin.normalizeScore) {
        const s = plugin.normalizeScore(state, pod, buf, n);
        if (s && s.code !== Code.Success) throw new Error(`running Normalize on Score plugins: ${s.message()}`);
      }
      for (let i = 0; i < n; i++) {
        const v = buf[i];
        if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) {
          throw new Error(`plugin "${plugin.name}" returns an invalid score ${v}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`);
        }
        const w = v * weight;
        buf[i] = w;
        totals[i] += w;
      }
      perPlugin.push({ name: plugin.name, weight, scores: buf });
    }
    return { totals, perPlugin };
  }

  private scoreCached(
    plugin: ScorePlugin, sigId: number, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[],
    slots: Int32Array, generations: Float64Array, buf: Float64Array,
  ): void {
    const t = this.scoreCache.table(plugin.name, generations.length);
    for (let i = 0; i < nodes.length; i++) {
      const slot = slots[i];
      const gen = generations[slot];
      if (t.sigIds[slot] === sigId && t.gens[slot] === gen) {
        buf[i] = t.raw[slot];
      } else {
        const v = plugin.score(state, pod, nodes[i]);
        buf[i] = v;
        t.sigIds[slot] = sigId;
        t.gens[slot] = gen;
        t.raw[slot] = v;
      }
    }
  }

  private buffer(name: string, n: number): Float64Array {
    let b = this.scoreBuffers.get(name);
    if (!b || b.length < n) this.scoreBuffers.set(name, (b = new Float64Array(Math.max(n, (b?.length ?? 0) * 2, 64))));
    return b;
  }

  get hasFilterPlugins(): boolean {
    return this.filterPlugins.length > 0;
  }

  get hasScorePlugins(): boolean {
    return this.scorePlugins.length > 0;
  }

  get hasPostFilterPlugins(): boolean {
    return this.postFilterPlugins.length > 0;
  }
}
