import type { CycleState } from './cycle-state.js';
import type { Framework } from './framework.js';
import type { PermitPlugin } from './interfaces.js';
import type { PodInfo } from './pod-info.js';
import { Code, Status } from './status.js';

// The extension points of the binding phase (Reserve, Unreserve, Permit, PreBind, Bind,
// PostBind), run over a framework's plugins in their configured order.

/** Runs Reserve plugins; the first failure is returned (the caller then runs Unreserve). */
export function runReservePluginsReserve(fw: Framework, state: CycleState, pod: PodInfo, nodeName: string): Status | null {
  for (const p of fw.reservePlugins) {
    let s: Status | null;
    try {
      s = p.reserve(state, pod, nodeName);
    } catch (err) {
      s = Status.fromError(err);
    }
    if (s && s.code !== Code.Success) {
      if (s.isRejected()) return s.withPlugin(p.name);
      return new Status(Code.Error, [`running Reserve plugin "${p.name}": ${s.message()}`], p.name, s.error);
    }
  }
  return null;
}

/** Runs Unreserve of every Reserve plugin, in reverse order. */
export function runReservePluginsUnreserve(fw: Framework, state: CycleState, pod: PodInfo, nodeName: string): void {
  for (let i = fw.reservePlugins.length - 1; i >= 0; i--) {
    try {
      fw.reservePlugins[i].unreserve(state, pod, nodeName);
    } catch {
      // Unreserve must not fail; a throwing plugin is ignored like upstream's.
    }
  }
}

/**
 * Runs Permit plugins. A rejection is returned at once; Wait answers register the pod as
 * waiting (see {@link waitOnPermit}) and return a Wait status.
 */
export function runPermitPlugins(fw: Framework, state: CycleState, pod: PodInfo, nodeName: string): Status | null {
  const waits = new Map<string, number>();
  for (const p of fw.permitPlugins) {
    let out: ReturnType<PermitPlugin['permit']>;
    try {
      out = p.permit(state, pod, nodeName);
    } catch (err) {
      out = { status: Status.fromError(err) };
    }
    const s = out.status;
    if (!s || s.code === Code.Success) continue;
    if (s.code === Code.Wait) {
      waits.set(p.name, Math.min(out.timeoutMs ?? 15 * 60_000, 15 * 60_000));
      continue;
    }
    if (s.isRejected()) return s.withPlugin(p.name);
    return new Status(Code.Error, [`running Permit plugin "${p.name}": ${s.message()}`], p.name, s.error);
  }
  if (waits.size === 0) return null;
  fw.waitingPods.add(pod, waits);
  return new Status(Code.Wait, [], '');
}

/** Resolves when a waiting pod is allowed (null) or rejected / timed out (a status). */
export function waitOnPermit(fw: Framework, pod: PodInfo): Promise<Status | null> {
  return fw.waitingPods.wait(pod.key);
}

/** Runs PreBind plugins in order; the first failure wins. */
export async function runPreBindPlugins(fw: Framework, state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | null> {
  for (const p of fw.preBindPlugins) {
    let s: Status | null;
    try {
      s = await p.preBind(state, pod, nodeName);
    } catch (err) {
      s = Status.fromError(err);
    }
    if (s && s.code !== Code.Success) {
      if (s.isRejected()) return s.withPlugin(p.name);
      return new Status(Code.Error, [`running PreBind plugin "${p.name}": ${s.message()}`], p.name, s.error);
    }
  }
  return null;
}

/** Runs Bind plugins until one does not Skip. */
export async function runBindPlugins(fw: Framework, state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | null> {
  if (fw.bindPlugins.length === 0) return new Status(Code.Skip);
  for (const p of fw.bindPlugins) {
    let s: Status | null;
    try {
      s = await p.bind(state, pod, nodeName);
    } catch (err) {
      s = Status.fromError(err);
    }
    if (s?.code === Code.Skip) continue;
    if (s && s.code !== Code.Success) {
      if (s.isRejected()) return s.withPlugin(p.name);
      return new Status(Code.Error, [`running Bind plugin "${p.name}": ${s.message()}`], p.name, s.error);
    }
    return null;
  }
  return new Status(Code.Skip);
}

export function runPostBindPlugins(fw: Framework, state: CycleState, pod: PodInfo, nodeName: string): void {
  for (const p of fw.postBindPlugins) {
    try {
      p.postBind(state, pod, nodeName);
    } catch {
      // informational only
    }
  }
}
