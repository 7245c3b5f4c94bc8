import type { CycleState } from '../framework/cycle-state.js';
import type { BindPlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Status } from '../framework/status.js';

/** Creates the Binding of a pod (POST pods/<name>/binding); rejects with the API error. */
export type BindFunc = (namespace: string, name: string, body: Record<string, unknown>) => Promise<unknown>;

/** The v1 Binding upstream's DefaultBinder posts. */
export function bindingFor(pod: PodInfo, nodeName: string): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Binding',
    metadata: { namespace: pod.namespace, name: pod.name, uid: pod.pod.metadata.uid },
    target: { kind: 'Node', name: nodeName },
  };
}

/** Binds pods through the API server's binding subresource. */
export class DefaultBinder implements BindPlugin {
  readonly name = 'DefaultBinder';

  constructor(private readonly bindFn: BindFunc) {}

  async bind(_state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | null> {
    try {
      await this.bindFn(pod.namespace, pod.name, bindingFor(pod, nodeName));
      return null;
    } catch (err) {
      return Status.fromError(err, this.name);
    }
  }
}
