import type { PodInfo } from './pod-info.js';
import { Code, Status } from './status.js';

interface Waiting {
  pending: Map<string, NodeJS.Timeout>;
  result?: Status | null;
  resolve?: (s: Status | null) => void;
}

/**
 * Pods held at Permit: each waits for every plugin that answered Wait to allow it, and is
 * rejected when one rejects it or its timeout passes.
 */
export class WaitingPods {
  private readonly pods = new Map<string, Waiting>();

  /** Registers a pod waiting on `plugins` (name → timeout ms). */
  add(pod: PodInfo, plugins: Map<string, number>): void {
    const w: Waiting = { pending: new Map() };
    this.pods.set(pod.key, w);
    for (const [plugin, ms] of plugins) {
      const t = setTimeout(() => this.finish(pod.key, Status.of(Code.Unschedulable, `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`, plugin)), ms);
      t.unref?.();
      w.pending.set(plugin, t);
    }
  }

  /** Whether the pod is waiting. */
  has(key: string): boolean {
    return this.pods.has(key);
  }

  /** `plugin` allows the pod; it proceeds once no plugin is pending. */
  allow(key: string, plugin: string): void {
    const w = this.pods.get(key);
    const t = w?.pending.get(plugin);
    if (!w || !t) return;
    clearTimeout(t);
    w.pending.delete(plugin);
    if (w.pending.size === 0) this.finish(key, null);
  }

  /** Rejects a waiting pod. */
  reject(key: string, plugin: string, message: string): void {
    if (this.pods.has(key)) this.finish(key, Status.of(Code.Unschedulable, message, plugin));
  }

  /** Resolves with the outcome (immediately for a pod that is not waiting). */
  wait(key: string): Promise<Status | null> {
    const w = this.pods.get(key);
    if (!w) return Promise.resolve(null);
    if (w.result !== undefined) {
      this.pods.delete(key);
      return Promise.resolve(w.result);
    }
    return new Promise((resolve) => {
      w.resolve = (s) => {
        this.pods.delete(key);
        resolve(s);
      };
    });
  }

  private finish(key: string, result: Status | null): void {
    const w = this.pods.get(key);
    if (!w || w.result !== undefined) return;
    for (const t of w.pending.values()) clearTimeout(t);
    w.pending.clear();
    w.result = result;
    w.resolve?.(result);
  }
}
