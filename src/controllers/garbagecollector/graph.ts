/**
 * The garbage collector's dependency graph: one node per object uid (observed through an
 * informer, or "virtual" when only referenced as an owner so far), each knowing its owners (the
 * object's ownerReferences) and its dependents (the nodes that name it as an owner).
 */
import type { OwnerReference } from '../../client/object.js';

/** Where an object is: its owner-reference coordinates plus its namespace ('' when cluster-scoped). */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

/** Upstream's rendering of an object reference in messages and events. */
export function identityText(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

/** Whether two identities are the same coordinates. */
export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

/** Whether an owner reference names exactly these coordinates (uid, name, kind, apiVersion). */
export function referenceMatches(ref: OwnerReference, id: Pick<ObjectIdentity, 'uid' | 'name' | 'kind' | 'apiVersion'>): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

/** The identity an owner reference gives its owner, in the dependent's namespace. */
export function identityOfReference(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

/** A key for caches of identities. */
export function identityKey(id: ObjectIdentity): string {
  return `${id.apiVersion}|${id.kind}|${id.namespace}|${id.name}|${id.uid}`;
}

/** One node of the graph. */
export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[] = [];
  /** The object has a deletionTimestamp. */
  beingDeleted = false;
  /** The object is being deleted in the foreground (deletionTimestamp and `foregroundDeletion`). */
  deletingDependents = false;
  /** Not observed through an informer yet: known only from dependents' references. */
  virtual = false;

  constructor(public identity: ObjectIdentity) {}

  /** A copy with the same owners, dependents and flags (the dependents set is copied). */
  clone(): GraphNode {
    const n = new GraphNode({ ...this.identity });
    n.owners = this.owners;
    for (const d of this.dependents) n.dependents.add(d);
    n.beingDeleted = this.beingDeleted;
    n.deletingDependents = this.deletingDependents;
    n.virtual = this.virtual;
    return n;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion set. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true));
  }
}

/** The graph: nodes by uid. */
export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  set(node: GraphNode): void {
    this.nodes.set(node.identity.uid, node);
  }

  delete(uid: string): void {
    this.nodes.delete(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Whether the graph holds `uid` (for tests and debugging). */
  has(uid: string): boolean {
    return this.nodes.has(uid);
  }
}
