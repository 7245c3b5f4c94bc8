/**
 * The kubelet's status manager for many pods: keeps the latest status each pod should have,
 * writes it (a strategic merge patch of pods/status guarded by the pod's UID) when it differs
 * from what was written last, and, for pods the kubelet finished terminating, deletes the pod
 * object with grace period 0 and a UID precondition once the final status is written.
 * Only the newest status of a pod is ever written: intermediate ones are skipped.
 */
import { isConflict, isInvalid, isNotFound } from '../client/errors.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject } from '../client/object.js';
import type { Limiter } from './limiter.js';
import { isKubeletCondition } from './pod-status.js';

interface Entry {
  node: string;
  namespace: string;
  name: string;
  uid: string;
  desired?: any;
  desiredJson?: string;
  writtenJson?: string;
  deleteWanted: boolean;
  deleted: boolean;
  busy: boolean;
  /** A write is scheduled for the next turn of the event loop. */
  queued: boolean;
  retryTimer?: NodeJS.Timeout;
  settled: (() => void)[];
}

/** How long a failed write waits before the next try. */
const RETRY_MS = 1000;

/** Writes pod statuses and final deletions for one or many simulated nodes. */
export class PodStatusWriter {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  /**
   * `isPaused(node)` holds back the writes of a node whose heartbeat is paused (the node is cut
   * off from the API); {@link resumeNode} lets them go.
   */
  constructor(
    private readonly client: KubeClient, private readonly limiter: Limiter, private readonly log: (m: string) => void,
    private readonly isPaused: (node: string) => boolean = () => false,
  ) {}

  /** Sets the status `pod` should have; written soon when it differs from the last one written. */
  setStatus(pod: KubeObject, status: any): void {
    const e = this.entry(pod);
    const json = JSON.stringify(status);
    if (json === e.desiredJson) return;
    e.desired = status;
    e.desiredJson = json;
    this.soon(e);
  }

  /** Deletes the pod object (grace 0, UID precondition) once its newest status is written. */
  deleteWhenWritten(pod: KubeObject): void {
    const e = this.entry(pod);
    if (e.deleteWanted) return;
    e.deleteWanted = true;
    this.soon(e);
  }

  /**
   * Writes the pod's status again although it was written: another component changed what the
   * kubelet owns (the node lifecycle controller set Ready=False). Does nothing while a write is
   * pending anyway or the pod is being deleted.
   */
  resync(pod: KubeObject): void {
    const e = this.entries.get(pod.metadata.uid as string);
    if (!e || e.busy || e.queued || e.retryTimer || e.deleteWanted || e.desiredJson !== e.writtenJson) return;
    e.writtenJson = undefined;
    this.soon(e);
  }

  /** Sends what a node held back while paused. */
  resumeNode(node: string): void {
    for (const e of this.entries.values()) if (e.node === node) this.soon(e);
  }

  /** Resolves once nothing is pending for the pod (written and, if asked, deleted, or given up). */
  settled(uid: string): Promise<void> {
    const e = this.entries.get(uid);
    if (!e || (!e.busy && !e.queued && !this.pendingWork(e))) return Promise.resolve();
    return new Promise((r) => e.settled.push(r));
  }

  /** Drops what is known of a pod (it is gone from the API). */
  forget(uid: string): void {
    const e = this.entries.get(uid);
    if (!e) return;
    clearTimeout(e.retryTimer);
    this.entries.delete(uid);
    for (const r of e.settled.splice(0)) r();
  }

  /** Stops writing; pending writes are dropped. */
  close(): void {
    this.closed = true;
    for (const uid of [...this.entries.keys()]) this.forget(uid);
  }

  private entry(pod: KubeObject): Entry {
    const uid = pod.metadata.uid as string;
    let e = this.entries.get(uid);
    if (!e) {
      e = { node: pod.spec?.nodeName ?? '', namespace: pod.metadata.namespace as string, name: pod.metadata.name as string, uid, deleteWanted: false, deleted: false, busy: false, queued: false, settled: [] };
      this.entries.set(uid, e);
    }
    return e;
  }

  private pendingWork(e: Entry): boolean {
    return (e.desiredJson !== undefined && e.desiredJson !== e.writtenJson) || (e.deleteWanted && !e.deleted);
  }

  /**
   * Writes on the next turn of the event loop, so the statuses a sync computes in one go (Pending,
   * then Running when containers start at once) end in one write of the last.
   */
  private soon(e: Entry): void {
    if (e.queued) return;
    e.queued = true;
    setImmediate(() => {
      e.queued = false;
      if (this.entries.get(e.uid) === e) this.kick(e);
    });
  }

  private kick(e: Entry): void {
    if (e.busy || this.closed || e.retryTimer || this.isPaused(e.node)) return;
    if (!this.pendingWork(e)) {
      for (const r of e.settled.splice(0)) r();
      return;
    }
    e.busy = true;
    this.limiter.run(() => this.step(e)).then((ok) => {
      e.busy = false;
      if (this.entries.get(e.uid) !== e) return;
      if (ok) this.kick(e);
      else {
        e.retryTimer = setTimeout(() => { e.retryTimer = undefined; this.kick(e); }, RETRY_MS);
        e.retryTimer.unref();
      }
    });
  }

  /** One write (status, else deletion). Answers false when it should be retried later. */
  private async step(e: Entry): Promise<boolean> {
    try {
      if (e.desiredJson !== undefined && e.desiredJson !== e.writtenJson) {
        const json = e.desiredJson;
        const all: any[] = e.desired.conditions ?? [];
        // As upstream's kubelet, the patch fixes the order of every condition (PodScheduled last).
        const status = {
          ...e.desired, conditions: all.filter((c: any) => isKubeletCondition(c.type)),
          '$setElementOrder/conditions': all.map((c: any) => ({ type: c.type })),
        };
        await this.client.pods.patch(e.name, { metadata: { uid: e.uid }, status }, { namespace: e.namespace, type: 'strategic', subresource: 'status' });
        e.writtenJson = json;
        return true;
      }
      if (e.deleteWanted && !e.deleted) {
        await this.client.pods.delete(e.name, { namespace: e.namespace, gracePeriodSeconds: 0, preconditions: { uid: e.uid } });
        e.deleted = true;
      }
      return true;
    } catch (err) {
      if (isNotFound(err) || isConflict(err) || isInvalid(err)) {
        // The pod is gone, or replaced by another of the same name: nothing more to write. A
        // refused status is a bug worth hearing of, but retrying it cannot help.
        if (isInvalid(err)) this.log(`pod ${e.namespace}/${e.name}: status refused: ${(err as Error).message}`);
        this.forget(e.uid);
        return true;
      }
      if (!this.closed) this.log(`pod ${e.namespace}/${e.name}: status write failed: ${(err as Error)?.message ?? err}`);
      return false;
    }
  }
}
