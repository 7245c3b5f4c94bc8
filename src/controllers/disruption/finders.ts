/**
 * Finding the controller of a pod and its scale (the disruption controller's finders): a
 * ReplicationController, a Deployment through its ReplicaSet, a bare ReplicaSet, a StatefulSet,
 * else any kind with a scale subresource.
 */
import { BUILTIN_TYPES, isNotFound, type KubeClient, type KubeObject, type SharedInformer } from '../../client/index.js';
import type { OwnerReference } from '../util/types.js';
import { getControllerOf } from '../util/owner-refs.js';

/** A controller's uid and desired replicas. */
export interface ControllerScale {
  uid: string;
  scale: number;
}

/** The stores the finders read. */
export interface FinderSources {
  client: KubeClient;
  rcs: SharedInformer<KubeObject>;
  rss: SharedInformer<KubeObject>;
  deployments: SharedInformer<KubeObject>;
  statefulSets: SharedInformer<KubeObject>;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** `ref` names `kind` in one of `groups` (`verifyGroupKind`). */
function refIs(ref: OwnerReference, kind: string, groups: string[]): boolean {
  return ref.kind === kind && groups.includes(groupOf(ref.apiVersion));
}

function lookup(inf: SharedInformer<KubeObject>, namespace: string, ref: OwnerReference): KubeObject | undefined {
  const obj = inf.store.getByName(namespace, ref.name);
  return obj && obj.metadata.uid === ref.uid ? obj : undefined;
}

const replicas = (o: KubeObject) => (typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1);

function replicationController(src: FinderSources, ref: OwnerReference, ns: string): ControllerScale | undefined {
  if (!refIs(ref, 'ReplicationController', [''])) return undefined;
  const rc = lookup(src.rcs, ns, ref);
  return rc && { uid: rc.metadata.uid ?? '', scale: replicas(rc) };
}

function deploymentOfReplicaSet(src: FinderSources, ref: OwnerReference, ns: string): ControllerScale | undefined {
  if (!refIs(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
  const rs = lookup(src.rss, ns, ref);
  const dRef = rs && getControllerOf(rs as any);
  if (!dRef || !refIs(dRef, 'Deployment', ['apps', 'extensions'])) return undefined;
  const d = lookup(src.deployments, ns, dRef);
  return d && { uid: d.metadata.uid ?? '', scale: replicas(d) };
}

function bareReplicaSet(src: FinderSources, ref: OwnerReference, ns: string): ControllerScale | undefined {
  if (!refIs(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
  const rs = lookup(src.rss, ns, ref);
  if (!rs || getControllerOf(rs as any)?.kind === 'Deployment') return undefined;
  return { uid: rs.metadata.uid ?? '', scale: replicas(rs) };
}

function statefulSet(src: FinderSources, ref: OwnerReference, ns: string): ControllerScale | undefined {
  if (!refIs(ref, 'StatefulSet', ['apps'])) return undefined;
  const ss = lookup(src.statefulSets, ns, ref);
  return ss && { uid: ss.metadata.uid ?? '', scale: replicas(ss) };
}

/** Built-in kinds that serve a scale subresource. */
const SCALABLE = new Set(['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers']);

/** Any other kind through its scale subresource (`getScaleController`). */
async function scaleController(src: FinderSources, ref: OwnerReference, ns: string): Promise<ControllerScale | undefined> {
  const group = groupOf(ref.apiVersion);
  const version = versionOf(ref.apiVersion);
  const type = BUILTIN_TYPES.find((t) => t.group === group && t.kind === ref.kind && t.version === version);
  if (!type) throw new Error(`no matches for kind ${JSON.stringify(ref.kind)} in version ${JSON.stringify(ref.apiVersion)}`);
  const gr = type.group ? `${type.plural}.${type.group}` : type.plural;
  try {
    const scale = await src.client.rest.request<KubeObject>({ method: 'GET', path: src.client.resource(type).path(ns, ref.name, 'scale') });
    if (scale.metadata.uid !== ref.uid) return undefined;
    return { uid: scale.metadata.uid ?? '', scale: scale.spec?.replicas ?? 0 };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (!SCALABLE.has(type.plural)) throw new Error(`${gr} does not implement the scale subresource`);
    return undefined;
  }
}

/** The controller of `ref` and its scale, trying each finder in upstream's order. */
export async function findControllerScale(src: FinderSources, ref: OwnerReference, ns: string): Promise<ControllerScale | undefined> {
  return replicationController(src, ref, ns)
    ?? deploymentOfReplicaSet(src, ref, ns)
    ?? bareReplicaSet(src, ref, ns)
    ?? statefulSet(src, ref, ns)
    ?? scaleController(src, ref, ns);
}
