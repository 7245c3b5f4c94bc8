/**
 * Test doubles for the deployment sync logic: an in-memory {@link DeploymentDeps} that records
 * events, ReplicaSet writes and status writes, and builders of Deployments and ReplicaSets in the
 * shape the API server stores them (defaults applied).
 */
import { StatusError } from '../../src/client/index.js';
import type { DeploymentDeps } from '../../src/controllers/deployment/deps.js';
import { buildNewReplicaSet } from '../../src/controllers/deployment/new-replicaset.js';
import { formatTime } from '../../src/controllers/util/time.js';
import type { Deployment, DeploymentStatus, IntOrString, ReplicaSet } from '../../src/controllers/util/types.js';

export const T0 = Date.parse('2024-05-01T10:00:00Z');

/** An in-memory DeploymentDeps. */
export class FakeDeps implements DeploymentDeps {
  nowMs = T0;
  readonly events: string[] = [];
  readonly rss = new Map<string, ReplicaSet>();
  readonly statusWrites: DeploymentStatus[] = [];
  readonly deploymentWrites: Deployment[] = [];
  readonly deleted: string[] = [];
  readonly requeues: string[] = [];
  private rv = 100;

  constructor(initial: ReplicaSet[] = []) {
    for (const rs of initial) this.rss.set(rs.metadata.name!, structuredClone(rs));
  }

  now(): number { return this.nowMs; }
  event(_d: Deployment, type: string, reason: string, message: string): void { this.events.push(`${type} ${reason} ${message}`); }
  async createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const name = rs.metadata.name!;
    if (this.rss.has(name)) throw new StatusError(409, { reason: 'AlreadyExists', message: `replicasets.apps "${name}" already exists` });
    const created = structuredClone(rs);
    Object.assign(created.metadata, { uid: `uid-${name}`, creationTimestamp: formatTime(this.nowMs), generation: 1, resourceVersion: String(++this.rv) });
    this.rss.set(name, created);
    return structuredClone(created);
  }
  async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const stored = structuredClone(rs);
    stored.metadata.resourceVersion = String(++this.rv);
    this.rss.set(rs.metadata.name!, stored);
    return structuredClone(stored);
  }
  async deleteReplicaSet(_ns: string, name: string): Promise<void> { this.deleted.push(name); this.rss.delete(name); }
  cachedReplicaSet(_ns: string, name: string): ReplicaSet | undefined { return this.rss.get(name); }
  async updateDeployment(d: Deployment): Promise<Deployment> { this.deploymentWrites.push(structuredClone(d)); return d; }
  async updateDeploymentStatus(d: Deployment): Promise<Deployment> {
    this.statusWrites.push(structuredClone(d.status ?? {}));
    return { ...d, metadata: { ...d.metadata, resourceVersion: String(++this.rv) } };
  }
  enqueueAfter(_d: Deployment, ms: number): void { this.requeues.push(`after ${ms}`); }
  enqueueRateLimited(): void { this.requeues.push('rate-limited'); }
  /** The ReplicaSets as a list, oldest first. */
  list(): ReplicaSet[] { return [...this.rss.values()].map((r) => structuredClone(r)); }
}

/** Options of {@link deployment}. */
export interface DeploymentOptions {
  replicas?: number;
  image?: string;
  strategy?: 'RollingUpdate' | 'Recreate';
  maxSurge?: IntOrString;
  maxUnavailable?: IntOrString;
  generation?: number;
  status?: DeploymentStatus;
  revisionHistoryLimit?: number;
  paused?: boolean;
  annotations?: Record<string, string>;
}

/** A stored Deployment `web` in namespace `ns`. */
export function deployment(o: DeploymentOptions = {}): Deployment {
  const strategy = o.strategy ?? 'RollingUpdate';
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: o.generation ?? 1, resourceVersion: '1', annotations: o.annotations },
    spec: {
      replicas: o.replicas ?? 3, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: o.image ?? 'nginx:1' }] } },
      strategy: strategy === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge ?? '25%', maxUnavailable: o.maxUnavailable ?? '25%' } },
      revisionHistoryLimit: o.revisionHistoryLimit ?? 10, progressDeadlineSeconds: 600, paused: o.paused,
    },
    status: o.status ?? {},
  };
}

/** A ReplicaSet of `d` for `image`, created `ageS` seconds before T0, with its pods all available. */
export function replicaSetOf(d: Deployment, image: string, o: { replicas: number; revision: number; available?: number; ageS?: number; maxReplicas?: number; desired?: number }): ReplicaSet {
  const copy = structuredClone(d);
  copy.spec.template!.spec.containers[0].image = image;
  const rs = buildNewReplicaSet(copy);
  const available = o.available ?? o.replicas;
  rs.metadata.uid = `uid-${rs.metadata.name}`;
  rs.metadata.creationTimestamp = formatTime(T0 - (o.ageS ?? 0) * 1000);
  rs.metadata.generation = 1;
  rs.metadata.annotations = {
    'deployment.kubernetes.io/revision': String(o.revision),
    'deployment.kubernetes.io/desired-replicas': String(o.desired ?? d.spec.replicas),
    'deployment.kubernetes.io/max-replicas': String(o.maxReplicas ?? (d.spec.replicas ?? 1) + 1),
  };
  rs.spec.replicas = o.replicas;
  rs.status = { replicas: o.replicas, fullyLabeledReplicas: o.replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 };
  return rs;
}
