import type { FieldError } from '../../machinery/status.js';

/** A JSON object as the API serves it. */
export type ApiObject = Record<string, any>;

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
  /** Columns after Name (Name, format `name`, is always first). */
  columns: TableColumn[];
  /** The cells after the name, in column order. `now` is the time ages are measured against. */
  cells(obj: ApiObject, now: number): unknown[];
}

/**
 * The lifecycle rules of one resource, one method per step. The generic registry calls them in
 * this order: create → prepareForCreate, validate; update → prepareForUpdate, validateUpdate.
 */
export interface Strategy {
  /** Clears what a client may not set and fills server-owned fields on create. */
  prepareForCreate(obj: ApiObject): void;
  /** Keeps server-owned fields of `old` on update (status, for example). */
  prepareForUpdate(obj: ApiObject, old: ApiObject): void;
  /** Field errors of a new object (metadata is checked by the registry). */
  validate(obj: ApiObject): FieldError[];
  /** Field errors of an update. */
  validateUpdate(obj: ApiObject, old: ApiObject): FieldError[];
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
}

/** `v1` for the core group, `apps/v1` otherwise. */
export function apiVersionOf(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** The verbs of a resource with the full set of reads and writes. */
export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
