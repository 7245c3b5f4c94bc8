/** Remembers Endpoints resource versions this controller has already replaced. */
import type { KubeObject } from '../../client/index.js';

/**
 * After the controller updates an Endpoints object, the version it replaced is stale: seeing it
 * again in the informer means the cache lags behind, and the sync should retry later.
 */
export class StaleEndpointsTracker {
  private readonly stale = new Map<string, string>();

  /** Marks `ep`'s current resourceVersion as replaced. */
  markStale(ep: KubeObject): void {
    this.stale.set(`${ep.metadata.namespace}/${ep.metadata.name}`, ep.metadata.resourceVersion ?? '');
  }

  /** Whether `ep` carries a resourceVersion this controller already replaced. */
  isStale(ep: KubeObject): boolean {
    const rv = this.stale.get(`${ep.metadata.namespace}/${ep.metadata.name}`);
    return rv !== undefined && rv === ep.metadata.resourceVersion;
  }

  delete(namespace: string, name: string): void {
    this.stale.delete(`${namespace}/${name}`);
  }
}
