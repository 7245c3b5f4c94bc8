import type { FieldError } from '../../machinery/status.js';

/** A JSON object as the API serves it. */
export type ApiObject = Record<string, any>;

/** Whether a JSON value is an object (not null, not a list). */
export function isApiObject(v: unknown): v is ApiObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One column of a resource's Table form. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0 shows always; 1 only with `-o wide`. */
  priority?: number;
}

/** How a resource is shown as a Table: its columns and the cells of one object. */
export interface TableDefinition {
  /** Columns after Name (Name, format `name`, is first unless `nameLast`). */
  columns: TableColumn[];
  /** Name comes last and only with `-o wide` (priority 1), as for events. */
  nameLast?: boolean;
  /** The cells after the name, in column order. `now` is the time ages are measured against. */
  cells(obj: ApiObject, now: number): unknown[];
}

/**
 * The lifecycle rules of one resource, one method per step. The generic registry calls them in
 * this order: create → defaults, prepareForCreate, validate; update (and every patch result) →
 * defaults, prepareForUpdate, validateUpdate. Status updates (`/status`) keep everything but
 * `metadata` and `status` from the stored object and then run prepareForStatusUpdate and
 * validateStatusUpdate when given (validateUpdate otherwise).
 */
export interface Strategy {
  /**
   * Upstream's defaulting (`SetDefaults_*`): fills omitted fields of a decoded object in place. It
   * runs on every create and update body and on every patch result, before anything else.
   */
  defaults?(obj: ApiObject): void;
  /** Clears what a client may not set and fills server-owned fields on create. */
  prepareForCreate(obj: ApiObject): void;
  /** Keeps server-owned fields of `old` on update (status, for example). */
  prepareForUpdate(obj: ApiObject, old: ApiObject): void;
  /** Field errors of a new object (metadata is checked by the registry). */
  validate(obj: ApiObject): FieldError[];
  /** Field errors of an update. */
  validateUpdate(obj: ApiObject, old: ApiObject): FieldError[];
  /**
   * Whether an update changes what `metadata.generation` counts; by default anything outside
   * `metadata` and `status` (Deployments also count annotations).
   */
  generationChanged?(obj: ApiObject, old: ApiObject): boolean;
  /** Prepares a status update; the registry has already copied everything but metadata and status from `old`. */
  prepareForStatusUpdate?(obj: ApiObject, old: ApiObject): void;
  /** Field errors of a status update (defaults to validateUpdate). */
  validateStatusUpdate?(obj: ApiObject, old: ApiObject): FieldError[];
  /**
   * For graceful deletion (pods): the grace period in seconds the object gets when a delete asks for
   * `requested` (undefined when the request names none), or 0 to remove it at once.
   */
  gracePeriod?(obj: ApiObject, requested: number | undefined): number;
  /** Marks an object that is being removed (namespaces: phase Terminating). */
  prepareForDeletion?(obj: ApiObject): void;
  /** The values of the field selectors this resource supports, beyond metadata.name/namespace. */
  fieldSelectorFields?(obj: ApiObject): Record<string, string>;
}

/** Everything the server knows about one resource; discovery, routing and storage derive from it. */
export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  /** Plural, lower case: the URL segment (`configmaps`). */
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  verbs: string[];
  /** Whether PUT on a missing object creates it. */
  allowCreateOnUpdate: boolean;
  /** Whether DELETE answers with the deleted object (true) or a success Status (false). */
  returnDeletedObject: boolean;
  table: TableDefinition;
  strategy: Strategy;
  /**
   * The rule for object names, as upstream's per-resource name validation: the reasons a name is
   * not acceptable (empty when it is). DNS-1123 subdomains when absent.
   */
  validateName?(name: string): string[];
  /**
   * False for resources that are not stored objects (`bindings`, `componentstatuses`): they are
   * listed in discovery and answered by their own handlers.
   */
  stored?: false;
  /** Subresources served besides the object itself (`status`, `scale`, `binding`, `finalize`). */
  subresources?: Array<'status' | 'scale' | 'binding' | 'finalize'>;
  /**
   * Whether the object keeps `metadata.generation`: 1 on create, incremented by every update that
   * changes anything outside `metadata` and `status`.
   */
  tracksGeneration?: boolean;
  /** Where the `scale` subresource finds replicas and the selector (dotted JSON paths). */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /**
   * For a resource served in more than one form, the resource and version whose registry stores
   * it, with the conversions between the two forms. The served form's strategy still defaults and
   * validates what clients send through it.
   */
  storedAs?: {
    /** The stored resource's group and plural, when they differ (events.k8s.io events are core events). */
    group?: string;
    plural?: string;
    version: string;
    toStored(obj: ApiObject): ApiObject;
    fromStored(obj: ApiObject): ApiObject;
    /** Field selector names of this form and the stored form's names they select on. */
    fieldLabels?: Record<string, string>;
  };
}

/** `v1` for the core group, `apps/v1` otherwise. */
export function apiVersionOf(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** The verbs of a resource with the full set of reads and writes. */
export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
