import protobuf from 'protobufjs';
import type { SchemaRegistry } from '../schema/registry.js';
import type { Field, Shape, TypeDef } from '../schema/shapes.js';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** The four bytes every Kubernetes protobuf body starts with: `k8s\0`. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** A protobuf body that cannot be read; the API answers it with 400. */
export class ProtobufError extends Error {}

/** What a protobuf envelope (runtime.Unknown) carries. */
export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The object's own protobuf encoding. */
  raw: Uint8Array;
}

const protoName = (typeName: string) => typeName.replace(/\./g, '_');

/**
 * Reads Kubernetes protobuf bodies, with message types derived from the schema registry: field
 * numbers and shapes come from the one description of each type, and decoding yields the same JSON
 * form a JSON body would (timestamps as RFC 3339, bytes as base64, zero values dropped as Go's
 * JSON encoding drops them).
 */
export class ProtobufCodec {
  private readonly root = new protobuf.Root();
  private readonly unknown: protobuf.Type;

  constructor(private readonly schemas: SchemaRegistry) {
    this.root.add(new protobuf.Type('Time').add(new protobuf.Field('seconds', 1, 'int64')).add(new protobuf.Field('nanos', 2, 'int32')));
    this.root.add(new protobuf.Type('FieldsV1').add(new protobuf.Field('Raw', 1, 'bytes')));
    this.root.add(new protobuf.Type('TypeMeta').add(new protobuf.Field('apiVersion', 1, 'string')).add(new protobuf.Field('kind', 2, 'string')));
    this.unknown = new protobuf.Type('Unknown')
      .add(new protobuf.Field('typeMeta', 1, 'TypeMeta'))
      .add(new protobuf.Field('raw', 2, 'bytes'))
      .add(new protobuf.Field('contentEncoding', 3, 'string'))
      .add(new protobuf.Field('contentType', 4, 'string'));
    this.root.add(this.unknown);
    for (const t of schemas.all()) this.root.add(this.messageOf(t));
    this.root.resolveAll();
  }

  /** Opens the `k8s\0` + runtime.Unknown envelope of a body. */
  unwrap(body: Buffer): Envelope {
    if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new ProtobufError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    let msg: protobuf.Message & { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array; contentEncoding?: string };
    try {
      msg = this.unknown.decode(body.subarray(4)) as typeof msg;
    } catch (err) {
      throw new ProtobufError(`unable to decode the protobuf envelope: ${(err as Error).message}`);
    }
    if (msg.contentEncoding) throw new ProtobufError(`unsupported content encoding ${JSON.stringify(msg.contentEncoding)}`);
    return { apiVersion: msg.typeMeta?.apiVersion ?? '', kind: msg.typeMeta?.kind ?? '', raw: msg.raw ?? new Uint8Array(0) };
  }

  /** Decodes an object's own protobuf bytes into its JSON form. */
  decode(typeName: string, raw: Uint8Array): Record<string, unknown> {
    const type = this.root.lookupType(protoName(typeName));
    let msg: protobuf.Message;
    try {
      msg = type.decode(raw);
    } catch (err) {
      throw new ProtobufError(`unable to decode ${typeName}: ${(err as Error).message}`);
    }
    return this.toJson(this.schemas.type(typeName), msg as unknown as Record<string, unknown>);
  }

  private messageOf(t: TypeDef): protobuf.Type {
    const m = new protobuf.Type(protoName(t.name));
    for (const f of t.fields) {
      if (f.shape.kind === 'map') m.add(new protobuf.MapField(f.name, f.proto, 'string', scalarOf(f.shape.value)));
      else if (f.shape.kind === 'list') m.add(new protobuf.Field(f.name, f.proto, scalarOf(f.shape.item), 'repeated', undefined, { packed: false }));
      else m.add(new protobuf.Field(f.name, f.proto, scalarOf(f.shape)));
    }
    return m;
  }

  private toJson(t: TypeDef, msg: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of t.fields) {
      if (!Object.prototype.hasOwnProperty.call(msg, f.name)) continue;
      const v = this.value(f.shape, msg[f.name], f);
      if (v !== undefined) out[f.name] = v;
    }
    return out;
  }

  private value(shape: Shape, v: unknown, f?: Field): unknown {
    switch (shape.kind) {
      case 'string': return v === '' && !f?.keepZero ? undefined : v;
      case 'bool': return v === false && !f?.keepZero ? undefined : v;
      case 'int32':
      case 'int64': {
        const n = typeof v === 'object' && v !== null ? Number(String(v)) : Number(v);
        return n === 0 && !f?.keepZero ? undefined : n;
      }
      case 'bytes': return Buffer.from(v as Uint8Array).toString('base64');
      case 'time': {
        const seconds = Number(String((v as { seconds?: unknown }).seconds ?? 0));
        return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
      case 'rawJson': {
        const raw = (v as { Raw?: Uint8Array }).Raw;
        if (!raw || raw.length === 0) return undefined;
        try {
          return JSON.parse(Buffer.from(raw).toString('utf8'));
        } catch {
          throw new ProtobufError('fieldsV1 does not hold JSON');
        }
      }
      case 'map': {
        const entries = Object.entries(v as Record<string, unknown>);
        if (entries.length === 0) return undefined;
        return Object.fromEntries(entries.map(([k, x]) => [k, this.value(shape.value, x) ?? (shape.value.kind === 'string' ? '' : x)]));
      }
      case 'list': {
        const items = v as unknown[];
        if (items.length === 0) return undefined;
        return items.map((x) => this.value(shape.item, x) ?? (shape.item.kind === 'string' ? '' : {}));
      }
      case 'ref': {
        const obj = this.toJson(this.schemas.type(shape.type), v as Record<string, unknown>);
        return Object.keys(obj).length === 0 && !f?.keepZero ? undefined : obj;
      }
    }
  }
}

function scalarOf(shape: Shape): string {
  switch (shape.kind) {
    case 'time': return 'Time';
    case 'rawJson': return 'FieldsV1';
    case 'ref': return protoName(shape.type);
    case 'map':
    case 'list': throw new Error('nested collections are not described by Kubernetes types');
    default: return shape.kind;
  }
}
