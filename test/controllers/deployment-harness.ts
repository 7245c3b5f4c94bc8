/**
 * What the deployment and replicaset integration tests share: an in-process cluster with only
 * those two controllers running (no scheduler, no kubelet), a stand-in kubelet that binds pods and
 * marks them Running and Ready through the API, and polling helpers.
 */
import { execFile } from 'node:child_process';
import { KubeClient, type KubeObject } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';

/** A running cluster with the two workload controllers. */
export interface WorkloadCluster {
  cluster: Cluster;
  /** An admin client for the test's own requests. */
  client: KubeClient;
  /** Stops the cluster (controllers first). */
  stop(): Promise<void>;
}

/**
 * Starts a cluster whose in-process controller manager runs only the deployment and replicaset
 * controllers (no leader election), and waits for their caches.
 */
export async function startWorkloadCluster(): Promise<WorkloadCluster> {
  const cluster = await startCluster({ controllers: ['deployment', 'replicaset'], leaderElect: false });
  const client = new KubeClient(cluster.adminConfig);
  await cluster.controllerManager!.synced();
  return {
    cluster, client,
    async stop() {
      client.close();
      await cluster.stop();
    },
  };
}

/** Polls `check` until it returns a value other than undefined; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A Deployment manifest whose pods terminate at once (grace period 0). */
export function deploymentManifest(name: string, namespace: string, replicas: number, image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image }] },
      },
      ...extra,
    },
  };
}

/** Binds a pod to `node` and reports it Running and Ready, as a kubelet would. */
export async function makePodReady(client: KubeClient, namespace: string, name: string, node = 'node-1'): Promise<void> {
  let pod = await client.pods.get(name, namespace);
  if (!pod.spec?.nodeName) {
    await client.pods.createSubresource(name, 'binding', {
      apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node },
    }, namespace);
    pod = await client.pods.get(name, namespace);
  }
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  pod.status = {
    ...pod.status, phase: 'Running', startTime: now,
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'Ready', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
    ],
  };
  await client.pods.updateStatus(pod);
}

/**
 * A stand-in kubelet for one namespace: every pod that appears (and is not being deleted) is
 * bound and made Ready, unless `hold` says to leave it pending. Stops with the returned function.
 */
export function autoReady(client: KubeClient, namespace: string, hold: (pod: KubeObject) => boolean = () => false): () => Promise<void> {
  const abort = new AbortController();
  const done = (async () => {
    const handled = new Set<string>();
    while (!abort.signal.aborted) {
      try {
        for await (const ev of client.pods.watch({ namespace, signal: abort.signal })) {
          const pod = ev.object;
          const uid = pod.metadata.uid ?? '';
          if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
          if (handled.has(uid) || pod.metadata.deletionTimestamp || hold(pod)) continue;
          handled.add(uid);
          await makePodReady(client, namespace, pod.metadata.name ?? '').catch(() => handled.delete(uid));
        }
      } catch {
        // The watch ended (abort or a dropped connection); start again unless stopping.
      }
    }
  })();
  return async () => {
    abort.abort();
    await done;
  };
}

/** Events of a namespace as `component reason: message` lines about `kind/name`, oldest first. */
export async function eventLines(client: KubeClient, namespace: string, kind?: string, name?: string): Promise<string[]> {
  const list = await client.events.list({ namespace });
  return list.items
    .filter((e: any) => (!kind || e.involvedObject.kind === kind) && (!name || e.involvedObject.name === name))
    .sort((a: any, b: any) => (a.firstTimestamp < b.firstTimestamp ? -1 : a.firstTimestamp > b.firstTimestamp ? 1 : 0))
    .map((e: any) => `${e.source?.component} ${e.reason}: ${e.message}`);
}

/** Creates a namespace. */
export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** The outcome of one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl (default: the one on PATH) against the cluster (admin kubeconfig, HOME inside the data directory). */
export function kubectl(cluster: Cluster, args: string[], binary = 'kubectl'): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(binary, ['--kubeconfig', cluster.kubeconfigPath, ...args], { env: { ...process.env, HOME: cluster.dataDir }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** Waits until a Deployment reports a finished rollout of its current generation, and returns it. */
export function waitComplete(client: KubeClient, namespace: string, name: string, timeoutMs = 20_000): Promise<KubeObject> {
  return waitFor(`deployment ${namespace}/${name} to complete`, async () => {
    const d = await client.deployments.get(name, namespace);
    const s = d.status ?? {};
    const want = d.spec.replicas;
    const progressing = (s.conditions ?? []).find((c: any) => c.type === 'Progressing');
    const done = s.observedGeneration >= d.metadata.generation! && (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want
      && (s.availableReplicas ?? 0) === want && progressing?.reason === 'NewReplicaSetAvailable';
    return done ? d : undefined;
  }, timeoutMs);
}

/** The Deployment's ReplicaSets, oldest first (by revision). */
export async function replicaSetsOf(client: KubeClient, namespace: string, name: string): Promise<KubeObject[]> {
  const list = await client.replicaSets.list({ namespace });
  return list.items
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === name))
    .sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
}

/**
 * True when the controllers have caught up with a Deployment: every ReplicaSet observed its
 * generation and has as many pods as it wants, and the Deployment's status adds them up.
 */
export async function settled(client: KubeClient, namespace: string, name: string): Promise<boolean> {
  const d = await client.deployments.get(name, namespace);
  const rss = await replicaSetsOf(client, namespace, name);
  const pods = (await client.pods.list({ namespace })).items.filter((p) => !p.metadata.deletionTimestamp);
  const sum = (f: (rs: KubeObject) => number) => rss.reduce((n, rs) => n + f(rs), 0);
  const rsOk = rss.every((rs) => (rs.status?.observedGeneration ?? 0) === rs.metadata.generation && (rs.status?.replicas ?? 0) === rs.spec.replicas
    && pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid)).length === rs.spec.replicas);
  const s = d.status ?? {};
  return rsOk && (s.observedGeneration ?? 0) === d.metadata.generation && (s.replicas ?? 0) === sum((rs) => rs.status?.replicas ?? 0)
    && (s.availableReplicas ?? 0) === sum((rs) => rs.status?.availableReplicas ?? 0) && sum((rs) => rs.spec.replicas) === pods.length;
}

/**
 * Events are written in the background: waits until `kind/name` has at least `count` event lines
 * (see {@link eventLines}) and returns them.
 */
export function waitEventLines(client: KubeClient, namespace: string, kind: string, name: string, count: number): Promise<string[]> {
  return waitFor(`${count} events of ${kind} ${namespace}/${name}`, async () => {
    const lines = await eventLines(client, namespace, kind, name);
    return lines.length >= count ? lines : undefined;
  });
}

/** Waits until `kind/name` has an event with exactly this line. */
export async function waitEventLine(client: KubeClient, namespace: string, kind: string, name: string, line: string): Promise<void> {
  await waitFor(`event "${line}"`, async () => ((await eventLines(client, namespace, kind, name)).includes(line) ? true : undefined));
}
