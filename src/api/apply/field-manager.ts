/**
 * Server-side apply and managedFields tracking for one API server, with upstream's behaviour
 * (k8s.io/apimachinery managedfields + structured-merge-diff v4):
 *
 * - {@link FieldManager.update} records who changed what on every create, update and non-apply
 *   patch (operation `Update`);
 * - {@link FieldManager.apply} performs an `application/apply-patch+yaml` patch (operation `Apply`).
 *
 * Both keep upstream's rules around the core merge: metadata fields nobody can own (name,
 * namespace, uid, resourceVersion, generation, creationTimestamp, managedFields, selfLink, and
 * apiVersion/kind) are never recorded; an object without managedFields stays untracked by updates
 * until something applies to it, whereupon its existing fields go to `before-first-apply`; at most
 * 10 Update managers are kept, older ones merging into `ancient-changes`; the `kubectl` manager's
 * conflicts are excused by kubectl's last-applied annotation.
 */
import type { SchemaRegistry } from '../schema/registry.js';
import type { ApiObject } from '../../apiserver/registry/resource.js';
import { ApiError, badRequest } from '../../machinery/status.js';
import { conflictError, ConflictsError } from './conflicts.js';
import { FieldSet } from './field-set.js';
import { compareGoStrings, hasOwn, isObject, setOwn, type Json } from './go-format.js';
import { allowedConflicts, hasLastApplied, LAST_APPLIED_ANNOTATION, LAST_APPLIED_MANAGER, lastAppliedValue, unexcused } from './last-applied.js';
import {
  decodeManagedFields, encodeManagedFields, formatTime, isResetManagedFields, Managed, ManagedFieldsError, managerIdentifier,
  timeSeconds, type ManagedFieldsEntry,
} from './managed-fields.js';
import { TypeSchema } from './schema-atoms.js';
import { MergeError } from './typed-merge.js';
import { CompareError } from './typed-compare.js';
import { ListItemError } from './list-items.js';
import { formatValidationErrors, validateValue } from './typed-validate.js';
import { recordApply, recordUpdate, type ManagerSets, type TypeContext } from './updater.js';
import { zeroObject } from './zero-values.js';

/** A JSON object as the API serves it. */
type Obj = { [key: string]: Json };

/** Options of a field manager. */
export interface FieldManagerOptions {
  /** The clock managedFields times are read from (tests pin it); the system clock by default. */
  now?: () => Date;
  /** Update managers kept before the oldest merge into `ancient-changes`; 10 as upstream. */
  maxUpdateManagers?: number;
}

/** Where a write goes. */
export interface WriteScope {
  /** The subresource written through (`status`, `scale`); empty or absent for the object itself. */
  subresource?: string;
  /**
   * Field paths the resource's strategy resets on this endpoint, which no manager may own or
   * change: `[['status']]` for the main resource of a kind with a status subresource,
   * `[['spec']]` (plus e.g. `['metadata', 'labels']` for workloads) for `/status`. See
   * {@link defaultResetFields}.
   */
  resetFields?: string[][];
}

/** The manager name of the write that gives an untracked object's fields an owner on its first apply. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';
/** The manager the oldest Update managers merge into. */
export const ANCIENT_CHANGES = 'ancient-changes';
/** Update managers kept by default. */
export const DEFAULT_MAX_UPDATE_MANAGERS = 10;

const CURRENT_OPERATION = 'current-operation';

const STRIPPED = FieldSet.of(
  [{ field: 'apiVersion' }], [{ field: 'kind' }], [{ field: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f) => [{ field: 'metadata' }, { field: f }]),
);

/**
 * The reset fields upstream's strategies use for most kinds: `status` on the main resource and
 * `spec` on `/status`, when the kind has a status subresource; none otherwise. Strategies with
 * more (Deployments reset `metadata.labels` on `/status`, Pods `metadata.deletionTimestamp` and
 * `metadata.ownerReferences`) should pass their own list.
 */
export function defaultResetFields(subresource: string | undefined, hasStatusSubresource: boolean): string[][] {
  if (!hasStatusSubresource) return [];
  return subresource === 'status' ? [['spec']] : subresource ? [] : [['status']];
}

/** Tracks managedFields and performs server-side apply for the types of a schema registry. */
export class FieldManager {
  private readonly schema: TypeSchema;
  private readonly now: () => Date;
  private readonly maxUpdateManagers: number;

  constructor(readonly schemas: SchemaRegistry, opts: FieldManagerOptions = {}) {
    this.schema = new TypeSchema(schemas);
    this.now = opts.now ?? (() => new Date());
    this.maxUpdateManagers = opts.maxUpdateManagers ?? DEFAULT_MAX_UPDATE_MANAGERS;
  }

  /**
   * Records an Update operation on `newObj.metadata.managedFields`, in place.
   *
   * Call it for every create (`oldObj` null), update and non-apply patch, with the object as it is
   * about to be stored (after defaulting), and the stored object before the write. `typeName` is
   * the schema name of the kind (`io.k8s.api.apps.v1.Deployment`); `apiVersion` the version the
   * request was served in (`apps/v1`); `manager` the request's fieldManager, or
   * {@link managerOrUserAgent}'s answer ('' is recorded as `unknown`).
   *
   * The fields that changed from `oldObj` to `newObj` become the manager's and leave other
   * managers; removed fields leave everyone. When `newObj` carries managedFields that decode, they
   * replace the stored ones first (kubectl migrates ownership that way), and an empty list `[]`
   * stops tracking; writes through a subresource ignore the request's managedFields. An existing
   * object with no managedFields stays untracked. Never throws: on an internal failure the
   * object is written without managedFields, as upstream does.
   */
  update(typeName: string, apiVersion: string, oldObject: ApiObject | null, newObject: ApiObject, manager: string, scope: WriteScope = {}): void {
    const oldObj = oldObject as Obj | null;
    const newObj = newObject as Obj;
    try {
      const ctx = this.context(typeName, scope);
      const managed = decodeLiveOrNew(oldObj, newObj, Boolean(scope.subresource));
      deleteManagedFields(newObj);
      if (managed.fields.size === 0 && oldObj !== null) return;
      const live = oldObj ? withoutManagedFields(oldObj) : this.zero(typeName, apiVersion);
      this.trackUpdate(ctx, live, newObj, apiVersion, managed, manager, scope.subresource);
      setManagedFields(newObj, encodeManagedFields(managed));
    } catch {
      deleteManagedFields(newObj);
    }
  }

  /**
   * Performs a server-side apply of `patchObj` (a decoded apply body, see {@link decodeApplyPatch})
   * by `manager` on `liveObj` (the stored object, or null to create it) and answers the new object
   * with its `metadata.managedFields` set; `liveObj` and `patchObj` are not modified. When nothing
   * changes the answer is a copy of `liveObj` (its managedFields may still change).
   *
   * Throws ApiError: 400 `invalid object type: <group>/<version>, Kind=<kind>` when the body's
   * apiVersion/kind are not the served ones, 400 `metadata.managedFields must be nil`, 409 Conflict
   * (FieldManagerConflict causes) when the apply would change fields other managers own and
   * `force` is false, 500 `failed to create typed patch object (...)` for a body that does not
   * match the schema (unknown field, wrong type, duplicate list keys). The caller still checks the
   * result against the URL ({@link checkAppliedObject}), runs the usual defaulting, admission and
   * validation, and must not record an Update for this write: the answer's managedFields are final.
   */
  apply(typeName: string, apiVersion: string, liveObject: ApiObject | null, patchObject: ApiObject, manager: string, force: boolean, scope: WriteScope = {}): ApiObject {
    const liveObj = liveObject as Obj | null;
    const patchObj = patchObject as Obj;
    const ctx = this.context(typeName, scope);
    const kind = this.kindOf(typeName);
    let managed: Managed;
    try {
      managed = decodeManagedFields(liveObj && isObject(liveObj.metadata) ? liveObj.metadata.managedFields : undefined);
    } catch (err) {
      if (err instanceof ManagedFieldsError) throw new ApiError(500, '', `failed to decode managed fields: ${err.message}`);
      throw err;
    }
    const gvk = gvkOf(patchObj);
    const [group, version] = splitApiVersion(apiVersion);
    if (gvk.group !== group || gvk.version !== version || gvk.kind !== kind) {
      throw badRequest(`invalid object type: ${gvk.group}/${gvk.version}, Kind=${gvk.kind}`);
    }
    const live = liveObj ? withoutManagedFields(liveObj) : this.zero(typeName, apiVersion);
    const attempt = (f: boolean) => this.applyOnce(ctx, typeName, apiVersion, live, liveObj === null, patchObj, managed.clone(), manager, f, scope.subresource);
    let result: { object: Obj; managed: Managed };
    try {
      result = attempt(force);
    } catch (err) {
      if (!(err instanceof ConflictsError)) throw err;
      if (manager !== LAST_APPLIED_MANAGER) throw conflictError(err.conflicts);
      const allowed = allowedConflicts(ctx, liveObj, apiVersion);
      if (!allowed) throw conflictError(err.conflicts);
      const left = unexcused(err.conflicts, allowed);
      if (left.length > 0) throw conflictError(left);
      result = attempt(true);
    }
    const out = result.object;
    if (manager === LAST_APPLIED_MANAGER && hasLastApplied(out)) setLastApplied(out, lastAppliedValue(patchObj));
    setManagedFields(out, encodeManagedFields(result.managed));
    return out;
  }

  private applyOnce(ctx: TypeContext, typeName: string, apiVersion: string, live: Obj, creating: boolean, patch: Obj,
    managed: Managed, manager: string, force: boolean, subresource: string | undefined): { object: Obj; managed: Managed } {
    if (managed.fields.size === 0) this.trackUpdate(ctx, this.zero(typeName, apiVersion), live, apiVersion, managed, BEFORE_FIRST_APPLY, subresource);
    const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Apply', subresource });
    if (isObject(patch.metadata) && Array.isArray(patch.metadata.managedFields)) throw badRequest('metadata.managedFields must be nil');
    const errs = validateValue(ctx.schema, ctx.root, patch);
    if (errs.length > 0) {
      const meta = isObject(patch.metadata) ? patch.metadata : {};
      const gvk = gvkOf(patch);
      const where = `${str(meta.namespace)}/${str(meta.name)}; ${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
      throw new ApiError(500, '', `failed to create typed patch object (${where}): ${formatValidationErrors(errs)}`);
    }
    let out: Json | null;
    try {
      out = recordApply(ctx, live, patch, apiVersion, managed.fields, id, force);
    } catch (err) {
      if (err instanceof MergeError) throw new ApiError(500, '', `failed to merge config: ${err.message}`);
      if (err instanceof CompareError || err instanceof ListItemError) {
        const meta = isObject(live.metadata) ? live.metadata : {};
        throw new ApiError(500, '', `failed to create typed live object (${str(meta.namespace)}/${str(meta.name)}; ${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${str(live.kind)}): ${err.message}`);
      }
      throw err;
    }
    stripMeta(managed.fields, id);
    if (out !== null) managed.times.set(id, formatTime(this.now()));
    const object = out === null ? structuredClone(live) : (dropNewNulls(out, creating ? undefined : live) as Obj);
    return { object, managed };
  }

  /** The Update bookkeeping of one write, `manager` being a plain name. */
  private trackUpdate(ctx: TypeContext, live: Obj, newObj: Obj, apiVersion: string, managed: Managed, manager: string, subresource: string | undefined): void {
    const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Update', apiVersion, subresource });
    recordUpdate(ctx, live, withoutManagedFields(newObj), apiVersion, managed.fields, CURRENT_OPERATION);
    stripMeta(managed.fields, CURRENT_OPERATION);
    const vs = managed.fields.get(CURRENT_OPERATION);
    if (vs) {
      managed.fields.delete(CURRENT_OPERATION);
      const prev = managed.fields.get(id);
      managed.fields.set(id, { set: prev ? vs.set.union(prev.set) : vs.set, apiVersion: vs.apiVersion, applied: vs.applied });
      managed.times.set(id, formatTime(this.now()));
    }
    capUpdateManagers(managed, this.maxUpdateManagers);
  }

  private context(typeName: string, scope: WriteScope): TypeContext {
    const reset = scope.resetFields && scope.resetFields.length > 0
      ? FieldSet.of(...scope.resetFields.map((p) => p.map((field) => ({ field })))) : undefined;
    return { schema: this.schema, root: this.schema.root(typeName), reset };
  }

  private kindOf(typeName: string): string {
    const gvk = this.schemas.type(typeName).gvk;
    if (!gvk) throw new Error(`type ${typeName} is not a kind`);
    return gvk.kind;
  }

  private zero(typeName: string, apiVersion: string): Obj {
    return zeroObject(typeName, apiVersion, this.kindOf(typeName));
  }
}

/** Upstream's limit on the total size of an object's annotations (keys and values), in bytes. */
const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

/** Sets the last-applied annotation, or drops it when the annotations would grow past their limit. */
function setLastApplied(obj: Obj, value: string): void {
  const meta = obj.metadata as Obj;
  const annotations: { [k: string]: string } = { ...(meta.annotations as { [k: string]: string }), [LAST_APPLIED_ANNOTATION]: value };
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  if (size > ANNOTATIONS_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
  meta.annotations = annotations;
}

function str(v: Json | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** `apps/v1` → [apps, v1]; `v1` → ['', v1]. */
function splitApiVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

/** The group/version/kind an object claims, read as upstream reads an unstructured object. */
function gvkOf(obj: Obj): { group: string; version: string; kind: string } {
  const kind = str(obj.kind);
  const av = str(obj.apiVersion);
  const parts = av.split('/');
  if (av === '') return { group: '', version: '', kind };
  if (parts.length === 1) return { group: '', version: av, kind };
  if (parts.length === 2) return { group: parts[0], version: parts[1], kind };
  return { group: '', version: '', kind };
}

function withoutManagedFields(obj: Obj): Obj {
  if (!isObject(obj.metadata) || !hasOwn(obj.metadata, 'managedFields')) return obj;
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  return { ...obj, metadata };
}

function deleteManagedFields(obj: Obj): void {
  if (isObject(obj.metadata)) delete obj.metadata.managedFields;
}

function setManagedFields(obj: Obj, entries: ManagedFieldsEntry[] | undefined): void {
  if (!isObject(obj.metadata)) {
    if (!entries) return;
    obj.metadata = {};
  }
  const meta = obj.metadata as Obj;
  if (entries) meta.managedFields = entries as unknown as Json;
  else delete meta.managedFields;
}

/** The ownership to start from: the request's managedFields when usable, else the stored ones. */
function decodeLiveOrNew(oldObj: Obj | null, newObj: Obj, ignoreRequest: boolean): Managed {
  const fromLive = () => {
    try {
      return decodeManagedFields(oldObj && isObject(oldObj.metadata) ? oldObj.metadata.managedFields : undefined);
    } catch (err) {
      if (err instanceof ManagedFieldsError) return new Managed();
      throw err;
    }
  };
  if (ignoreRequest) return fromLive();
  const requested = isObject(newObj.metadata) ? newObj.metadata.managedFields : undefined;
  if (isResetManagedFields(requested)) return new Managed();
  try {
    const m = decodeManagedFields(requested);
    return m.fields.size === 0 ? fromLive() : m;
  } catch (err) {
    if (err instanceof ManagedFieldsError) return fromLive();
    throw err;
  }
}

/** Removes the fields nobody may own from `id`'s set; drops the manager when nothing is left. */
function stripMeta(fields: ManagerSets, id: string): void {
  const vs = fields.get(id);
  if (!vs) return;
  const set = vs.set.difference(STRIPPED);
  if (set.empty()) fields.delete(id);
  else fields.set(id, { ...vs, set });
}

/** Merges the oldest Update managers into `ancient-changes` (one per apiVersion) beyond `max`. */
function capUpdateManagers(managed: Managed, max: number): void {
  const { fields, times } = managed;
  const updaters = [...fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => (timeSeconds(times.get(a)) - timeSeconds(times.get(b))) || compareGoStrings(a, b));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i];
    const vs = fields.get(id)!;
    const time = times.get(id);
    const bucket = managerIdentifier({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: vs.apiVersion });
    const first = firstByVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstByVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!fields.has(bucket)) {
      const s = fields.get(first)!;
      fields.delete(first);
      fields.set(bucket, s);
    }
    fields.set(bucket, { set: vs.set.union(fields.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
    fields.delete(id);
    length--;
    times.set(bucket, time);
  }
}

/** `v` without the null map entries that `live` does not have (removals leave them behind). */
function dropNewNulls(v: Json, live: Json | undefined): Json {
  if (Array.isArray(v)) return v.map((x, i) => dropNewNulls(x, Array.isArray(live) ? live[i] : undefined));
  if (!isObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    const l = isObject(live) && hasOwn(live, k) ? live[k] : undefined;
    if (x === null && l !== null) continue;
    setOwn(out, k, dropNewNulls(x, l));
  }
  return out;
}
