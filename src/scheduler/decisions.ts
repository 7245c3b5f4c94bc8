/** Why nodes were filtered out in an attempt: one entry per (plugin, reason). */
export interface FilterRecord {
  plugin: string;
  reason: string;
  /** Nodes rejected with this reason. */
  count: number;
  /** Their names (at most {@link MAX_NODES_PER_REASON}). */
  nodes: string[];
}

/** A scored node with the weighted score of each plugin. */
export interface ScoreRecord {
  node: string;
  total: number;
  plugins: Record<string, number>;
}

/** Where a pod stands. */
export type DecisionResult = 'Binding' | 'Scheduled' | 'Unschedulable' | 'Error';

/** The scheduler's record of its latest attempt for one pod, as {@link DecisionLog.get} returns it. */
export interface Decision extends Omit<DecisionRecord, 'firstAttemptMs' | 'lastAttemptMs' | 'boundAtMs'> {
  /** RFC 3339 times of the first and the latest attempt. */
  firstAttempt: string;
  lastAttempt: string;
  /** When the binding succeeded. */
  boundAt?: string;
}

/** The stored form of a decision (times in ms since the epoch, converted when read). */
export interface DecisionRecord {
  namespace: string;
  name: string;
  uid: string;
  /** Scheduling attempts so far. */
  attempts: number;
  firstAttemptMs: number;
  lastAttemptMs: number;
  result: DecisionResult;
  /** The chosen node (set once a node was chosen). */
  node?: string;
  /** The failure message (FailedScheduling) or the binding error. */
  message?: string;
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  /** Why nodes were rejected, largest counts first. */
  filtered: FilterRecord[];
  /** The best nodes, highest total first. */
  topScores: ScoreRecord[];
  boundAtMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Node names kept per filter reason. */
export const MAX_NODES_PER_REASON = 20;
/** Scored nodes kept per decision. */
export const TOP_SCORES = 5;

/**
 * The latest decision per pod, bounded: past `capacity` the least recently written is dropped.
 */
export class DecisionLog {
  private readonly byPod = new Map<string, DecisionRecord>();

  constructor(private readonly capacity = 10_000) {}

  /** Stores (or replaces) the decision of its pod. */
  put(d: DecisionRecord): void {
    const key = `${d.namespace}/${d.name}`;
    this.byPod.delete(key);
    this.byPod.set(key, d);
    if (this.byPod.size > this.capacity) this.byPod.delete(this.byPod.keys().next().value as string);
  }

  /** The latest decision about a pod (a copy), or undefined. */
  get(namespace: string, name: string): Decision | undefined {
    const r = this.byPod.get(`${namespace}/${name}`);
    if (!r) return undefined;
    const { firstAttemptMs, lastAttemptMs, boundAtMs, ...rest } = r;
    return {
      ...rest, filtered: rest.filtered.map((f) => ({ ...f, nodes: [...f.nodes] })), topScores: rest.topScores.map((t) => ({ ...t, plugins: { ...t.plugins } })),
      firstAttempt: iso(firstAttemptMs), lastAttempt: iso(lastAttemptMs), ...(boundAtMs !== undefined ? { boundAt: iso(boundAtMs) } : {}),
    };
  }

  get size(): number {
    return this.byPod.size;
  }
}
