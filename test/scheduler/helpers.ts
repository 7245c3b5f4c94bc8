/** Object builders shared by the scheduler tests. */

let uidCounter = 0;

/** A Node with allocatable (= capacity) resources, a Ready condition and optional labels/taints. */
export function makeNode(name: string, opts: {
  cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[]; extra?: Record<string, string>;
} = {}): any {
  const resources = { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110', ...(opts.extra ?? {}) };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } },
    spec: { ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: resources, allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      ...(opts.images ? { images: opts.images } : {}),
    },
  };
}

/** A pending pod with one container per request entry. */
export function makePod(name: string, opts: {
  namespace?: string; requests?: Record<string, string>[]; nodeName?: string; priority?: number; uid?: string;
  spec?: Record<string, any>; labels?: Record<string, string>; images?: string[];
} = {}): any {
  const requests = opts.requests ?? [{}];
  const containers = requests.map((r, i) => ({
    name: `c${i}`, image: opts.images?.[i] ?? 'busybox',
    ...(Object.keys(r).length ? { resources: { requests: r } } : {}),
  }));
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: opts.namespace ?? 'default', uid: opts.uid ?? `uid-${name}-${++uidCounter}`, ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: {
      containers, schedulerName: 'default-scheduler',
      ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
      ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
      ...(opts.spec ?? {}),
    },
    status: { phase: 'Pending' },
  };
}
