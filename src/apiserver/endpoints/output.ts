import type { ServerResponse } from 'node:http';
import { PROTOBUF_MEDIA_TYPE, type ProtobufCodec } from '../../api/protobuf/codec.js';
import type { SchemaRegistry } from '../../api/schema/registry.js';
import type { ListItem } from '../registry/generic-registry.js';
import { apiVersionOf, type ApiObject, type ResourceDefinition } from '../registry/resource.js';
import { writeJson } from '../request/context.js';
import { listJson } from './encoding.js';
import type { OutputForm } from './negotiation.js';
import { renderTable, type IncludeObject } from './table.js';

/** The PartialObjectMetadata form of an object. */
export function partialObjectMetadata(apiVersion: string, obj: ApiObject): ApiObject {
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
}

/**
 * Writes object and list answers in the form negotiated for them: JSON, protobuf, Table or
 * PartialObjectMetadata.
 */
export class OutputWriter {
  constructor(private readonly schemas: SchemaRegistry, private readonly codec: ProtobufCodec) {}

  /** Whether protobuf can be produced for objects of `def`. */
  canProtobuf(def: Pick<ResourceDefinition, 'group' | 'version' | 'kind'>): boolean {
    return this.schemas.kind(def.group, def.version, def.kind) !== undefined;
  }

  /** Writes one object. */
  object(res: ServerResponse, def: ResourceDefinition, code: number, obj: ApiObject, form: OutputForm, include: IncludeObject): void {
    switch (form.kind) {
      case 'table':
        writeJson(res, code, renderTable(def, form.apiVersion, [obj], { resourceVersion: obj.metadata.resourceVersion }, include));
        return;
      case 'partial':
        writeJson(res, code, partialObjectMetadata(form.apiVersion, obj));
        return;
      case 'protobuf':
        this.writeProtobuf(res, code, obj);
        return;
      default:
        writeJson(res, code, obj);
    }
  }

  /** Writes a list of `def`'s objects with its list metadata. */
  list(res: ServerResponse, def: ResourceDefinition, meta: Record<string, unknown>, items: ListItem[], form: OutputForm, include: IncludeObject): void {
    switch (form.kind) {
      case 'table':
        writeJson(res, 200, renderTable(def, form.apiVersion, items.map((i) => i.object), meta, include));
        return;
      case 'partial':
        writeJson(res, 200, {
          kind: 'PartialObjectMetadataList', apiVersion: form.apiVersion, metadata: meta,
          items: items.map((i) => partialObjectMetadata(form.apiVersion, i.object)),
        });
        return;
      case 'protobuf':
        this.writeProtobuf(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: meta, items: items.map((i) => i.object) });
        return;
      default:
        writeJson(res, 200, listJson(def.kind, apiVersionOf(def), meta, items));
    }
  }

  private writeProtobuf(res: ServerResponse, code: number, obj: ApiObject): void {
    const body = this.codec.encodeObject(obj);
    res.writeHead(code, { 'Content-Type': PROTOBUF_MEDIA_TYPE, 'Content-Length': body.length });
    res.end(body);
  }
}
