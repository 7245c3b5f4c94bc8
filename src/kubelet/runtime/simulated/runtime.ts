/**
 * A container runtime without containers: sandboxes get an address from the node's pod CIDR,
 * containers "start" (after an optional delay) and, when their behaviour says so, "exit" by
 * themselves after a while. Everything lives in memory; nothing runs.
 */
import { randomBytes } from 'node:crypto';
import {
  RuntimeNotFoundError,
  type ContainerConfig, type ContainerEvent, type ContainerFilter, type ContainerRuntime, type ContainerStatus,
  type Image, type PodSandboxConfig, type PodSandboxStatus, type RuntimeVersion, type SandboxFilter,
} from '../runtime.js';
import { imageContentRef, imageDigest, normalizeImage } from '../image-ref.js';
import { IpPool } from './ip-pool.js';

/** How a started container ends by itself: after `runMs`, with `exitCode`. */
export interface ContainerExit {
  runMs: number;
  exitCode: number;
}

/** Options of {@link SimulatedRuntime}. */
export interface SimulatedRuntimeOptions {
  /** The node's pod CIDR; sandboxes take their IP from it. */
  podCidr: string;
  /** The node's IP: the IP of host-network sandboxes. */
  hostIp: string;
  /** How long startContainer takes (default 0). */
  containerStartDelayMs?: number;
  /** How long pullImage takes (default 0). */
  imagePullDelayMs?: number;
  /** Whether and when a started container exits by itself; default: it runs until stopped. */
  containerExit?: (sandbox: PodSandboxConfig, container: ContainerConfig) => ContainerExit | null;
  /** Whether every image counts as present on the node from the start (default true). */
  preloadedImages?: boolean;
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number;
}

/** The name and version the simulated runtime reports (`sim://0.1.0` in node status). */
export const SIM_RUNTIME_NAME = 'sim';
export const SIM_RUNTIME_VERSION = '0.1.0';

interface SandboxRecord {
  status: PodSandboxStatus;
  config: PodSandboxConfig;
  containers: Set<string>;
}

interface ContainerRecord {
  status: ContainerStatus;
  exitTimer?: NodeJS.Timeout;
}

const newId = () => randomBytes(32).toString('hex');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** The in-memory runtime of one simulated node. */
export class SimulatedRuntime implements ContainerRuntime {
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly images = new Map<string, Image>();
  private readonly listeners = new Set<(e: ContainerEvent) => void>();
  private pool: IpPool;
  private readonly clock: () => number;
  private closed = false;

  constructor(private readonly opts: SimulatedRuntimeOptions) {
    this.pool = new IpPool(opts.podCidr);
    this.clock = opts.clock ?? Date.now;
  }

  /** Takes pod addresses from `cidr` from now on (addresses handed out before stay valid). */
  usePodCidr(cidr: string): void {
    this.pool = new IpPool(cidr);
  }

  async version(): Promise<RuntimeVersion> {
    return { version: '0.1.0', runtimeName: SIM_RUNTIME_NAME, runtimeVersion: SIM_RUNTIME_VERSION, runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    const ip = config.hostNetwork ? this.opts.hostIp : this.pool.allocate();
    this.sandboxes.set(id, {
      config,
      containers: new Set(),
      status: {
        id, metadata: { ...config.metadata }, state: 'SANDBOX_READY', createdAt: this.clock(),
        network: { ip, additionalIps: [] }, labels: { ...config.labels }, annotations: { ...config.annotations },
      },
    });
    return id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) return;
    for (const cid of sb.containers) this.exit(cid, 0, 'Completed');
    if (sb.status.state === 'SANDBOX_READY' && !sb.config.hostNetwork) this.pool.release(sb.status.network.ip);
    sb.status.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) return;
    await this.stopPodSandbox(podSandboxId);
    for (const cid of sb.containers) await this.removeContainer(cid);
    this.sandboxes.delete(podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return structuredClone(this.sandbox(podSandboxId).status);
  }

  async listPodSandbox(filter: SandboxFilter = {}): Promise<PodSandboxStatus[]> {
    const out: PodSandboxStatus[] = [];
    for (const sb of this.sandboxes.values()) {
      const s = sb.status;
      if (filter.id && s.id !== filter.id) continue;
      if (filter.state && s.state !== filter.state) continue;
      if (!labelsMatch(s.labels, filter.labelSelector)) continue;
      out.push(structuredClone(s));
    }
    return out;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, _sandboxConfig: PodSandboxConfig): Promise<string> {
    const sb = this.sandbox(podSandboxId);
    if (sb.status.state !== 'SANDBOX_READY') throw new Error(`sandbox "${podSandboxId}" is not ready`);
    const id = newId();
    const image = normalizeImage(config.image.userSpecifiedImage || config.image.image);
    this.containers.set(id, {
      status: {
        id, podSandboxId, metadata: { ...config.metadata }, state: 'CONTAINER_CREATED', createdAt: this.clock(),
        startedAt: 0, finishedAt: 0, exitCode: 0, image: { image }, imageRef: imageContentRef(image),
        reason: '', message: '', labels: { ...config.labels }, annotations: { ...config.annotations },
      },
    });
    sb.containers.add(id);
    this.emit(id, 'CONTAINER_CREATED_EVENT');
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const rec = this.container(containerId);
    if (rec.status.state !== 'CONTAINER_CREATED') throw new Error(`container "${containerId}" is not in created state`);
    const delay = this.opts.containerStartDelayMs ?? 0;
    if (delay > 0) await sleep(delay);
    if (this.closed || rec.status.state !== 'CONTAINER_CREATED') return;
    rec.status.state = 'CONTAINER_RUNNING';
    rec.status.startedAt = this.clock();
    this.emit(containerId, 'CONTAINER_STARTED_EVENT');
    this.scheduleExit(rec);
  }

  async stopContainer(containerId: string, _timeoutSeconds: number): Promise<void> {
    this.container(containerId);
    this.exit(containerId, 0, 'Completed');
  }

  async removeContainer(containerId: string): Promise<void> {
    const rec = this.containers.get(containerId);
    if (!rec) return;
    clearTimeout(rec.exitTimer);
    this.containers.delete(containerId);
    this.sandboxes.get(rec.status.podSandboxId)?.containers.delete(containerId);
    this.emit(containerId, 'CONTAINER_DELETED_EVENT', rec.status.podSandboxId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return structuredClone(this.container(containerId).status);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const { status: s } of this.containers.values()) {
      if (filter.id && s.id !== filter.id) continue;
      if (filter.podSandboxId && s.podSandboxId !== filter.podSandboxId) continue;
      if (filter.state && s.state !== filter.state) continue;
      if (!labelsMatch(s.labels, filter.labelSelector)) continue;
      out.push(structuredClone(s));
    }
    return out;
  }

  onContainerEvent(listener: (event: ContainerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async imageStatus(image: string): Promise<Image | null> {
    const name = normalizeImage(image);
    if (!this.images.has(name) && (this.opts.preloadedImages ?? true)) this.store(name);
    return this.images.get(name) ?? null;
  }

  async pullImage(image: string): Promise<string> {
    const delay = this.opts.imagePullDelayMs ?? 0;
    if (delay > 0) await sleep(delay);
    const name = normalizeImage(image);
    if (!this.images.has(name)) this.store(name);
    return imageContentRef(name);
  }

  async listImages(): Promise<Image[]> {
    return [...this.images.values()].map((i) => structuredClone(i));
  }

  /** Stops every timer; the runtime answers nothing afterwards. */
  close(): void {
    this.closed = true;
    for (const rec of this.containers.values()) clearTimeout(rec.exitTimer);
    this.listeners.clear();
  }

  private store(name: string): void {
    const digest = imageDigest(name);
    this.images.set(name, { id: digest, repoTags: [name], repoDigests: [imageContentRef(name)], size: simulatedImageSize(digest) });
  }

  private scheduleExit(rec: ContainerRecord): void {
    const sb = this.sandboxes.get(rec.status.podSandboxId);
    const behaviour = sb && this.opts.containerExit?.(sb.config, { metadata: rec.status.metadata, image: rec.status.image, labels: rec.status.labels, annotations: rec.status.annotations });
    if (!behaviour) return;
    rec.exitTimer = setTimeout(() => {
      this.exit(rec.status.id, behaviour.exitCode, behaviour.exitCode === 0 ? 'Completed' : 'Error');
    }, Math.max(0, behaviour.runMs));
    rec.exitTimer.unref();
  }

  /** Moves a created or running container to exited and tells the listeners. */
  private exit(containerId: string, exitCode: number, reason: string): void {
    const rec = this.containers.get(containerId);
    if (!rec || rec.status.state === 'CONTAINER_EXITED') return;
    clearTimeout(rec.exitTimer);
    const now = this.clock();
    rec.status.state = 'CONTAINER_EXITED';
    rec.status.finishedAt = now;
    if (!rec.status.startedAt) rec.status.startedAt = now;
    rec.status.exitCode = exitCode;
    rec.status.reason = reason;
    this.emit(containerId, 'CONTAINER_STOPPED_EVENT');
  }

  private emit(containerId: string, type: ContainerEvent['type'], podSandboxId?: string): void {
    if (this.closed) return;
    const sandboxId = podSandboxId ?? this.containers.get(containerId)?.status.podSandboxId ?? '';
    const event: ContainerEvent = { containerId, podSandboxId: sandboxId, type, createdAt: this.clock() };
    for (const l of this.listeners) l(event);
  }

  private sandbox(id: string): SandboxRecord {
    const sb = this.sandboxes.get(id);
    if (!sb) throw new RuntimeNotFoundError('sandbox', id);
    return sb;
  }

  private container(id: string): ContainerRecord {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeNotFoundError('container', id);
    return c;
  }
}

function labelsMatch(labels: Record<string, string>, selector?: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/** A plausible image size in bytes (10–200 MB), stable per digest. */
function simulatedImageSize(digest: string): number {
  const n = parseInt(digest.slice(-8), 16);
  return 10_000_000 + (n % 190_000_000);
}
