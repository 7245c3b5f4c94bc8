/**
 * The garbage collector's decisions for one node (upstream's attemptToDeleteItem and
 * attemptToOrphan workers): delete an object whose owners are all gone, delete the dependents
 * of an owner deleted in the foreground and then release it, orphan the dependents of an owner
 * deleted with `orphan` and then release it.
 */
import { isNotFound } from '../../client/errors.js';
import type { KubeObject, OwnerReference } from '../../client/object.js';
import type { GraphBuilder } from './graph-builder.js';
import { identityOfReference, identityText, type GraphNode } from './graph.js';
import type { ObjectOperations } from './operations.js';
import { FOREGROUND_FINALIZER, hasFinalizer, ORPHAN_FINALIZER, ownerReferencesOf } from './references.js';
import { RestMappingError } from './rest-mapper.js';

/** What to do with a queue item after a pass: drop it, or try again later (with backoff). */
export type WorkAction = 'forget' | 'requeue';

/** The pass found the object gone and fed a virtual delete to the graph. */
const VIRTUAL_DELETE = Symbol('virtual delete');
/** A cluster-scoped object names a namespaced owner: retrying cannot help. */
const NAMESPACED_OWNER_OF_CLUSTER_SCOPED = Symbol('namespaced owner of cluster-scoped object');

/** Owner references sorted by what the owner's state means for the dependent. */
interface ClassifiedReferences {
  /** The owner exists and is not waiting for its dependents' deletion. */
  solid: OwnerReference[];
  /** The owner does not exist (or has another uid). */
  dangling: OwnerReference[];
  /** The owner is being deleted in the foreground. */
  waiting: OwnerReference[];
}

/** Runs the garbage collector's passes; errors are reported through `log`. */
export class Collector {
  constructor(private readonly builder: GraphBuilder, private readonly ops: ObjectOperations,
    private readonly log: (message: string) => void) {}

  /** One attemptToDelete pass over the node of `uid`. */
  async attemptToDelete(uid: string): Promise<WorkAction> {
    const node = this.builder.graph.get(uid);
    if (!node) return 'forget';
    let outcome: symbol | void;
    try {
      outcome = await this.attemptToDeleteItem(node);
    } catch (err) {
      if (!(err instanceof RestMappingError)) this.log(`error syncing item ${identityText(node.identity)}: ${(err as Error).message}`);
      return 'requeue';
    }
    if (outcome === VIRTUAL_DELETE || outcome === NAMESPACED_OWNER_OF_CLUSTER_SCOPED) return 'forget';
    // A virtual node that exists but is not observed yet is polled until its informer sees it.
    return this.builder.graph.get(uid)?.virtual ? 'requeue' : 'forget';
  }

  /** One attemptToOrphan pass: strips the owner from its dependents, then takes `orphan` off it. */
  async attemptToOrphan(uid: string): Promise<WorkAction> {
    const owner = this.builder.graph.get(uid);
    if (!owner) return 'forget';
    try {
      await this.orphanDependents(owner, [...owner.dependents]);
    } catch (err) {
      this.log(`orphanDependents for ${identityText(owner.identity)} failed with ${(err as Error).message}`);
      return 'requeue';
    }
    try {
      await this.ops.removeFinalizer(owner.identity, ORPHAN_FINALIZER);
    } catch (err) {
      this.log(`removeOrphanFinalizer for ${identityText(owner.identity)} failed with ${(err as Error).message}`);
      return 'requeue';
    }
    return 'forget';
  }

  private async attemptToDeleteItem(item: GraphNode): Promise<symbol | void> {
    // Being deleted is a one-way trip: wait for the deletion, then handle the dependents.
    if (item.beingDeleted && !item.deletingDependents) return;
    let latest: KubeObject;
    try {
      latest = await this.ops.get(item.identity);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return this.virtualDelete(item);
    }
    if (latest.metadata.uid !== item.identity.uid) return this.virtualDelete(item);
    if (item.deletingDependents) return this.processDeletingDependents(item);
    const refs = ownerReferencesOf(latest);
    if (refs.length === 0) return;
    const classified = await this.classify(item, refs);
    if (typeof classified === 'symbol') return classified;
    const { solid, dangling, waiting } = classified;
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // References to absent owners and to owners waiting for their dependents go, or those owners would wait forever.
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.ops.patchOwnerReferences(item.identity, (cur) => cur.filter((r) => !drop.has(r.uid)));
      return;
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      if ([...item.dependents].some((d) => d.deletingDependents)) {
        // Owner and dependent both wait on their dependents: unblock this item's references to break a possible cycle.
        await this.ops.patchOwnerReferences(item.identity, (cur) => cur.some((r) => r.blockOwnerDeletion === true)
          ? cur.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r)) : null);
      }
      await this.ops.delete(item.identity, 'Foreground');
      return;
    }
    const policy = hasFinalizer(latest, ORPHAN_FINALIZER) ? 'Orphan' : hasFinalizer(latest, FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
    await this.ops.delete(item.identity, policy);
  }

  private virtualDelete(item: GraphNode): symbol {
    this.builder.process({ type: 'delete', identity: item.identity, virtual: true });
    return VIRTUAL_DELETE;
  }

  /** A foreground deletion: done when no blocking dependent remains, otherwise those dependents are queued. */
  private async processDeletingDependents(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      await this.ops.removeFinalizer(item.identity, FOREGROUND_FINALIZER);
      return;
    }
    for (const dep of blocking) {
      if (!dep.deletingDependents) this.builder.attemptToDelete.add(dep.identity.uid);
    }
  }

  private async classify(item: GraphNode, refs: OwnerReference[]): Promise<ClassifiedReferences | symbol> {
    const out: ClassifiedReferences = { solid: [], dangling: [], waiting: [] };
    for (const ref of refs) {
      const found = await this.ownerOf(ref, item);
      if (typeof found === 'symbol') return found;
      if (!found) out.dangling.push(ref);
      else if (found.metadata.deletionTimestamp && hasFinalizer(found, FOREGROUND_FINALIZER)) out.waiting.push(ref);
      else out.solid.push(ref);
    }
    return out;
  }

  /**
   * The owner a reference names, read live (the graph may lag), or null when it is absent: not
   * found, or found with another uid. Absent owners are remembered.
   */
  private async ownerOf(ref: OwnerReference, item: GraphNode): Promise<KubeObject | null | symbol> {
    const clusterKey = identityOfReference(ref, '');
    if (this.builder.absentOwners.has(clusterKey)) return null;
    const namespacedKey = identityOfReference(ref, item.identity.namespace);
    if (this.builder.absentOwners.has(namespacedKey)) return null;
    const namespaced = this.ops.namespaced(ref.apiVersion, ref.kind);
    if (namespaced && item.identity.namespace === '') {
      this.log(`item ${identityText(item.identity)} is cluster-scoped, but refers to a namespaced owner of kind ${ref.kind}`);
      return NAMESPACED_OWNER_OF_CLUSTER_SCOPED;
    }
    const key = namespaced ? namespacedKey : clusterKey;
    let owner: KubeObject;
    try {
      owner = await this.ops.getOwner(ref, key.namespace);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.builder.absentOwners.add(key);
      return null;
    }
    if (owner.metadata.uid !== ref.uid) {
      this.builder.absentOwners.add(key);
      return null;
    }
    return owner;
  }

  /** Removes `owner` from every dependent's owner references (dependents already gone are fine). */
  private async orphanDependents(owner: GraphNode, dependents: GraphNode[]): Promise<void> {
    const uid = owner.identity.uid;
    const results = await Promise.all(dependents.map(async (dep) => {
      try {
        await this.ops.patchOwnerReferences(dep.identity, (refs) => (refs.some((r) => r.uid === uid) ? refs.filter((r) => r.uid !== uid) : null));
        return undefined;
      } catch (err) {
        return isNotFound(err) ? undefined : `orphaning ${identityText(dep.identity)} failed, ${(err as Error).message}`;
      }
    }));
    const failures = results.filter((r): r is string => r !== undefined);
    if (failures.length > 0) {
      throw new Error(`failed to orphan dependents of owner ${identityText(owner.identity)}, got errors: ${failures.length === 1 ? failures[0] : `[${failures.join(', ')}]`}`);
    }
  }
}
