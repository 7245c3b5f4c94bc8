import { computePodResourceRequest, type PodResourceRequest } from '../resources.js';
import { PreferredNodeAffinity, RequiredNodeAffinity } from './node-selector.js';
import { parseTolerations, type Toleration } from './taints.js';

/** A pod object as the scheduler reads it (plain JSON). */
export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; uid?: string; [k: string]: any };
  spec?: any;
  status?: any;
  [k: string]: any;
}

/** A host port a container asks for. */
export interface HostPort {
  hostIP: string;
  protocol: string;
  hostPort: number;
}

/** The key the scheduler files a pod under: its UID, else namespace/name. */
export function podKey(pod: Pod): string {
  return pod.metadata.uid || `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** The pod's priority (`spec.priority`, 0 when unset). */
export function podPriority(pod: Pod): number {
  const p = pod.spec?.priority;
  return typeof p === 'number' ? p : 0;
}

/**
 * One version of a pod plus what the plugins derive from it, computed at most once: resource
 * requests, host ports, tolerations, node affinity matchers and container images. A new pod
 * version gets a new PodInfo, so nothing here goes stale.
 */
export class PodInfo {
  readonly key: string;
  readonly priority: number;
  private _requests?: PodResourceRequest;
  private _hostPorts?: HostPort[];
  private _tolerations?: Toleration[];
  private _required?: RequiredNodeAffinity;
  private _preferred?: PreferredNodeAffinity | null;
  private _images?: string[];

  constructor(readonly pod: Pod) {
    this.key = podKey(pod);
    this.priority = podPriority(pod);
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? '';
  }

  get name(): string {
    return this.pod.metadata.name ?? '';
  }

  /** Effective requests (see computePodResourceRequest). */
  get requests(): PodResourceRequest {
    return (this._requests ??= computePodResourceRequest(this.pod));
  }

  /** Container ports with a host port (> 0). */
  get hostPorts(): HostPort[] {
    if (!this._hostPorts) {
      const out: HostPort[] = [];
      for (const c of this.pod.spec?.containers ?? []) {
        for (const p of c?.ports ?? []) {
          const hostPort = Number(p?.hostPort ?? 0);
          if (hostPort > 0) out.push({ hostIP: p.hostIP ?? '', protocol: p.protocol ?? '', hostPort });
        }
      }
      this._hostPorts = out;
    }
    return this._hostPorts;
  }

  get tolerations(): Toleration[] {
    return (this._tolerations ??= parseTolerations(this.pod.spec?.tolerations));
  }

  /** nodeSelector + required node affinity. */
  get requiredAffinity(): RequiredNodeAffinity {
    return (this._required ??= new RequiredNodeAffinity(this.pod));
  }

  /** Preferred node affinity, or null. */
  get preferredAffinity(): PreferredNodeAffinity | null {
    if (this._preferred === undefined) this._preferred = PreferredNodeAffinity.of(this.pod);
    return this._preferred;
  }

  /**
   * The PodInfo of this pod assumed onto `nodeName` (a shallow copy with spec.nodeName set),
   * sharing everything already derived, which the node name does not change.
   */
  assumedOn(nodeName: string): PodInfo {
    const pod: Pod = { ...this.pod, spec: { ...(this.pod.spec ?? {}), nodeName } };
    const c = new PodInfo(pod);
    c._requests = this.requests;
    c._hostPorts = this.hostPorts;
    c._tolerations = this._tolerations;
    c._required = this._required;
    c._preferred = this._preferred;
    c._images = this._images;
    return c;
  }

  /**
   * A PodInfo for a newer version of the same pod that reuses the resource requests and host
   * ports derived here: container resources and ports cannot change on a pod in v1.32.
   */
  withNewerVersion(pod: Pod): PodInfo {
    const c = new PodInfo(pod);
    c._requests = this._requests;
    c._hostPorts = this._hostPorts;
    return c;
  }

  /** The images of init and regular containers, with `:latest` added where no tag is given. */
  get images(): string[] {
    if (!this._images) {
      const out: string[] = [];
      for (const c of this.pod.spec?.initContainers ?? []) out.push(normalizedImageName(String(c?.image ?? '')));
      for (const c of this.pod.spec?.containers ?? []) out.push(normalizedImageName(String(c?.image ?? '')));
      this._images = out;
    }
    return this._images;
  }
}

/** Adds `:latest` to an image reference without a tag (a `:` after the last `/`). */
export function normalizedImageName(name: string): string {
  if (name.lastIndexOf(':') <= name.lastIndexOf('/')) return `${name}:latest`;
  return name;
}
