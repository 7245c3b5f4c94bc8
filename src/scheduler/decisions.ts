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

/** The scheduler's record of its latest attempt for one pod. */
export interface Decision {
  namespace: string;
  name: string;
  uid: string;
  /** Scheduling attempts so far. */
  attempts: number;
  firstAttempt: string;
  lastAttempt: string;
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
  /** When the binding succeeded. */
  boundAt?: string;
}

/** Node names kept per filter reason. */
export const MAX_NODES_PER_REASON = 20;
/** Scored nodes kept per decision. */
export const TOP_SCORES = 5;

/**
 * The latest decision per pod, bounded: past `capacity` the least recently written is dropped.
 */
export class DecisionLog {
  private readonly byPod = new Map<string, Decision>();

  constructor(private readonly capacity = 10_000) {}

  /** Stores (or replaces) the decision of its pod. */
  put(d: Decision): void {
    const key = `${d.namespace}/${d.name}`;
    this.byPod.delete(key);
    this.byPod.set(key, d);
    if (this.byPod.size > this.capacity) this.byPod.delete(this.byPod.keys().next().value as string);
  }

  get(namespace: string, name: string): Decision | undefined {
    return this.byPod.get(`${namespace}/${name}`);
  }

  get size(): number {
    return this.byPod.size;
  }
}
