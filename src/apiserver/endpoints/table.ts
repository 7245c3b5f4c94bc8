import type { ApiObject, ResourceDefinition, TableColumn } from '../registry/resource.js';

/** Upstream's description of the Name column. */
const NAME_DESCRIPTION = 'Name must be unique within a namespace; it is what clients use to refer to the object.';

/** The column definitions of a resource's Table form, Name first. */
export function columnDefinitions(def: ResourceDefinition): Array<Required<TableColumn> & { format: string }> {
  const name: TableColumn = { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION };
  const cols: TableColumn[] = def.table.nameLast ? [...def.table.columns, { ...name, priority: 1 }] : [name, ...def.table.columns];
  return cols.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority ?? 0 }));
}

/** What a Table row carries as its `object`, from the `includeObject` parameter. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** One Table row of an object. */
export function tableRow(def: ResourceDefinition, obj: ApiObject, include: IncludeObject, now: number): Record<string, unknown> {
  const cells = def.table.cells(obj, now);
  const row: Record<string, unknown> = { cells: def.table.nameLast ? [...cells, obj.metadata.name] : [obj.metadata.name, ...cells] };
  if (include === 'Object') row.object = obj;
  else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  else row.object = null;
  return row;
}

/** A whole Table answer. `columns: false` leaves the definitions out (later watch events). */
export function renderTable(def: ResourceDefinition, apiVersion: string, objs: ApiObject[], meta: Record<string, unknown>,
  include: IncludeObject, columns = true): Record<string, unknown> {
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion,
    metadata: meta,
    columnDefinitions: columns ? columnDefinitions(def) : null,
    rows: objs.map((o) => tableRow(def, o, include, now)),
  };
}

/** Parses `includeObject` (default Metadata). */
export function parseIncludeObject(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
