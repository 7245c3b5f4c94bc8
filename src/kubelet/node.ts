/**
 * One node's kubelet: registers the Node and its Lease, renews the lease, reports node status
 * when it changes (or every report period), and runs the pods bound to it through its runtime
 * with a {@link PodWorker} each. Many agents share one client, one limit on concurrent heartbeat
 * writes and one pod status writer (see sim-nodes.ts); the timing of heartbeats is driven from outside through
 * {@link NodeAgent.tick}.
 */
import { randomUUID } from 'node:crypto';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject } from '../client/object.js';
import { NODE_CONDITIONS, NODE_LEASE_NAMESPACE } from './constants.js';
import type { PodEventFn } from './container-steps.js';
import { heartbeatPatch, initialNode, nodeStatus, type NodeIdentity } from './node-object.js';
import { newNodeLease, renewedLease } from './lease.js';
import type { Limiter } from './limiter.js';
import { PodWorker, type PodWorkerHost } from './pod-worker.js';
import type { ContainerRuntime } from './runtime/runtime.js';
import type { PodStatusWriter } from './status-writer.js';

/** Timings and behaviour shared by the agents of one simulation. */
export interface AgentSettings {
  leaseDurationSeconds: number;
  leaseRenewIntervalMs: number;
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
  podRunTimeMs: number;
  initContainerRunTimeMs: number;
  nodeEvents: boolean;
}

/** What agents share. */
export interface AgentContext {
  client: KubeClient;
  /** Bounds the node and lease writes of all agents (pod writes have their own bound, so neither starves the other). */
  limiter: Limiter;
  writer: PodStatusWriter;
  settings: AgentSettings;
  clock: () => number;
  log(message: string): void;
  /** The Node as the API last showed it (the shared node informer). */
  nodeFromApi(name: string): KubeObject | undefined;
}

/** The runtime an agent drives, with the name that prefixes container IDs. */
export interface AgentRuntime {
  runtime: ContainerRuntime;
  runtimeName: string;
  /** Switches the pod address range (an existing Node keeps the pod CIDR it was given first). */
  usePodCidr?(cidr: string): void;
  close(): void;
}

/** The kubelet of one node. */
export class NodeAgent {
  readonly name: string;
  private uid?: string;
  private lease?: KubeObject;
  private readonly workers = new Map<string, PodWorker>();
  private readonly owners = new Map<string, PodWorker>();
  /** Pod changes that arrived while the node was cut off, by UID: applied when it reconnects. */
  private readonly held = new Map<string, { pod: KubeObject; deleted: boolean }>();
  private paused = false;
  private nextLeaseAt = Infinity;
  private nextStatusAt = Infinity;
  private lastReportAt = 0;
  private leaseBusy = false;
  private statusBusy = false;
  private readonly host: PodWorkerHost;
  private unsubscribe?: () => void;

  constructor(
    private readonly ctx: AgentContext,
    readonly identity: NodeIdentity,
    private readonly rt: AgentRuntime,
    private readonly recorder?: EventRecorder,
    podEvent?: PodEventFn,
  ) {
    this.name = identity.name;
    const agent = this;
    this.host = {
      nodeName: identity.name, hostIp: identity.internalIp, runtime: rt.runtime, runtimeName: rt.runtimeName,
      writer: ctx.writer, clock: ctx.clock, event: podEvent,
      podRunTimeMs: ctx.settings.podRunTimeMs, initContainerRunTimeMs: ctx.settings.initContainerRunTimeMs,
      own: (id, w) => (w ? agent.owners.set(id, w) : agent.owners.delete(id)),
      finished: (uid) => agent.workers.delete(uid),
      log: (m) => ctx.log(`node ${agent.name}: ${m}`),
    };
    this.unsubscribe = rt.runtime.onContainerEvent((e) => this.owners.get(e.containerId)?.poke());
  }

  /** The worker of a pod by UID (tests and the runtime's exit rules use it). */
  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  /** How many pods the agent tracks. */
  get podCount(): number {
    return this.workers.size;
  }

  /** Whether heartbeats (lease renewals and node status) are paused. */
  get heartbeatPaused(): boolean {
    return this.paused;
  }

  /** Creates the Node (or adopts an existing one) and the node's Lease. */
  async register(): Promise<void> {
    const now = this.ctx.clock();
    let node: KubeObject;
    try {
      node = await this.ctx.limiter.run(() => this.ctx.client.nodes.create(initialNode(this.identity, now)));
      this.nodeEvents();
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await this.ctx.limiter.run(() => this.ctx.client.nodes.get(this.name));
      const cidr = node.spec?.podCIDR;
      if (cidr && cidr !== this.identity.podCidr) this.rt.usePodCidr?.(cidr);
      // A kubelet that restarts reports its whole status again (capacity, addresses, node info).
      const status = nodeStatus(this.identity, now, node.status?.conditions ?? []);
      node = await this.ctx.limiter.run(() => this.ctx.client.nodes.patch(this.name, { status }, { type: 'strategic', subresource: 'status' }));
    }
    this.uid = node.metadata.uid as string;
    this.lastReportAt = now;
    await this.renewLease();
    this.nextStatusAt = now + this.ctx.settings.nodeStatusUpdateFrequencyMs;
  }

  /** Does the heartbeat work that is due at `now` (called often by the shared ticker). */
  tick(now: number): void {
    if (this.paused) return;
    if (now >= this.nextLeaseAt && !this.leaseBusy) {
      this.leaseBusy = true;
      this.renewLease().catch((err) => this.ctx.log(`node ${this.name}: lease renewal failed: ${(err as Error)?.message ?? err}`)).finally(() => { this.leaseBusy = false; });
    }
    if (now >= this.nextStatusAt && !this.statusBusy) {
      this.statusBusy = true;
      this.nextStatusAt = now + this.ctx.settings.nodeStatusUpdateFrequencyMs;
      this.syncStatus(now)
        .catch((err) => {
          // A deleted Node is not registered again (as upstream's kubelet): nothing to report.
          if (!isNotFound(err)) this.ctx.log(`node ${this.name}: status update failed: ${(err as Error)?.message ?? err}`);
        })
        .finally(() => { this.statusBusy = false; });
    }
  }

  /**
   * Cuts the node off from the API: no lease renewals, no node status, pod changes from the API
   * are held back until {@link resumeHeartbeat}; its pods keep running locally (their status
   * writes are held back by the shared writer, their events dropped).
   */
  pauseHeartbeat(): void {
    this.paused = true;
  }

  /** Resumes heartbeats at once and catches up with the pod changes missed meanwhile. */
  resumeHeartbeat(): void {
    if (!this.paused) return;
    this.paused = false;
    const now = this.ctx.clock();
    this.nextLeaseAt = now;
    this.nextStatusAt = now;
    this.tick(now);
    const held = [...this.held.values()];
    this.held.clear();
    for (const h of held) (h.deleted ? this.onPodDeleted(h.pod) : this.onPod(h.pod));
  }

  /** A pod bound to this node was added or changed (held back while the node is cut off). */
  onPod(pod: KubeObject): void {
    const uid = pod.metadata.uid as string;
    if (this.paused) {
      this.held.set(uid, { pod, deleted: false });
      return;
    }
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = new PodWorker(this.host, pod)));
    w.update(pod);
  }

  /** A pod bound to this node is gone from the API (held back while the node is cut off). */
  onPodDeleted(pod: KubeObject): void {
    if (this.paused) {
      this.held.set(pod.metadata.uid as string, { pod, deleted: true });
      return;
    }
    this.workers.get(pod.metadata.uid as string)?.remove();
  }

  /** How the simulated runtime should end a container (looked up by the pod's UID). */
  exitFor(podUid: string, containerName: string) {
    return this.workers.get(podUid)?.exitFor(containerName) ?? null;
  }

  /** Stops timers and the runtime; nothing is written afterwards. */
  close(): void {
    this.paused = true;
    for (const w of this.workers.values()) w.close();
    this.unsubscribe?.();
    this.rt.close();
  }

  private async renewLease(): Promise<void> {
    const s = this.ctx.settings;
    const now = this.ctx.clock();
    const jitter = Math.random() * 0.04 * s.leaseRenewIntervalMs;
    this.nextLeaseAt = now + s.leaseRenewIntervalMs + jitter;
    const leases = this.ctx.client.leases;
    if (this.lease) {
      try {
        this.lease = await this.ctx.limiter.run(() => leases.update(renewedLease(this.lease!, this.name, s.leaseDurationSeconds, now)));
        return;
      } catch (err) {
        if (!isConflict(err) && !isNotFound(err)) throw err;
      }
    }
    try {
      this.lease = await this.ctx.limiter.run(() => leases.create(newNodeLease(this.name, this.uid, s.leaseDurationSeconds, now)));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const current = await this.ctx.limiter.run(() => leases.get(this.name, NODE_LEASE_NAMESPACE));
      this.lease = await this.ctx.limiter.run(() => leases.update(renewedLease(current, this.name, s.leaseDurationSeconds, now)));
    }
  }

  /**
   * Posts node status when the API's conditions differ from the kubelet's view (another
   * component, such as the node lifecycle controller, changed them), or when the report period
   * has passed since the last post.
   */
  private async syncStatus(now: number): Promise<void> {
    const apiConditions: any[] = this.ctx.nodeFromApi(this.name)?.status?.conditions ?? [];
    const differs = NODE_CONDITIONS.some((c) => {
      const a = apiConditions.find((x) => x?.type === c.type);
      return !a || a.status !== c.status || a.reason !== c.reason || a.message !== c.message;
    });
    if (!differs && now - this.lastReportAt < this.ctx.settings.nodeStatusReportFrequencyMs) return;
    await this.postStatus(now, apiConditions);
    if (differs && this.ctx.settings.nodeEvents) {
      const ready = apiConditions.find((x) => x?.type === 'Ready');
      if (ready && ready.status !== 'True') this.nodeStatusEvent('NodeReady');
    }
  }

  private async postStatus(now: number, previousConditions: any[]): Promise<void> {
    await this.ctx.limiter.run(() => this.ctx.client.nodes.patch(this.name, heartbeatPatch(now, previousConditions), { type: 'strategic', subresource: 'status' }));
    this.lastReportAt = now;
  }

  /** The events a kubelet records about its node when it starts and registers. */
  private nodeEvents(): void {
    if (!this.ctx.settings.nodeEvents || !this.recorder) return;
    this.recorder.event(this.nodeRef(), 'Normal', 'Starting', 'Starting kubelet.');
    for (const s of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) this.nodeStatusEvent(s);
    this.recorder.event(this.nodeRef(), 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    this.nodeStatusEvent('NodeReady');
  }

  private nodeStatusEvent(status: string): void {
    this.recorder?.event(this.nodeRef(), 'Normal', status, `Node ${this.name} status is now: ${status}`);
  }

  /** The kubelet's reference to its node: kind Node, and the node's name as UID, as upstream's kubelet uses. */
  private nodeRef(): KubeObject {
    return { kind: 'Node', metadata: { name: this.name, uid: this.name } };
  }
}

/** Fresh machine identifiers for a simulated node. */
export function machineIds(): { machineId: string; systemUuid: string; bootId: string } {
  return { machineId: randomUUID().replace(/-/g, ''), systemUuid: randomUUID(), bootId: randomUUID() };
}

