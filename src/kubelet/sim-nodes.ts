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
  /** Most heartbeat writes in flight at once, and most pod writes (default 64 each). */
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
  // A node cut off from the API cannot write events; they are dropped, not queued.
  const podEvent: PodEventFn | undefined = podEvents && recorder
    ? (pod, type, reason, message, fieldPath) => { if (!agent?.heartbeatPaused) recorder.event(podRef(pod), type, reason, message, fieldPath); }
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

/** The shared machinery of one set of simulated nodes. */
class Simulation implements SimulatedNodes {
  readonly names: readonly string[];
  private readonly agents = new Map<string, NodeAgent>();
  private readonly limiter: Limiter;
  private readonly writer: PodStatusWriter;
  private readonly nodeInformer: SharedInformer;
  private readonly podInformer: SharedInformer;
  private readonly ctx: AgentContext;
  private ticker?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly o: SimulatedNodesOptions) {
    const clock = o.clock ?? Date.now;
    const log = o.log ?? ((m: string) => process.emitWarning(m, 'KubeletWarning'));
    // Heartbeats and pod writes are bounded separately: a flood of pod updates must not delay
    // lease renewals past the grace period, nor renewals of thousands of nodes hold pods back.
    this.limiter = new Limiter(o.concurrency ?? 64);
    this.writer = new PodStatusWriter(o.client, new Limiter(o.concurrency ?? 64), log, (node) => this.agents.get(node)?.heartbeatPaused ?? false);
    this.nodeInformer = new SharedInformer(o.client.nodes, { log });
    this.podInformer = new SharedInformer(o.client.pods, { fieldSelector: 'spec.nodeName!=', log });
    this.ctx = {
      client: o.client, limiter: this.limiter, writer: this.writer, settings: resolveSettings(o), clock, log,
      nodeFromApi: (name) => this.nodeInformer.store.get(name),
    };
    const first = o.firstIndex ?? 0;
    for (let i = 0; i < o.count; i++) {
      const a = makeAgent(o, this.ctx, first + i);
      this.agents.set(a.name, a);
    }
    this.names = [...this.agents.keys()];
    const byNode = (pod: KubeObject) => this.agents.get(pod.spec?.nodeName ?? '');
    this.podInformer.addEventHandler({
      onAdd: (pod) => byNode(pod)?.onPod(pod),
      onUpdate: (_old, pod) => byNode(pod)?.onPod(pod),
      onDelete: (pod) => byNode(pod)?.onPodDeleted(pod),
    });
  }

  /** Registers every node, starts the informers and the heartbeat ticker. */
  async start(): Promise<void> {
    this.o.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    this.nodeInformer.start();
    try {
      await mapLimited([...this.agents.values()], this.limiter.concurrency, (a) => a.register());
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.podInformer.start();
    await Promise.all([this.nodeInformer.waitForSync(this.o.signal), this.podInformer.waitForSync(this.o.signal)]);
    const s = this.ctx.settings;
    const tickMs = Math.min(1000, Math.max(20, Math.min(s.leaseRenewIntervalMs, s.nodeStatusUpdateFrequencyMs) / 5));
    this.ticker = setInterval(() => {
      const now = this.ctx.clock();
      for (const a of this.agents.values()) a.tick(now);
    }, tickMs);
    this.ticker.unref();
  }

  pauseHeartbeat(name: string): void {
    this.known(name).pauseHeartbeat();
  }

  resumeHeartbeat(name: string): void {
    this.known(name).resumeHeartbeat();
    this.writer.resumeNode(name);
  }

  agent(name: string): NodeAgent | undefined {
    return this.agents.get(name);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.ticker);
    for (const a of this.agents.values()) a.close();
    this.writer.close();
    await Promise.all([this.podInformer.stop(), this.nodeInformer.stop()]);
  }

  private known(name: string): NodeAgent {
    const a = this.agents.get(name);
    if (!a) throw new Error(`no simulated node named "${name}"`);
    return a;
  }
}

/**
 * Starts `count` simulated nodes: registers their Node and Lease objects (with bounded
 * concurrency), then runs the pods bound to them (pods whose spec.nodeName names one of them)
 * and keeps their heartbeats going. Resolves once every node is registered and the informers
 * have synced.
 */
export async function startSimulatedNodes(o: SimulatedNodesOptions): Promise<SimulatedNodes> {
  const sim = new Simulation(o);
  await sim.start();
  return sim;
}
