/**
 * The evaluators and the informers that feed them (the quota registry and QuotaMonitor): every
 * watched kind reports changes that may move usage, and object counters for further kinds are
 * added when a quota first names them.
 */
import { BUILTIN_TYPES, EVENTS, type KubeObject, type SharedInformer } from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { coreEvaluators, groupResourceOf, objectCountEvaluator, objectCountName, type Evaluator } from './evaluators.js';

/** Kinds quota never counts. */
const IGNORED = new Set([groupResourceOf(EVENTS), 'events.events.k8s.io']);

/** Evaluators by resource, each with the informer it lists from. */
export class QuotaRegistry {
  private readonly evaluators = new Map<string, Evaluator>();
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();

  /** Starts with the core evaluators; `onChange(groupResource, namespace)` hears usage-relevant changes. */
  constructor(private readonly ctx: ControllerContext, private readonly onChange: (groupResource: string, namespace: string) => void) {
    for (const ev of coreEvaluators()) this.add(ev);
  }

  list(): Evaluator[] {
    return [...this.evaluators.values()];
  }

  get(groupResource: string): Evaluator | undefined {
    return this.evaluators.get(groupResource);
  }

  /**
   * Adds object counters for the `count/<resource>[.<group>]` names in `names` that name a
   * built-in namespaced kind nobody evaluates yet.
   */
  ensureCounters(names: string[]): void {
    for (const name of names) {
      if (!name.startsWith('count/')) continue;
      const type = BUILTIN_TYPES.find((t) => t.namespaced && objectCountName(t) === name);
      if (!type || IGNORED.has(groupResourceOf(type)) || this.evaluators.has(groupResourceOf(type))) continue;
      this.add(objectCountEvaluator(type));
    }
  }

  /** The informers of the evaluators that compute any of `names`. */
  syncablesFor(names: string[]): SharedInformer<KubeObject>[] {
    return this.list().filter((ev) => ev.matchingResources(names).length > 0).map((ev) => this.informers.get(ev.groupResource)!);
  }

  /** The informers the evaluators list from. */
  syncables(): SharedInformer<KubeObject>[] {
    return [...this.informers.values()];
  }

  /** The objects of `ev`'s kind in `namespace`; throws while its informer has not listed yet. */
  readonly lister = (ev: Evaluator, namespace: string): KubeObject[] => {
    const inf = this.informers.get(ev.groupResource);
    if (!inf || !inf.hasSynced()) throw new Error(`{${ev.type.group} ${ev.type.version} ${ev.type.plural}} not yet synced`);
    return inf.store.byIndex('namespace', namespace);
  };

  private add(ev: Evaluator): void {
    this.evaluators.set(ev.groupResource, ev);
    const inf = this.ctx.informers.informer<KubeObject>(ev.type);
    this.informers.set(ev.groupResource, inf);
    const changed = (o: KubeObject) => this.onChange(ev.groupResource, o.metadata.namespace ?? '');
    inf.addEventHandler({
      // Upstream charges new objects in admission; without that plugin, creation replenishes here.
      onAdd: changed,
      onUpdate: (o, n) => { if (ev.updateMatters(o, n, this.ctx.clock())) changed(n); },
      onDelete: changed,
    });
  }
}
