/** A scheduler core wired to a fake API, driven by hand (no server, no timers of its own). */
import { SchedulerCore, type CoreOptions, type SchedulerApi } from '../../src/scheduler/core.js';
import { schedulerEventHandlers, type SchedulerEventHandlers } from '../../src/scheduler/event-handlers.js';
import type { Pod } from '../../src/scheduler/framework/pod-info.js';
import { scheduleOne } from '../../src/scheduler/schedule-one.js';

/** What the fake API recorded. */
export interface FakeApi extends SchedulerApi {
  binds: { namespace: string; name: string; node: string }[];
  patches: { namespace: string; name: string; patch: any }[];
  events: { name: string; type: string; reason: string; message: string }[];
  /** The "informer store": pods by namespace/name. */
  pods: Map<string, Pod>;
  /** When set, a bind for this pod name fails with this error. */
  failBind?: (name: string) => Error | undefined;
}

/** A harness: the core, its informer handlers, and the fake API. */
export interface Harness {
  core: SchedulerCore;
  api: FakeApi;
  handlers: SchedulerEventHandlers;
  addNode(node: any): void;
  /** Adds a pod as the informer would (pending pods go to the queue). */
  addPod(pod: any): void;
  /** Pops and schedules one pod; false when the active queue is empty. */
  step(): boolean;
  /** Schedules until the active queue is empty, then lets the bindings finish. */
  drain(): Promise<void>;
}

/**
 * Makes a harness. With `confirmBinds` (default) a successful bind is echoed back through the
 * pod handlers as the informer's MODIFIED event, as the API server would.
 */
export function harness(opts: CoreOptions & { confirmBinds?: boolean } = {}): Harness {
  const api: FakeApi = {
    binds: [], patches: [], events: [], pods: new Map(),
    async bind(namespace, name, body: any) {
      const err = api.failBind?.(name);
      if (err) throw err;
      const node = body.target.name;
      api.binds.push({ namespace, name, node });
      const key = `${namespace}/${name}`;
      const old = api.pods.get(key);
      if (old && opts.confirmBinds !== false) {
        const updated = { ...old, metadata: { ...old.metadata }, spec: { ...old.spec, nodeName: node } };
        api.pods.set(key, updated);
        h.handlers.pods.onUpdate(old, updated);
      }
    },
    async patchPodStatus(namespace, name, patch) {
      api.patches.push({ namespace, name, patch });
    },
    event(pod, type, reason, message) {
      api.events.push({ name: pod.metadata.name ?? '', type, reason, message });
    },
    getPod(namespace, name) {
      return api.pods.get(`${namespace}/${name}`);
    },
  };
  const core = new SchedulerCore(api, { rand: () => 0, ...opts });
  const handlers = schedulerEventHandlers(core);
  const h: Harness = {
    core, api, handlers,
    addNode: (node) => handlers.nodes.onAdd(node),
    addPod(pod) {
      api.pods.set(`${pod.metadata.namespace}/${pod.metadata.name}`, pod);
      handlers.pods.onAdd(pod);
    },
    step() {
      const q = core.queue.tryPop();
      if (!q) return false;
      scheduleOne(core, q);
      return true;
    },
    async drain() {
      for (;;) {
        while (h.step()) { /* keep going */ }
        await core.waitForBindsIdle();
        await new Promise((r) => setImmediate(r));
        if (core.queue.lengths().active === 0 && core.bindsInFlight === 0) return;
      }
    },
  };
  return h;
}
