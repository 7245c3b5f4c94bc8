/**
 * One pod on one node: drives its sandbox and containers through the runtime (init containers
 * in order, then the regular ones; restarts by restart policy with upstream's back-off), reports
 * its status, and on deletion stops it and removes the pod object. Syncs are serialized: a
 * change that arrives during a sync causes one more sync afterwards.
 */
import type { KubeObject } from '../client/object.js';
import { sandboxConfigFor, startContainer, killContainer, type PodEventFn } from './container-steps.js';
import { generatePodStatus, isSidecar, type ContainerView } from './pod-status.js';
import type { ContainerExit } from './runtime/simulated/runtime.js';
import type { ContainerRuntime, ContainerStatus, PodSandboxConfig } from './runtime/runtime.js';
import type { PodStatusWriter } from './status-writer.js';

/** What a pod worker needs from its node. */
export interface PodWorkerHost {
  readonly nodeName: string;
  readonly hostIp: string;
  readonly runtime: ContainerRuntime;
  readonly runtimeName: string;
  readonly writer: PodStatusWriter;
  readonly clock: () => number;
  readonly event?: PodEventFn;
  /** Tells the node which worker owns a container id (undefined: none any more). */
  own(containerId: string, worker: PodWorker | undefined): void;
  /** The pod is gone from the API and the runtime: the node can drop the worker. */
  finished(uid: string): void;
  log(message: string): void;
  /** How long containers of run-to-completion pods run, and init containers (ms). */
  readonly podRunTimeMs: number;
  readonly initContainerRunTimeMs: number;
}

/** Annotations that change how a simulated pod's containers behave. */
export const ANNOTATION_RUN_MS = 'sim.tskube.io/run-ms';
export const ANNOTATION_EXIT_CODE = 'sim.tskube.io/exit-code';

/** Upstream's container restart back-off: 10 s doubling to at most 5 min. */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

type Kind = 'init' | 'sidecar' | 'regular';

interface Slot {
  name: string;
  kind: Kind;
  id?: string;
  current?: ContainerStatus;
  previous?: ContainerStatus;
  restartCount: number;
  /** While backing off: when the next start may happen. */
  backoffUntil?: number;
  backoffMs?: number;
}

const isTerminalPhase = (p: unknown) => p === 'Succeeded' || p === 'Failed';
const numberAnnotation = (pod: KubeObject, key: string): number | undefined => {
  const v = pod.metadata.annotations?.[key];
  return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
};

/** The worker of one pod. */
export class PodWorker {
  private pod: KubeObject;
  private gone = false;
  private sandboxId?: string;
  private sandbox?: PodSandboxConfig;
  private sandboxReady = false;
  private podIps: string[] = [];
  private startTime?: number;
  private terminal = false;
  private readonly slots = new Map<string, Slot>();
  private lastConditions?: any[];
  private lastPhase?: string;
  private running = false;
  private dirty = false;
  private wakeup?: NodeJS.Timeout;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly host: PodWorkerHost, pod: KubeObject) {
    this.pod = pod;
  }

  get uid(): string {
    return this.pod.metadata.uid as string;
  }

  /** A newer version of the pod arrived. */
  update(pod: KubeObject): void {
    this.pod = pod;
    if (this.overwritten(pod)) this.host.writer.resync(pod);
    this.schedule();
  }

  /** Whether the API shows a phase or kubelet-owned condition other than the one last reported. */
  private overwritten(pod: KubeObject): boolean {
    if (!this.lastConditions || !this.lastPhase) return false;
    if (pod.status?.phase !== this.lastPhase) return true;
    const api: any[] = pod.status?.conditions ?? [];
    return this.lastConditions.some((c) => api.find((a) => a.type === c.type)?.status !== c.status);
  }

  /** The pod object is gone from the API. */
  remove(): void {
    this.gone = true;
    this.schedule();
  }

  /** Something in the runtime changed (a container started or stopped). */
  poke(): void {
    this.schedule();
  }

  /** Resolves when no sync is running or pending. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** How a container of this pod ends by itself in the simulation (null: runs until stopped). */
  exitFor(containerName: string): ContainerExit | null {
    const spec = this.pod.spec ?? {};
    const exitCode = numberAnnotation(this.pod, ANNOTATION_EXIT_CODE) ?? 0;
    const init = (spec.initContainers ?? []).find((c: any) => c.name === containerName);
    if (init) return isSidecar(init) ? null : { runMs: this.host.initContainerRunTimeMs, exitCode: 0 };
    if ((spec.restartPolicy ?? 'Always') === 'Always') return null;
    return { runMs: numberAnnotation(this.pod, ANNOTATION_RUN_MS) ?? this.host.podRunTimeMs, exitCode };
  }

  /** Stops timers (the node is shutting down). */
  close(): void {
    clearTimeout(this.wakeup);
  }

  private schedule(): void {
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    this.idle = this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.dirty = false;
        try {
          await this.sync();
        } catch (err) {
          this.host.log(`pod ${this.pod.metadata.namespace}/${this.pod.metadata.name}: sync failed: ${(err as Error)?.message ?? err}`);
        }
      } while (this.dirty);
    } finally {
      this.running = false;
    }
  }

  private async sync(): Promise<void> {
    clearTimeout(this.wakeup);
    if (this.gone) {
      await this.teardown();
      return;
    }
    if (this.pod.metadata.deletionTimestamp) {
      await this.terminate();
      this.report();
      this.host.writer.deleteWhenWritten(this.pod);
      return;
    }
    if (this.terminal || (isTerminalPhase(this.pod.status?.phase) && !this.sandboxId)) return;
    if (!this.sandboxId) await this.createSandbox();
    await this.advance();
    await this.refresh();
    if (this.done()) {
      await this.stopSandbox();
      this.terminal = true;
    }
    this.report();
    this.scheduleWakeup();
  }

  private async createSandbox(): Promise<void> {
    this.startTime = this.host.clock();
    this.report();
    this.sandbox = sandboxConfigFor(this.pod);
    this.sandboxId = await this.host.runtime.runPodSandbox(this.sandbox);
    const st = await this.host.runtime.podSandboxStatus(this.sandboxId);
    this.podIps = [st.network.ip, ...st.network.additionalIps.map((a) => a.ip)].filter(Boolean);
    this.sandboxReady = true;
  }

  private slot(c: any, kind: Kind): Slot {
    let s = this.slots.get(c.name);
    if (!s) this.slots.set(c.name, (s = { name: c.name, kind, restartCount: 0 }));
    return s;
  }

  /** Starts what may start now: init containers one by one, then every regular container. */
  private async advance(): Promise<void> {
    const spec = this.pod.spec ?? {};
    await this.refresh();
    for (const c of spec.initContainers ?? []) {
      const kind: Kind = isSidecar(c) ? 'sidecar' : 'init';
      const s = this.slot(c, kind);
      if (kind === 'sidecar') {
        await this.ensureRunning(c, s, true);
        if (s.current?.state !== 'CONTAINER_RUNNING') return;
        continue;
      }
      if (s.current?.state === 'CONTAINER_EXITED' && s.current.exitCode === 0) continue;
      if (!s.current || s.current.state === 'CONTAINER_EXITED') await this.ensureRunning(c, s, spec.restartPolicy !== 'Never');
      return;
    }
    const policy = spec.restartPolicy ?? 'Always';
    for (const c of spec.containers ?? []) {
      const s = this.slot(c, 'regular');
      const failed = s.current?.state === 'CONTAINER_EXITED' && s.current.exitCode !== 0;
      await this.ensureRunning(c, s, policy === 'Always' || (policy === 'OnFailure' && failed));
    }
  }

  /** Starts a container that never ran, or restarts an exited one when `restart` (after back-off). */
  private async ensureRunning(c: any, s: Slot, restart: boolean): Promise<void> {
    if (s.current && (s.current.state !== 'CONTAINER_EXITED' || !restart)) return;
    const now = this.host.clock();
    if (s.current) {
      if (s.backoffUntil === undefined) {
        s.backoffMs = s.restartCount === 0 ? 0 : Math.min(BACKOFF_INITIAL_MS * 2 ** (s.restartCount - 1), BACKOFF_MAX_MS);
        s.backoffUntil = s.current.finishedAt + s.backoffMs;
        if (s.backoffUntil > now) {
          const m = this.pod.metadata;
          this.host.event?.(this.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${m.name}_${m.namespace}(${m.uid})`);
        }
      }
      if (s.backoffUntil > now) return;
    }
    const attempt = s.current ? s.restartCount + 1 : 0;
    const id = await startContainer(this.host.runtime, this.sandboxId!, this.sandbox!, this.pod, c, attempt, this.host.event, this.host.clock);
    if (s.id) this.host.own(s.id, undefined);
    if (s.current) {
      s.previous = s.current;
      s.restartCount++;
    }
    s.id = id;
    s.backoffUntil = undefined;
    this.host.own(id, this);
    s.current = await this.host.runtime.containerStatus(id);
  }

  private async refresh(): Promise<void> {
    for (const s of this.slots.values()) {
      if (s.id) s.current = await this.host.runtime.containerStatus(s.id).catch(() => s.current);
    }
  }

  /** Whether every container finished for good (nothing will restart). */
  private done(): boolean {
    const spec = this.pod.spec ?? {};
    const policy = spec.restartPolicy ?? 'Always';
    if (policy === 'Always') return false;
    for (const c of spec.initContainers ?? []) {
      const s = this.slots.get(c.name);
      if (!isSidecar(c) && s?.current?.state === 'CONTAINER_EXITED' && s.current.exitCode !== 0 && policy === 'Never') return true;
    }
    return (spec.containers ?? []).every((c: any) => {
      const s = this.slots.get(c.name);
      if (s?.current?.state !== 'CONTAINER_EXITED') return false;
      return policy === 'Never' || s.current.exitCode === 0;
    });
  }

  /** Stops every container (regular ones first, then init containers in reverse) and the sandbox. */
  private async terminate(): Promise<void> {
    const initNames = (this.pod.spec?.initContainers ?? []).map((c: any) => c.name).reverse();
    const order = [...[...this.slots.values()].filter((s) => s.kind === 'regular'), ...initNames.map((n: string) => this.slots.get(n)).filter(Boolean) as Slot[]];
    for (const s of order) {
      if (!s.id || s.current?.state === 'CONTAINER_EXITED') continue;
      await killContainer(this.host.runtime, this.pod, s.name, s.id, this.host.event);
    }
    for (const s of this.slots.values()) s.backoffUntil = undefined;
    await this.stopSandbox();
    this.terminal = true;
    await this.refresh();
  }

  private async stopSandbox(): Promise<void> {
    if (this.sandboxId && this.sandboxReady) await this.host.runtime.stopPodSandbox(this.sandboxId);
    this.sandboxReady = false;
  }

  /** The pod object is gone: remove everything from the runtime and forget the pod. */
  private async teardown(): Promise<void> {
    clearTimeout(this.wakeup);
    if (this.sandboxId) {
      await this.host.runtime.removePodSandbox(this.sandboxId).catch(() => undefined);
      this.sandboxId = undefined;
    }
    for (const s of this.slots.values()) if (s.id) this.host.own(s.id, undefined);
    this.sandboxReady = false;
    this.host.writer.forget(this.uid);
    this.host.finished(this.uid);
  }

  private view(s: Slot | undefined, c: any, kind: Kind, now: number): ContainerView {
    const name = c.name;
    if (!s || !s.current) {
      const waitingReason = (this.pod.spec?.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating';
      return { name, restartCount: s?.restartCount ?? 0, ready: false, started: false, waitingReason };
    }
    const cur = s.current;
    if (cur.state === 'CONTAINER_EXITED' && s.backoffUntil !== undefined && s.backoffUntil > now && !this.terminal) {
      const m = this.pod.metadata;
      const waitingMessage = `back-off ${Math.round((s.backoffMs ?? 0) / 1000)}s restarting failed container=${name} pod=${m.name}_${m.namespace}(${m.uid})`;
      return { name, previous: cur, restartCount: s.restartCount, ready: false, started: false, waitingReason: 'CrashLoopBackOff', waitingMessage };
    }
    const running = cur.state === 'CONTAINER_RUNNING';
    const startupAt = cur.startedAt + probeDelayMs(c.startupProbe);
    const readyAt = Math.max(startupAt, cur.startedAt + probeDelayMs(c.readinessProbe));
    const started = running && now >= startupAt;
    const ready = kind === 'init' ? cur.state === 'CONTAINER_EXITED' && cur.exitCode === 0 : started && now >= readyAt;
    return { name, current: cur, previous: s.previous, restartCount: s.restartCount, ready, started };
  }

  /** Computes the status and hands it to the writer (which skips it when nothing changed). */
  private report(): void {
    const now = this.host.clock();
    const spec = this.pod.spec ?? {};
    const initContainers = (spec.initContainers ?? []).map((c: any) => this.view(this.slots.get(c.name), c, isSidecar(c) ? 'sidecar' : 'init', now));
    const containers = (spec.containers ?? []).map((c: any) => this.view(this.slots.get(c.name), c, 'regular', now));
    const status = generatePodStatus(this.pod, {
      sandboxReady: this.sandboxReady, podIps: this.podIps, hostIp: this.host.hostIp, startTime: this.startTime,
      initContainers, containers, terminal: this.terminal, runtimeName: this.host.runtimeName,
    }, now, this.lastConditions);
    this.lastConditions = status.conditions;
    this.lastPhase = status.phase;
    this.host.writer.setStatus(this.pod, status);
  }

  /** Wakes the worker when a probe turns, a start-up passes or a back-off ends. */
  private scheduleWakeup(): void {
    const now = this.host.clock();
    let next = Infinity;
    const all = [...(this.pod.spec?.initContainers ?? []), ...(this.pod.spec?.containers ?? [])];
    for (const c of all) {
      const s = this.slots.get(c.name);
      if (!s?.current) continue;
      if (s.backoffUntil !== undefined && s.backoffUntil > now) next = Math.min(next, s.backoffUntil);
      if (s.current.state !== 'CONTAINER_RUNNING') continue;
      for (const at of [s.current.startedAt + probeDelayMs(c.startupProbe), s.current.startedAt + probeDelayMs(c.readinessProbe)]) {
        if (at > now) next = Math.min(next, at);
      }
    }
    if (next === Infinity) return;
    this.wakeup = setTimeout(() => this.schedule(), next - now + 1);
    this.wakeup.unref();
  }
}

/** When a probe first succeeds after the container started: its initialDelaySeconds (0 without a probe). */
function probeDelayMs(probe: any): number {
  if (!probe) return 0;
  return Math.max(0, Number(probe.initialDelaySeconds ?? 0)) * 1000;
}
