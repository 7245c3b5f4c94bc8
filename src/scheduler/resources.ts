/**
 * Resource arithmetic of the scheduler: quantities as plain numbers (cpu in millicores, the rest
 * in units), and a pod's effective request the way upstream's resource helper computes it
 * (containers summed, init containers by the max rule with restartable sidecars added, pod
 * overhead on top).
 */

/** The default cpu request (millicores) of a container that names none, for scoring only. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** The default memory request (bytes) of a container that names none, for scoring only. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?[0-9]+))?$/;
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POW: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

/**
 * The value of a quantity in units of 10^scale, rounded up (away from zero for negatives, as
 * upstream's ScaledValue does): scale 0 is `Value()`, scale -3 is `MilliValue()`. 0 when the
 * text is not a quantity.
 */
export function quantityScaled(text: unknown, scale: number): number {
  if (typeof text === 'number') text = String(text);
  if (typeof text !== 'string') return 0;
  const m = QUANTITY.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return 0;
  const [, sign, intPart, fracPart = '', suffix = '', expText] = m;
  const digits = Number((intPart + fracPart).replace(/^0+(?=.)/, '') || '0');
  let exp10 = -fracPart.length;
  let mult = 1;
  if (suffix in BINARY_POW) mult = 1024 ** BINARY_POW[suffix];
  else exp10 += DECIMAL_EXP[suffix];
  if (expText !== undefined) exp10 += Number(expText);
  const v = scaledUp(digits * mult, exp10 - scale);
  return sign === '-' ? -v : v;
}

/** `v * 10^e` rounded up, exact for integers below 2^53. */
function scaledUp(v: number, e: number): number {
  if (e >= 0) return v * 10 ** e;
  if (e < -300) return v > 0 ? 1 : 0;
  const d = 10 ** -e;
  const r = v % d;
  return (v - r) / d + (r > 0 ? 1 : 0);
}

/** `MilliValue()` of a quantity. */
export function milliValue(q: unknown): number {
  return quantityScaled(q, -3);
}

/** `Value()` of a quantity. */
export function unitValue(q: unknown): number {
  return quantityScaled(q, 0);
}

/** Resource names the scheduler tracks besides cpu, memory, ephemeral-storage and pods. */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  if (name.includes('kubernetes.io/')) return true;
  return name.includes('/') && !name.startsWith('requests.');
}

/** A vector of resources: cpu in millicores, memory and ephemeral storage in bytes, scalars in units. */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  /** Only meaningful for allocatable: `status.allocatable.pods`. */
  allowedPodNumber = 0;
  scalar: Map<string, number> | null = null;

  /** Adds a ResourceList (`{cpu: '500m', ...}`). */
  addList(list: Record<string, unknown> | undefined | null): void {
    if (!list) return;
    for (const name in list) this.addOne(name, list[name]);
  }

  private addOne(name: string, q: unknown): void {
    switch (name) {
      case 'cpu': this.milliCPU += milliValue(q); break;
      case 'memory': this.memory += unitValue(q); break;
      case 'ephemeral-storage': this.ephemeralStorage += unitValue(q); break;
      case 'pods': this.allowedPodNumber += unitValue(q); break;
      default:
        if (isScalarResourceName(name)) this.addScalar(name, unitValue(q));
    }
  }

  addScalar(name: string, v: number): void {
    this.scalar ??= new Map();
    this.scalar.set(name, (this.scalar.get(name) ?? 0) + v);
  }

  /** Adds (sign 1) or subtracts (sign -1) another vector. */
  add(other: Resource, sign = 1): void {
    this.milliCPU += sign * other.milliCPU;
    this.memory += sign * other.memory;
    this.ephemeralStorage += sign * other.ephemeralStorage;
    this.allowedPodNumber += sign * other.allowedPodNumber;
    if (other.scalar) for (const [k, v] of other.scalar) this.addScalar(k, sign * v);
  }

  /** Raises each dimension to the other's value where that is larger. */
  max(other: Resource): void {
    if (other.milliCPU > this.milliCPU) this.milliCPU = other.milliCPU;
    if (other.memory > this.memory) this.memory = other.memory;
    if (other.ephemeralStorage > this.ephemeralStorage) this.ephemeralStorage = other.ephemeralStorage;
    if (other.scalar) {
      for (const [k, v] of other.scalar) {
        const cur = this.scalar?.get(k);
        if (cur === undefined || v > cur) (this.scalar ??= new Map()).set(k, v);
      }
    }
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  /** The scalar `name` (0 when absent). */
  scalarOf(name: string): number {
    return this.scalar?.get(name) ?? 0;
  }
}

/** What a pod asks for: its requests, and cpu/memory with the scoring defaults for unset containers. */
export interface PodResourceRequest {
  requests: Resource;
  nonZeroMilliCPU: number;
  nonZeroMemory: number;
}

/**
 * A pod's effective requests as upstream computes them: the sum of the containers, raised to
 * the largest init container (a restartable init container — a sidecar — counts for every
 * container that starts after it), plus `spec.overhead`. `nonZero*` repeat the computation with
 * 100m cpu / 200Mi memory for containers that do not name them.
 */
export function computePodResourceRequest(pod: { spec?: any }): PodResourceRequest {
  const spec = pod.spec ?? {};
  const plain = containersRequest(spec, false);
  const nonZero = containersRequest(spec, true);
  if (spec.overhead) {
    plain.addList(spec.overhead);
    nonZero.addList(spec.overhead);
  }
  return { requests: plain, nonZeroMilliCPU: nonZero.milliCPU, nonZeroMemory: nonZero.memory };
}

function containersRequest(spec: any, nonMissing: boolean): Resource {
  const sum = new Resource();
  for (const c of spec.containers ?? []) sum.add(containerRequest(c, nonMissing));
  const restartable = new Resource();
  const initMax = new Resource();
  for (const c of spec.initContainers ?? []) {
    const req = containerRequest(c, nonMissing);
    let effective: Resource;
    if (c?.restartPolicy === 'Always') {
      sum.add(req);
      restartable.add(req);
      effective = restartable.clone();
    } else {
      effective = req;
      effective.add(restartable);
    }
    initMax.max(effective);
  }
  sum.max(initMax);
  return sum;
}

function containerRequest(c: any, nonMissing: boolean): Resource {
  const r = new Resource();
  const requests = c?.resources?.requests;
  r.addList(requests);
  r.allowedPodNumber = 0;
  if (nonMissing) {
    if (!requests || !('cpu' in requests)) r.milliCPU += DEFAULT_MILLI_CPU_REQUEST;
    if (!requests || !('memory' in requests)) r.memory += DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/** A node's allocatable resources (`status.allocatable`, which defaults to `status.capacity`). */
export function nodeAllocatable(node: { status?: any }): Resource {
  const r = new Resource();
  r.addList(node.status?.allocatable ?? node.status?.capacity);
  return r;
}
