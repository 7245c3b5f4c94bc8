/**
 * Deleting a Terminating namespace's content and then finalizing it (upstream's
 * namespacedResourcesDeleter): the caller calls {@link NamespaceDeleter.delete} again and again
 * until it neither throws nor reports content remaining.
 */
import { isConflict, isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { NamespaceConditionUpdater, type ContentTotals } from './conditions.js';
import { ContentDeleter } from './content.js';
import { discoverDeletableResources, GroupDiscoveryFailedError, type DeletableResource, type DiscoveryResult } from './discovery.js';

/** The spec finalizer this controller is responsible for. */
export const FINALIZER_TOKEN = 'kubernetes';

/** Content remains that is expected to go by itself; look again in about `estimate` seconds. */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
  }
}

/** Go's aggregate error text: the one message, or `[a, b]`. */
export function aggregateMessage(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Empties and finalizes namespaces through the API. */
export class NamespaceDeleter {
  private readonly content: ContentDeleter;

  constructor(private readonly client: KubeClient, private readonly clock: () => number,
    private readonly discover: () => Promise<DiscoveryResult> = () => discoverDeletableResources(client.rest)) {
    this.content = new ContentDeleter(client, clock);
  }

  /**
   * One pass over namespace `name`: nothing when it is gone or not being deleted; otherwise
   * phase Terminating, content deleted, conditions updated, and once nothing remains the
   * `kubernetes` finalizer removed. Throws {@link ResourcesRemainingError} while content remains.
   */
  async delete(name: string): Promise<void> {
    let ns: KubeObject;
    try {
      ns = await this.client.namespaces.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    try {
      ns = await this.retryOnConflict(ns, (n) => this.ensureTerminating(n));
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    if ((ns.spec?.finalizers ?? []).length === 0) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    try {
      await this.retryOnConflict(ns, (n) => this.finalize(n));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Calls `fn` on the namespace, and again on a fresh read after each conflict (same uid only). */
  private async retryOnConflict(ns: KubeObject, fn: (ns: KubeObject) => Promise<KubeObject>): Promise<KubeObject> {
    let latest = ns;
    for (;;) {
      try {
        return await fn(latest);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
      const prev = latest;
      latest = await this.client.namespaces.get(prev.metadata.name as string);
      if (latest.metadata.uid !== prev.metadata.uid) throw new Error('namespace uid has changed across retries');
    }
  }

  private async ensureTerminating(ns: KubeObject): Promise<KubeObject> {
    if (!ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return ns;
    const next = structuredClone(ns);
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    return this.client.namespaces.updateStatus(next);
  }

  /** PUT finalize with this controller's token taken out of spec.finalizers (the rest sorted, as upstream). */
  private async finalize(ns: KubeObject): Promise<KubeObject> {
    const left = [...new Set<string>((ns.spec?.finalizers ?? []).filter((f: string) => f !== FINALIZER_TOKEN))].sort();
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata, spec: { ...(ns.spec ?? {}), finalizers: left } };
    return this.client.rest.request<KubeObject>({ method: 'PUT', path: `/api/v1/namespaces/${encodeURIComponent(ns.metadata.name as string)}/finalize`, body });
  }

  /**
   * Deletes the content of every deletable namespaced resource, records the outcome as status
   * conditions, and answers the longest estimate of what remains (0 when nothing does).
   */
  private async deleteAllContent(ns: KubeObject): Promise<number> {
    const name = ns.metadata.name as string;
    const deletedAt = Date.parse(ns.metadata.deletionTimestamp as string);
    const errors: string[] = [];
    const updater = new NamespaceConditionUpdater(() => rfc3339(this.clock()));
    const resources = await this.discoverResources(updater, errors);
    let estimate = 0;
    const totals: ContentTotals = { remainingByResource: new Map(), remainingByFinalizer: new Map() };
    for (const r of resources) {
      const out = await this.content.deleteAll(r, name, deletedAt);
      if (out.error) {
        errors.push(out.error.message);
        updater.contentDeletionFailed(out.error.message);
      }
      estimate = Math.max(estimate, out.estimate);
      if (out.remaining === 0) continue;
      const key = `${r.resource}.${r.group}`;
      totals.remainingByResource.set(key, (totals.remainingByResource.get(key) ?? 0) + out.remaining);
      for (const [f, n] of out.finalizers) totals.remainingByFinalizer.set(f, (totals.remainingByFinalizer.get(f) ?? 0) + n);
    }
    updater.contentTotals(totals);
    // The conditions are written whenever they changed, also from failing to all well.
    const status = structuredClone(ns.status ?? {});
    if (updater.apply(status)) {
      try {
        await this.client.namespaces.updateStatus({ ...ns, status });
      } catch (err) {
        process.emitWarning(`couldn't update status condition for namespace "${name}": ${(err as Error).message}`, 'ControllerWarning');
      }
    }
    if (errors.length > 0) throw new Error(aggregateMessage(errors));
    return estimate;
  }

  /**
   * The resources to empty. Discovery failures are not fatal (the resources found are still
   * emptied): they are recorded in `errors` and as conditions.
   */
  private async discoverResources(updater: NamespaceConditionUpdater, errors: string[]): Promise<DeletableResource[]> {
    let found: DiscoveryResult;
    try {
      found = await this.discover();
    } catch (err) {
      errors.push((err as Error).message);
      updater.discoveryFailed((err as Error).message);
      return [];
    }
    if (found.failed.size > 0) {
      const err = new GroupDiscoveryFailedError(found.failed);
      errors.push(err.message);
      updater.discoveryFailed(`Discovery failed for some groups, ${found.failed.size} failing: ${err.message}`);
    }
    if (found.unparsable.length > 0) {
      const msg = aggregateMessage(found.unparsable.map((gv) => `unexpected GroupVersion string: ${gv}`));
      errors.push(msg);
      updater.groupVersionFailed(msg);
    }
    return found.resources;
  }
}
