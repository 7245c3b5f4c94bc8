import type { ScorePlugin } from './interfaces.js';
import type { PodInfo } from './pod-info.js';

/** Distinct signatures remembered before the id map starts over. */
const MAX_SIGNATURES = 4096;

interface PluginTable {
  sigIds: Int32Array;
  gens: Float64Array;
  raw: Float64Array;
}

/**
 * Remembers, per Score plugin and node slot, the raw score for the last pod signature and the
 * node's generation at the time, like {@link FilterResultCache} does for filters. Only for
 * plugins that declare a {@link ScorePlugin.scoreSignature}; normalization still runs on every
 * attempt.
 */
export class ScoreResultCache {
  private readonly tables = new Map<string, PluginTable>();
  private readonly ids = new Map<string, number>();
  private nextId = 1;
  private readonly podSigs = new WeakMap<PodInfo, Map<string, number>>();

  /** The id of the pod's signature for `plugin`, or 0 when the plugin declares none. */
  signatureId(plugin: ScorePlugin, pod: PodInfo): number {
    if (!plugin.scoreSignature) return 0;
    let memo = this.podSigs.get(pod);
    const known = memo?.get(plugin.name);
    if (known !== undefined) return known;
    const sig = `${plugin.name}\u0000${plugin.scoreSignature(pod)}`;
    let id = this.ids.get(sig);
    if (id === undefined) {
      if (this.ids.size >= MAX_SIGNATURES) this.ids.clear();
      id = this.nextId++;
      this.ids.set(sig, id);
    }
    if (!memo) this.podSigs.set(pod, (memo = new Map()));
    memo.set(plugin.name, id);
    return id;
  }

  /** The plugin's per-slot arrays, large enough for slots below `capacity`. */
  table(plugin: string, capacity: number): PluginTable {
    let t = this.tables.get(plugin);
    if (!t || t.sigIds.length < capacity) {
      const n = Math.max(capacity, (t?.sigIds.length ?? 0) * 2, 64);
      const grown: PluginTable = { sigIds: new Int32Array(n), gens: new Float64Array(n), raw: new Float64Array(n) };
      if (t) {
        grown.sigIds.set(t.sigIds);
        grown.gens.set(t.gens);
        grown.raw.set(t.raw);
      }
      this.tables.set(plugin, (t = grown));
    }
    return t;
  }
}
