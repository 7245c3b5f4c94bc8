/**
 * The generations of the EndpointSlices this controller wrote, per service, to tell a lagging
 * informer cache from changes made by others (`EndpointSliceTracker`).
 */
import type { Obj } from './util/pods.js';
import { LABEL_SERVICE_NAME } from './slice-meta.js';

/** Generation value meaning "this controller deleted the slice". */
const DELETION_EXPECTED = -1;

function serviceOf(slice: Obj): string {
  return `${slice.metadata.namespace}/${slice.metadata.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
}

/** Tracks expected slice generations by slice uid, grouped by service. */
export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();
  private readonly serviceUids = new Map<string, string>();

  /** Whether a generation is tracked for this slice. */
  has(slice: Obj): boolean {
    return this.byService.get(serviceOf(slice))?.has(slice.metadata.uid ?? '') ?? false;
  }

  /** True unless the slice's generation is one this controller already wrote (or older). */
  shouldSync(slice: Obj): boolean {
    const g = this.byService.get(serviceOf(slice))?.get(slice.metadata.uid ?? '');
    return g === undefined || (slice.metadata.generation ?? 0) > g;
  }

  /**
   * Whether the cache looks older than this controller's writes for `svc`: a slice older than
   * tracked, one expected to be deleted, or a tracked slice missing. A recreated service (new
   * uid) starts over.
   */
  staleSlices(svc: Obj, slices: Obj[]): boolean {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const uid = svc.metadata.uid ?? '';
    const tracked = this.serviceUids.get(key);
    if (tracked && uid && tracked !== uid) this.byService.delete(key);
    this.serviceUids.set(key, uid);
    const gens = this.byService.get(key);
    if (!gens) return false;
    const provided = new Set<string>();
    for (const s of slices) {
      const sUid = s.metadata.uid ?? '';
      provided.add(sUid);
      const g = gens.get(sUid);
      if (g !== undefined && (g === DELETION_EXPECTED || g > (s.metadata.generation ?? 0))) return true;
    }
    for (const [sUid, g] of gens) if (g !== DELETION_EXPECTED && !provided.has(sUid)) return true;
    return false;
  }

  /** Records the generation of a slice this controller created or updated. */
  update(slice: Obj): void {
    this.gens(slice).set(slice.metadata.uid ?? '', slice.metadata.generation ?? 0);
  }

  /** Records that this controller deleted the slice. */
  expectDeletion(slice: Obj): void {
    this.gens(slice).set(slice.metadata.uid ?? '', DELETION_EXPECTED);
  }

  /** Forgets a deleted slice; answers whether this controller expected the deletion. */
  handleDeletion(slice: Obj): boolean {
    const gens = this.byService.get(serviceOf(slice));
    if (!gens) return true;
    const g = gens.get(slice.metadata.uid ?? '');
    gens.delete(slice.metadata.uid ?? '');
    return !(g !== undefined && g !== DELETION_EXPECTED);
  }

  deleteService(namespace: string, name: string): void {
    this.byService.delete(`${namespace}/${name}`);
    this.serviceUids.delete(`${namespace}/${name}`);
  }

  private gens(slice: Obj): Map<string, number> {
    const key = serviceOf(slice);
    let gens = this.byService.get(key);
    if (!gens) this.byService.set(key, (gens = new Map()));
    return gens;
  }
}
