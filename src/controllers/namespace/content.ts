/**
 * Deleting what one namespace holds, resource by resource, as upstream's namespaced resources
 * deleter: delete the collection (or each item when that is not supported), then list what is
 * left and tell why it is left (graceful termination, finalizers) or fail.
 */
import { isNotFound, StatusError } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import type { ResourceClient } from '../../client/resource-client.js';
import type { DeletableResource } from './discovery.js';

/** How long to assume finalizers of remaining items take, in seconds (upstream's default). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** What one resource's deletion left behind. */
export interface ResourceOutcome {
  /** Seconds to wait before looking again; 0 when nothing is expected to go by itself. */
  estimate: number;
  remaining: number;
  /** finalizer → items it holds. */
  finalizers: Map<string, number>;
  /** Why deleting (or checking) this resource failed, if it did. */
  error?: Error;
}

const BACKGROUND = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };

function unsupported(err: unknown): boolean {
  return err instanceof StatusError && (err.code === 405 || err.code === 404);
}

/** `{group version resource}` as Go prints a GroupVersionResource with %v. */
export function gvrText(r: DeletableResource): string {
  return `{${r.group} ${r.version} ${r.resource}}`;
}

/** Deletes the content of namespaced resources for one namespace controller. */
export class ContentDeleter {
  constructor(private readonly client: KubeClient, private readonly clock: () => number) {}

  private clientOf(r: DeletableResource): ResourceClient {
    return this.client.resource({ group: r.group, version: r.version, plural: r.resource, kind: '', namespaced: true });
  }

  /**
   * Deletes every `r` in `namespace` (propagation Background, so the garbage collector does not
   * orphan) and reports what remains; a failure is reported in the outcome, never thrown.
   * `deletedAt` is the namespace's deletionTimestamp in ms.
   */
  async deleteAll(r: DeletableResource, namespace: string, deletedAt: number): Promise<ResourceOutcome> {
    let estimate = 0;
    try {
      estimate = await this.estimate(r, namespace, deletedAt);
      return await this.deleteAndCount(r, namespace, estimate);
    } catch (err) {
      return { estimate, remaining: 0, finalizers: new Map(), error: err as Error };
    }
  }

  private async deleteAndCount(r: DeletableResource, namespace: string, estimate: number): Promise<ResourceOutcome> {
    const rc = this.clientOf(r);
    let collected = false;
    if (r.verbs.includes('deletecollection')) {
      try {
        await this.client.rest.request({ method: 'DELETE', path: rc.path(namespace), body: BACKGROUND });
        collected = true;
      } catch (err) {
        if (!unsupported(err)) throw err;
      }
    }
    if (!collected) await this.deleteEach(rc, r, namespace);
    if (!r.verbs.includes('list')) return { estimate, remaining: 0, finalizers: new Map() };
    const items = (await rc.list({ namespace })).items;
    if (items.length === 0) return { estimate: 0, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const item of items) {
      for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    }
    if (estimate !== 0) return { estimate, remaining: items.length, finalizers };
    if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: items.length, finalizers };
    const error = new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrText(r)}`);
    return { estimate, remaining: items.length, finalizers, error };
  }

  private async deleteEach(rc: ResourceClient, r: DeletableResource, namespace: string): Promise<void> {
    if (!r.verbs.includes('list')) return;
    let items: KubeObject[];
    try {
      items = (await rc.list({ namespace })).items;
    } catch (err) {
      if (unsupported(err)) return;
      throw err;
    }
    for (const item of items) {
      try {
        await rc.delete(item.metadata.name as string, { namespace, propagationPolicy: 'Background' });
      } catch (err) {
        if (!isNotFound(err) && !(err instanceof StatusError && err.code === 405)) throw err;
      }
    }
  }

  /**
   * Seconds the graceful termination of `r` may still take: for pods, the longest grace period of
   * a pod not yet finished; 0 once that much time has passed since the namespace was deleted.
   */
  private async estimate(r: DeletableResource, namespace: string, deletedAt: number): Promise<number> {
    if (r.group !== '' || r.resource !== 'pods') return 0;
    let estimate = 0;
    for (const pod of (await this.client.pods.list({ namespace })).items) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = pod.spec?.terminationGracePeriodSeconds;
      if (typeof grace === 'number' && grace > estimate) estimate = grace;
    }
    return this.clock() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }
}
