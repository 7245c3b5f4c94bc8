import type { Pod } from '../framework/pod-info.js';

/**
 * Whether a pod changed in a way that can matter to scheduling: anything but its status,
 * resourceVersion, generation and managedFields (upstream's isPodUpdated).
 */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  return JSON.stringify(strip(oldPod)) !== JSON.stringify(strip(newPod));
}

function strip(pod: Pod): unknown {
  const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = pod.metadata ?? {};
  return { metadata: meta, spec: pod.spec };
}
