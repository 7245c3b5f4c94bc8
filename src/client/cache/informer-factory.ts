import type { ResourceType } from '../kinds.js';
import type { KubeClient } from '../kube-client.js';
import type { KubeObject } from '../object.js';
import { SharedInformer, type InformerOptions } from './informer.js';

/** What selects the objects of one shared informer. */
export interface InformerSelection {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * Hands out one {@link SharedInformer} per (resource, selection), so every controller that
 * asks for pods shares a single list and watch. Informers asked for before {@link start} start
 * with it; those asked for later start at once.
 */
export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer<any>>();
  private started = false;

  constructor(private readonly client: KubeClient, private readonly defaults: Omit<InformerOptions, keyof InformerSelection> = {}) {}

  informer<T extends KubeObject = KubeObject>(type: ResourceType, sel: InformerSelection = {}): SharedInformer<T> {
    const key = `${type.group}/${type.plural}|${sel.namespace ?? ''}|${sel.labelSelector ?? ''}|${sel.fieldSelector ?? ''}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new SharedInformer<T>(this.client.resource<T>(type), { ...this.defaults, ...sel });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf as SharedInformer<T>;
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Resolves once every informer handed out so far has synced (or `signal` aborts). */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
