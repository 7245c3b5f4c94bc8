/**
 * Keeps the dependency graph in step with the informers' events and hands the garbage
 * collector its work: nodes to look at for deletion (`attemptToDelete`) and owners whose
 * dependents must be orphaned (`attemptToOrphan`). Both queues hold uids.
 */
import type { KubeObject, OwnerReference } from '../../client/object.js';
import type { WorkQueue } from '../../client/workqueue.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { DependencyGraph, GraphNode, identityOfReference, referenceMatches, sameIdentity, type ObjectIdentity } from './graph.js';
import {
  beingDeleted, deletionStartsWithFinalizer, FOREGROUND_FINALIZER, hasFinalizer, ORPHAN_FINALIZER, ownerReferencesOf,
  referencesDiff, type ReferenceChange,
} from './references.js';

/** One change to process: from an informer, or "virtual" (the collector found an object absent). */
export interface GraphEvent {
  type: 'add' | 'update' | 'delete';
  identity: ObjectIdentity;
  /** The object (for a virtual delete, none). */
  obj?: KubeObject;
  /** The previous object of an update. */
  oldObj?: KubeObject;
  virtual?: boolean;
}

/** Reports a dependent whose owner reference points at an owner in another namespace. */
export type InvalidOwnerReporter = (dependent: ObjectIdentity, owner: ObjectIdentity) => void;

/** The graph plus its two work queues; {@link process} applies one event. */
export class GraphBuilder {
  readonly graph = new DependencyGraph();
  readonly absentOwners = new AbsentOwnerCache();

  constructor(readonly attemptToDelete: WorkQueue, readonly attemptToOrphan: WorkQueue, private readonly reportInvalid: InvalidOwnerReporter = () => {}) {}

  /** Applies one event to the graph and queues what it makes due. */
  process(ev: GraphEvent): void {
    let existing = this.graph.get(ev.identity.uid);
    if (existing && !ev.virtual && existing.virtual) existing = this.observe(existing, ev.identity);
    if (ev.type === 'delete') {
      if (existing) this.processDelete(existing, ev);
      return;
    }
    const obj = ev.obj!;
    if (!existing) {
      const node = new GraphNode(ev.identity);
      node.owners = ownerReferencesOf(obj);
      node.beingDeleted = beingDeleted(obj);
      node.deletingDependents = node.beingDeleted && hasFinalizer(obj, FOREGROUND_FINALIZER);
      this.graph.set(node);
      this.addDependentToOwners(node, node.owners);
      this.processTransitions(ev.oldObj, obj, node);
      return;
    }
    const { added, removed, changed } = referencesDiff(existing.owners, ownerReferencesOf(obj));
    if (added.length || removed.length || changed.length) {
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = ownerReferencesOf(obj);
      this.addDependentToOwners(existing, added);
      this.removeDependentFromOwners(existing, removed);
    }
    if (beingDeleted(obj)) existing.beingDeleted = true;
    this.processTransitions(ev.oldObj, obj, existing);
  }

  /**
   * A virtual node is now seen through an informer: dependents that referred to other
   * coordinates are queued for checking (with an event when the namespace is wrong), and the
   * node takes the observed identity.
   */
  private observe(node: GraphNode, observed: ObjectIdentity): GraphNode {
    let current = node;
    if (!sameIdentity(node.identity, observed)) {
      for (const dep of this.partitionDependents([...node.dependents], observed).nonMatching) {
        if (observed.namespace && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespace(dep, observed.uid);
        this.attemptToDelete.add(dep.identity.uid);
      }
      current = node.clone();
      current.identity = observed;
      this.graph.set(current);
      // Dependents point at the node object through their owners' uids only, so nothing else changes.
    }
    current.virtual = false;
    return current;
  }

  private processDelete(existing: GraphNode, ev: GraphEvent): void {
    if (ev.virtual && !this.virtualDeleteRemoves(existing, ev.identity)) return;
    this.graph.delete(existing.identity.uid);
    this.removeDependentFromOwners(existing, existing.owners);
    if (existing.dependents.size > 0) this.absentOwners.add(ev.identity);
    for (const dep of existing.dependents) this.attemptToDelete.add(dep.identity.uid);
    for (const owner of existing.owners) {
      const ownerNode = this.graph.get(owner.uid);
      if (ownerNode?.deletingDependents) this.attemptToDelete.add(ownerNode.identity.uid);
    }
  }

  /**
   * Whether a virtual delete of `deleted` removes `existing`. When dependents disagree on the
   * owner's coordinates, only those matching the deleted ones are queued, and a virtual node
   * takes the coordinates the others use.
   */
  private virtualDeleteRemoves(existing: GraphNode, deleted: ObjectIdentity): boolean {
    const { matching, nonMatching } = this.partitionDependents([...existing.dependents], deleted);
    if (existing.virtual) {
      if (nonMatching.length === 0) return true;
      if (matching.length > 0) {
        this.absentOwners.add(deleted);
        for (const dep of matching) this.attemptToDelete.add(dep.identity.uid);
      }
      if (sameIdentity(existing.identity, deleted)) {
        const alternative = this.alternateIdentity(nonMatching, deleted);
        if (alternative) {
          const replacement = existing.clone();
          replacement.identity = alternative;
          this.graph.set(replacement);
          this.attemptToDelete.addRateLimited(replacement.identity.uid);
        }
      }
      return false;
    }
    if (sameIdentity(existing.identity, deleted)) return true;
    if (matching.length > 0) {
      this.absentOwners.add(deleted);
      for (const dep of matching) this.attemptToDelete.add(dep.identity.uid);
    }
    return false;
  }

  /**
   * Other coordinates the dependents use for the owner verified absent as `deleted`: the first
   * (in namespace, apiVersion, kind, name, uid order) after `deleted`, else the first of all.
   */
  private alternateIdentity(dependents: GraphNode[], deleted: ObjectIdentity): ObjectIdentity | undefined {
    const clusterScoped = deleted.namespace === '';
    const seen = new Set<string>([identityOrderKey(deleted)]);
    let first: ObjectIdentity | undefined;
    let following: ObjectIdentity | undefined;
    for (const dep of dependents) {
      for (const ref of dep.owners) {
        if (ref.uid !== deleted.uid) continue;
        if (referenceMatches(ref, deleted) && (clusterScoped || deleted.namespace === dep.identity.namespace)) continue;
        const id = identityOfReference(ref, dep.identity.namespace);
        if (clusterScoped && id.apiVersion === deleted.apiVersion && id.kind === deleted.kind) id.namespace = '';
        const key = identityOrderKey(id);
        if (seen.has(key)) continue;
        seen.add(key);
        if (!first || key < identityOrderKey(first)) first = id;
        if (identityOrderKey(deleted) < key && (!following || key < identityOrderKey(following))) following = id;
      }
    }
    return following ?? first;
  }

  /** Dependents whose reference to `owner.uid` matches its coordinates, and those with one that does not. */
  private partitionDependents(dependents: GraphNode[], owner: ObjectIdentity): { matching: GraphNode[]; nonMatching: GraphNode[] } {
    const matching: GraphNode[] = [];
    const nonMatching: GraphNode[] = [];
    for (const dep of dependents) {
      let match = false;
      let mismatch = false;
      if (owner.namespace && dep.identity.namespace !== owner.namespace) mismatch = true;
      else {
        for (const ref of dep.owners) {
          if (ref.uid !== owner.uid) continue;
          if (referenceMatches(ref, owner)) match = true;
          else mismatch = true;
        }
      }
      if (match) matching.push(dep);
      if (mismatch) nonMatching.push(dep);
    }
    return { matching, nonMatching };
  }

  /**
   * Adds `node` to the dependents of each owner, creating virtual owners (queued, so the
   * collector checks they exist). A reference that disagrees with an owner already known queues
   * the dependent for checking.
   */
  private addDependentToOwners(node: GraphNode, owners: OwnerReference[]): void {
    let suspicious = false;
    for (const ref of owners) {
      let owner = this.graph.get(ref.uid);
      if (!owner) {
        owner = new GraphNode(identityOfReference(ref, node.identity.namespace));
        owner.virtual = true;
        this.graph.set(owner);
        owner.dependents.add(node);
        this.attemptToDelete.add(owner.identity.uid);
        continue;
      }
      owner.dependents.add(node);
      if (suspicious) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (!owner.virtual) this.reportInvalidNamespace(node, ref.uid);
        suspicious = true;
      } else if (!referenceMatches(ref, owner.identity)) {
        suspicious = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== node.identity.namespace && owner.virtual) {
        suspicious = true;
      }
    }
    if (suspicious) this.attemptToDelete.add(node.identity.uid);
  }

  private removeDependentFromOwners(node: GraphNode, owners: OwnerReference[]): void {
    for (const ref of owners) this.graph.get(ref.uid)?.dependents.delete(node);
  }

  /** Owners a removed or no longer blocking reference was holding up are looked at again. */
  private addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: ReferenceChange[]): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion === true && this.graph.get(ref.uid)) this.attemptToDelete.add(ref.uid);
    }
    for (const c of changed) {
      if (c.oldRef.blockOwnerDeletion === true && c.newRef.blockOwnerDeletion !== true && this.graph.get(c.newRef.uid)) {
        this.attemptToDelete.add(c.newRef.uid);
      }
    }
  }

  /** Deletion that starts with `orphan` queues the owner for orphaning; with `foregroundDeletion`, its dependents and itself for deletion. */
  private processTransitions(old: KubeObject | undefined, cur: KubeObject, node: GraphNode): void {
    if (deletionStartsWithFinalizer(old, cur, ORPHAN_FINALIZER)) {
      this.attemptToOrphan.add(node.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(old, cur, FOREGROUND_FINALIZER)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.attemptToDelete.add(dep.identity.uid);
      this.attemptToDelete.add(node.identity.uid);
    }
  }

  private reportInvalidNamespace(dependent: GraphNode, ownerUid: string): void {
    const ref = dependent.owners.find((o) => o.uid === ownerUid);
    if (ref) this.reportInvalid(dependent.identity, identityOfReference(ref, dependent.identity.namespace));
  }
}

/** A string that sorts identities by namespace, apiVersion, kind, name, then uid. */
function identityOrderKey(id: ObjectIdentity): string {
  return [id.namespace, id.apiVersion, id.kind, id.name, id.uid].join('\u0000');
}
