/**
 * The root CA certificate publisher: a `kube-root-ca.crt` ConfigMap holding the cluster CA in
 * every namespace, restored when it is changed or deleted.
 */
import { isDeepStrictEqual } from 'node:util';
import type { InformerFactory } from '../../client/cache/informer-factory.js';
import type { SharedInformer } from '../../client/cache/informer.js';
import { isNotFound } from '../../client/errors.js';
import { CONFIGMAPS, NAMESPACES } from '../../client/kinds.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';

/** The ConfigMap's name, as upstream. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** The data key holding the CA bundle. */
export const CA_KEY = 'ca.crt';
/** The one annotation the ConfigMap must carry, and its text. */
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
/** What {@link DESCRIPTION_ANNOTATION} says. */
export const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. '
  + 'No other usage is guaranteed across distributions of Kubernetes clusters.';

/** What the publisher is built from. */
export interface PublisherDeps {
  client: KubeClient;
  informers: InformerFactory;
  /** The CA bundle (PEM) to publish. */
  rootCaPem: string;
}

/** Construct it (registers its informer handlers), then {@link run}. Queue keys are namespace names. */
export class RootCaPublisher {
  readonly queue = new WorkQueue({ name: 'root_ca_cert_publisher' });
  private readonly configMaps: SharedInformer;
  private readonly namespaces: SharedInformer;

  constructor(private readonly deps: PublisherDeps) {
    this.configMaps = deps.informers.informer(CONFIGMAPS);
    this.namespaces = deps.informers.informer(NAMESPACES);
    const changed = (cm: KubeObject) => {
      if (cm.metadata.name === ROOT_CA_CONFIGMAP) this.queue.add(cm.metadata.namespace ?? '');
    };
    this.configMaps.addEventHandler({ onUpdate: (_old, cm) => changed(cm), onDelete: changed });
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name as string),
      onUpdate: (_old, ns) => {
        if (ns.status?.phase === 'Active') this.queue.add(ns.metadata.name as string);
      },
    });
  }

  /** Waits for the caches, then syncs with `workers` workers until `signal` aborts. */
  async run(signal: AbortSignal, workers = 1): Promise<void> {
    await Promise.all([this.configMaps.waitForSync(signal), this.namespaces.waitForSync(signal)]);
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), signal);
  }

  /**
   * Creates the namespace's ConfigMap when missing (not retried when the namespace is gone or
   * terminating), or rewrites its data and description when they differ.
   */
  async sync(namespace: string): Promise<void> {
    const data = { [CA_KEY]: this.deps.rootCaPem };
    const cm = this.configMaps.store.getByName(namespace, ROOT_CA_CONFIGMAP);
    if (!cm) {
      const fresh: KubeObject = {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data,
      };
      try {
        await this.deps.client.configMaps.create(fresh, { namespace });
      } catch (err) {
        if (isNotFound(err) || isNamespaceTerminating(err)) return;
        throw err;
      }
      return;
    }
    if (isDeepStrictEqual(cm.data ?? {}, data) && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
    const next = structuredClone(cm);
    next.data = data;
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
    await this.deps.client.configMaps.update(next, { namespace });
  }
}
