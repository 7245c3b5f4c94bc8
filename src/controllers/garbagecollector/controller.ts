/**
 * The garbage collector: informers on every resource that can own or be owned feed the
 * dependency graph; once all have synced, workers act on the nodes the graph queues.
 */
import type { InformerFactory } from '../../client/cache/informer-factory.js';
import type { SharedInformer } from '../../client/cache/informer.js';
import type { EventRecorder } from '../../client/events.js';
import { apiVersionOf, type ResourceType } from '../../client/kinds.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import { Collector, type WorkAction } from './collector.js';
import { GraphBuilder } from './graph-builder.js';
import { identityText, type ObjectIdentity } from './graph.js';
import { ObjectOperations } from './operations.js';
import { monitoredTypes, RestMapper } from './rest-mapper.js';

/** Upstream's `--concurrent-gc-syncs` default. */
export const WORKERS = 20;

/** What the garbage collector is built from. */
export interface GarbageCollectorDeps {
  client: KubeClient;
  informers: InformerFactory;
  /** Writes the collector's events (component `garbage-collector-controller`). */
  recorder?: EventRecorder;
  /** The resources to watch (default every built-in one but events). */
  types?: ResourceType[];
  log?: (message: string) => void;
}

/** A queue item to try again, without reporting it as a failure. */
class Requeue extends Error {}

/** The identity of an object of `type` as the graph knows it. */
export function identityOf(type: ResourceType, obj: KubeObject): ObjectIdentity {
  const m = obj.metadata;
  return { apiVersion: apiVersionOf(type), kind: type.kind, name: m.name ?? '', uid: m.uid ?? '', namespace: m.namespace ?? '' };
}

/** Construct it (registers the informers' handlers), then {@link run}. */
export class GarbageCollector {
  readonly attemptToDelete = new WorkQueue({ name: 'garbage_collector_attempt_to_delete' });
  readonly attemptToOrphan = new WorkQueue({ name: 'garbage_collector_attempt_to_orphan' });
  readonly builder: GraphBuilder;
  private readonly collector: Collector;
  private readonly monitors: SharedInformer[] = [];
  private readonly log: (message: string) => void;

  constructor(deps: GarbageCollectorDeps) {
    this.log = deps.log ?? ((m) => process.emitWarning(`garbagecollector: ${m}`, 'ControllerWarning'));
    this.builder = new GraphBuilder(this.attemptToDelete, this.attemptToOrphan, (dep, owner) => {
      deps.recorder?.event({ apiVersion: dep.apiVersion, kind: dep.kind, metadata: { name: dep.name, namespace: dep.namespace, uid: dep.uid } },
        'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${identityText(owner)} does not exist in namespace ${JSON.stringify(dep.namespace)}`);
    });
    const types = deps.types ?? monitoredTypes();
    this.collector = new Collector(this.builder, new ObjectOperations(deps.client, new RestMapper(types)), this.log);
    for (const type of types) this.monitor(deps.informers.informer(type), type);
  }

  private monitor(informer: SharedInformer, type: ResourceType): void {
    this.monitors.push(informer);
    const b = this.builder;
    informer.addEventHandler({
      onAdd: (obj) => b.process({ type: 'add', identity: identityOf(type, obj), obj }),
      onUpdate: (old, obj) => {
        if (old.metadata.uid !== obj.metadata.uid) {
          // Replaced under the same name while the watch was away: the old object is gone.
          b.process({ type: 'delete', identity: identityOf(type, old), obj: old });
          b.process({ type: 'add', identity: identityOf(type, obj), obj });
          return;
        }
        b.process({ type: 'update', identity: identityOf(type, obj), obj, oldObj: old });
      },
      onDelete: (obj) => b.process({ type: 'delete', identity: identityOf(type, obj), obj }),
    });
  }

  /** Waits until every monitored resource has synced, then runs `workers` workers per queue until `signal` aborts. */
  async run(signal: AbortSignal, workers = WORKERS): Promise<void> {
    // One abort listener for all monitors (not one each: there are dozens).
    const aborted = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    await Promise.race([Promise.all(this.monitors.map((m) => m.waitForSync())), aborted]);
    if (signal.aborted) {
      this.attemptToDelete.shutDown();
      this.attemptToOrphan.shutDown();
      return;
    }
    const asSync = (fn: (uid: string) => Promise<WorkAction>) => async (uid: string) => {
      if ((await fn(uid)) === 'requeue') throw new Requeue();
    };
    const quiet = (key: string, err: unknown) => {
      if (!(err instanceof Requeue)) this.log(`syncing "${key}" failed: ${(err as Error)?.message ?? err}`);
    };
    await Promise.all([
      runWorkers(this.attemptToDelete, workers, asSync((uid) => this.collector.attemptToDelete(uid)), signal, quiet),
      runWorkers(this.attemptToOrphan, workers, asSync((uid) => this.collector.attemptToOrphan(uid)), signal, quiet),
    ]);
  }
}
