/**
 * Many simulated nodes in one process, cheap enough for thousands: one pod informer and one
 * node informer for all of them, one heartbeat ticker, one status writer and one limit on
 * concurrent API writes. Each node has its own in-memory runtime and its own event source
 * (`kubelet` on host `<node>`).
 */
import { SharedInformer } from '../client/cache/informer.js';
import { EventRecorder } from '../client/events.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject } from '../client/object.js';
import type { PodEventFn } from './container-steps.js';
import { DEFAULT_LEASE_DURATION_SECONDS, DEFAULT_LEASE_RENEW_INTERVAL_MS } from './lease.js';
import { Limiter, mapLimited } from './limiter.js';
import { machineIds, NodeAgent, type AgentContext, type AgentSettings } from './node.js';
import type { ResourceList } from './node-object.js';
import { nthSubnet, numberToIp, parseCidr } from './runtime/simulated/ip-pool.js';
import { SIM_RUNTIME_NAME, SIM_RUNTIME_VERSION, SimulatedRuntime } from './runtime/simulated/runtime.js';
import { PodStatusWriter } from './status-writer.js';

/** Options of {@link startSimulatedNodes}. */
export interface SimulatedNodesOptions {
  /** The client all nodes write with (its identity is the nodes' identity). */
  client: KubeClient;
  /** How many nodes. */
  count: number;
  /** Node names are `<namePrefix><index>` (default `sim-node-`). */
  namePrefix?: string;
  /** The index of the first node (default 0); it also picks the node's pod CIDR and IP. */
  firstIndex?: number;
  /** Stops every node when aborted. */
  signal?: AbortSignal;
  /** Lease duration (default 40 s) and renew interval (default 10 s). */
  leaseDurationSeconds?: number;
  leaseRenewIntervalMs?: number;
  /** How often node status is computed (default 10 s) and posted without changes (default 5 min). */
  nodeStatusUpdateFrequencyMs?: number;
  nodeStatusReportFrequencyMs?: number;
  /** How long containers of restartPolicy Never/OnFailure pods run before exiting 0 (default 5 s). */
  podRunTimeMs?: number;
  /** How long init containers run (default 0). */
  initContainerRunTimeMs?: number;
  /** How long starting a container takes (default 0) and pulling an image (default 0). */
  containerStartDelayMs?: number;
  imagePullDelayMs?: number;
  /** Node capacity (default 4 CPUs, 16Gi, 110 pods, 100Gi disk) and allocatable (default: capacity less eviction thresholds). */
  capacity?: ResourceList;
  allocatable?: ResourceList;
  /** Extra node labels, taints to register with, and the instance type label. */
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  instanceType?: string;
  /** Pod CIDRs are the index-th `/nodeCidrMaskSize` of this range (default 10.244.0.0/16, or 10.128.0.0/9 past 256 nodes). */
  clusterCidr?: string;
  nodeCidrMaskSize?: number;
  /** Node IPs are the (index + 2)-th address of this range (default 172.18.0.0/16). */
  nodeIpCidr?: string;
  /** Most API writes in flight at once (default 64). */
  concurrency?: number;
  /** Record kubelet events about pods (default true) and nodes (default: when count <= 100). */
  podEvents?: boolean;
  nodeEvents?: boolean;
  /** Where failures are reported (default: process warnings). */
  log?: (message: string) => void;
  clock?: () => number;
}

/** A running set of simulated nodes. */
export interface SimulatedNodes {
  /** The node names, by index. */
  readonly names: readonly string[];
  /**
   * Cuts a node off from the API: no lease renewals, no node or pod status, no pod deletions (its
   * pods keep running locally). Throws for an unknown node.
   */
  pauseHeartbeat(nodeName: string): void;
  /** Reconnects a node: heartbeats resume at once and held-back pod writes go out. */
  resumeHeartbeat(nodeName: string): void;
  /** The agent of one node (introspection for tests). */
  agent(nodeName: string): NodeAgent | undefined;
  /** Stops every node: no more writes; the Node and Lease objects stay. */
  stop(): Promise<void>;
}

function resolveSettings(o: SimulatedNodesOptions): AgentSettings {
  return {
    leaseDurationSeconds: o.leaseDurationSeconds ?? DEFAULT_LEASE_DURATION_SECONDS,
    leaseRenewIntervalMs: o.leaseRenewIntervalMs ?? DEFAULT_LEASE_RENEW_INTERVAL_MS,
    nodeStatusUpdateFrequencyMs: o.nodeStatusUpdateFrequencyMs ?? 10_000,
    nodeStatusReportFrequencyMs: o.nodeStatusReportFrequencyMs ?? 300_000,
    podRunTimeMs: o.podRunTimeMs ?? 5_000,
    initContainerRunTimeMs: o.initContainerRunTimeMs ?? 0,
    nodeEvents: o.nodeEvents ?? o.count <= 100,
  };
}

/** Builds the agent of the node at `index`. */
function makeAgent(o: SimulatedNodesOptions, ctx: AgentContext, index: number): NodeAgent {
  const name = `${o.namePrefix ?? 'sim-node-'}${index}`;
  const last = (o.firstIndex ?? 0) + o.count;
  const clusterCidr = o.clusterCidr ?? (last <= 256 ? '10.244.0.0/16' : '10.128.0.0/9');
  const podCidr = nthSubnet(clusterCidr, o.nodeCidrMaskSize ?? 24, index);
  const ipRange = parseCidr(o.nodeIpCidr ?? '172.18.0.0/16');
  if (index + 2 >= ipRange.size - 1) throw new Error(`node index ${index} does not fit in node IP range ${o.nodeIpCidr ?? '172.18.0.0/16'}`);
  const internalIp = numberToIp(ipRange.base + index + 2);
  let agent: NodeAgent | undefined;
  const runtime = new SimulatedRuntime({
    podCidr, hostIp: internalIp, containerStartDelayMs: o.containerStartDelayMs, imagePullDelayMs: o.imagePullDelayMs, clock: ctx.clock,
    containerExit: (sb, c) => agent?.exitFor(sb.metadata.uid, c.metadata.name) ?? null,
  });
  const nodeEvents = ctx.settings.nodeEvents;
  const podEvents = o.podEvents ?? true;
  const recorder = nodeEvents || podEvents ? new EventRecorder(o.client, { component: 'kubelet', host: name }) : undefined;
  const podEvent: PodEventFn | undefined = podEvents && recorder
    ? (pod, type, reason, message) => recorder.event(podRef(pod), type, reason, message)
    : undefined;
  agent = new NodeAgent(ctx, {
    name, internalIp, podCidr, capacity: o.capacity, allocatable: o.allocatable, labels: o.labels, taints: o.taints,
    instanceType: o.instanceType, containerRuntimeVersion: `${SIM_RUNTIME_NAME}://${SIM_RUNTIME_VERSION}`, ...machineIds(),
  }, { runtime, runtimeName: SIM_RUNTIME_NAME, usePodCidr: (c) => runtime.usePodCidr(c), close: () => runtime.close() }, recorder, podEvent);
  return agent;
}

/** The reference events about a pod carry. */
function podRef(pod: KubeObject): KubeObject {
  const m = pod.metadata;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion } };
}

/**
 * Starts `count` simulated nodes: registers their Node and Lease objects (with bounded
 * concurrency), then runs the pods bound to them (pods whose spec.nodeName names one of them)
 * and keeps their heartbeats going. Resolves once every node is registered and the informers
 * have synced.
 */
export async function startSimulatedNodes(o: SimulatedNodesOptions): Promise<SimulatedNodes> {
  const clock = o.clock ?? Date.now;
  const log = o.log ?? ((m: string) => process.emitWarning(m, 'KubeletWarning'));
  const limiter = new Limiter(o.concurrency ?? 64);
  const agents = new Map<string, NodeAgent>();
  const writer = new PodStatusWriter(o.client, limiter, log, (node) => agents.get(node)?.heartbeatPaused ?? false);
  const nodeInformer = new SharedInformer(o.client.nodes, { log });
  const podInformer = new SharedInformer(o.client.pods, { fieldSelector: 'spec.nodeName!=', log });
  const ctx: AgentContext = {
    client: o.client, limiter, writer, settings: resolveSettings(o), clock, log,
    nodeFromApi: (name) => nodeInformer.store.get(name),
  };
  const first = o.firstIndex ?? 0;
  for (let i = 0; i < o.count; i++) {
    const a = makeAgent(o, ctx, first + i);
    agents.set(a.name, a);
  }
  const byNode = (pod: KubeObject) => agents.get(pod.spec?.nodeName ?? '');
  podInformer.addEventHandler({
    onAdd: (pod) => byNode(pod)?.onPod(pod),
    onUpdate: (_old, pod) => byNode(pod)?.onPod(pod),
    onDelete: (pod) => byNode(pod)?.onPodDeleted(pod),
  });
  let ticker: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(ticker);
    for (const a of agents.values()) a.close();
    writer.close();
    await Promise.all([podInformer.stop(), nodeInformer.stop()]);
  };
  o.signal?.addEventListener('abort', () => void stop(), { once: true });
  nodeInformer.start();
  try {
    await mapLimited([...agents.values()], limiter.concurrency, (a) => a.register());
  } catch (err) {
    await stop();
    throw err;
  }
  podInformer.start();
  await Promise.all([nodeInformer.waitForSync(o.signal), podInformer.waitForSync(o.signal)]);
  const s = ctx.settings;
  const tickMs = Math.min(1000, Math.max(20, Math.min(s.leaseRenewIntervalMs, s.nodeStatusUpdateFrequencyMs) / 5));
  ticker = setInterval(() => {
    const now = clock();
    for (const a of agents.values()) a.tick(now);
  }, tickMs);
  ticker.unref();
  const known = (name: string) => {
    const a = agents.get(name);
    if (!a) throw new Error(`no simulated node named "${name}"`);
    return a;
  };
  return {
    names: [...agents.keys()],
    pauseHeartbeat: (name) => known(name).pauseHeartbeat(),
    resumeHeartbeat: (name) => {
      known(name).resumeHeartbeat();
      writer.resumeNode(name);
    },
    agent: (name) => agents.get(name),
    stop,
  };
}
