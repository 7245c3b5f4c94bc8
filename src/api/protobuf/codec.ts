import protobuf from 'protobufjs';
import type { SchemaRegistry } from '../schema/registry.js';
import type { Field, Shape, TypeDef } from '../schema/shapes.js';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** The four bytes every Kubernetes protobuf body starts with: `k8s\0`. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** A protobuf body that cannot be read (the API answers it with 400), or an object that cannot be written. */
export class ProtobufError extends Error {}

/** What a protobuf envelope (runtime.Unknown) carries. */
export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The object's own protobuf encoding. */
  raw: Uint8Array;
}

type Obj = Record<string, unknown>;

/** Protobuf wire types. */
const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

/** A type prepared for the codec: fields by number, and in the order Go's marshalling writes them. */
interface Compiled {
  def: TypeDef;
  byNumber: Map<number, Field>;
  ordered: Field[];
}

/**
 * Reads and writes Kubernetes protobuf, with message layouts derived from the schema registry:
 * field numbers and shapes come from the one description of each type.
 *
 * Decoding yields the JSON form a JSON body would give (timestamps as RFC 3339, bytes as base64,
 * quantities as strings, int-or-strings as a number or a string, inline members flattened, zero
 * values dropped as Go's JSON encoding drops them). Encoding writes what Go's generated (gogo)
 * marshalling writes for the same object: fields in field-number order, every non-pointer scalar
 * and message field even when zero, pointers, lists, maps and bytes only when set, map entries in
 * key order.
 */
export class ProtobufCodec {
  private readonly unknown: protobuf.Type;
  private readonly compiled = new Map<string, Compiled>();

  constructor(private readonly schemas: SchemaRegistry) {
    const typeMeta = new protobuf.Type('TypeMeta').add(new protobuf.Field('apiVersion', 1, 'string')).add(new protobuf.Field('kind', 2, 'string'));
    this.unknown = new protobuf.Type('Unknown')
      .add(new protobuf.Field('typeMeta', 1, 'TypeMeta'))
      .add(new protobuf.Field('raw', 2, 'bytes'))
      .add(new protobuf.Field('contentEncoding', 3, 'string'))
      .add(new protobuf.Field('contentType', 4, 'string'));
    new protobuf.Root().add(typeMeta).add(this.unknown).resolveAll();
  }

  /** Opens the `k8s\0` + runtime.Unknown envelope of a body. */
  unwrap(body: Buffer | Uint8Array): Envelope {
    const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) throw new ProtobufError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    let msg: protobuf.Message & { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array; contentEncoding?: string };
    try {
      msg = this.unknown.decode(buf.subarray(4)) as typeof msg;
    } catch (err) {
      throw new ProtobufError(`unable to decode the protobuf envelope: ${(err as Error).message}`);
    }
    if (msg.contentEncoding) throw new ProtobufError(`unsupported content encoding ${JSON.stringify(msg.contentEncoding)}`);
    return { apiVersion: msg.typeMeta?.apiVersion ?? '', kind: msg.typeMeta?.kind ?? '', raw: msg.raw ?? new Uint8Array(0) };
  }

  /**
   * Puts an object's own protobuf bytes into the `k8s\0` + runtime.Unknown envelope, as the API
   * server answers: typeMeta, raw, and empty contentEncoding and contentType.
   */
  wrap(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
    const w = protobuf.Writer.create();
    w.uint32(tag(1, LEN)).fork();
    w.uint32(tag(1, LEN)).string(apiVersion).uint32(tag(2, LEN)).string(kind);
    w.ldelim();
    w.uint32(tag(2, LEN)).bytes(raw);
    w.uint32(tag(3, LEN)).string('');
    w.uint32(tag(4, LEN)).string('');
    return Buffer.concat([MAGIC, w.finish()]);
  }

  /** Decodes an object's own protobuf bytes into its JSON form. */
  decode(typeName: string, raw: Uint8Array): Obj {
    try {
      return this.readMessage(typeName, raw);
    } catch (err) {
      if (err instanceof ProtobufError) throw err;
      throw new ProtobufError(`unable to decode ${typeName}: ${(err as Error).message}`);
    }
  }

  /** Encodes the JSON form of an object of type `typeName` into its own protobuf bytes (no envelope). */
  encode(typeName: string, obj: Obj): Uint8Array {
    const w = protobuf.Writer.create();
    this.writeMessage(typeName, obj, w);
    return w.finish();
  }

  /** True when `apiVersion`/`kind` names a kind the registry describes, so encodeObject can write it. */
  canEncode(apiVersion: string, kind: string): boolean {
    return this.typeOf(apiVersion, kind) !== undefined;
  }

  /**
   * Encodes a whole object (a kind or a list of one) into a protobuf body, envelope included; the
   * type comes from its `apiVersion` and `kind`. Throws ProtobufError for kinds not described.
   */
  encodeObject(obj: Obj): Buffer {
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    const t = this.typeOf(apiVersion, kind);
    if (!t) throw new ProtobufError(`no protobuf description of ${kind} in version ${JSON.stringify(apiVersion)}`);
    return this.wrap(apiVersion, kind, this.encode(t.name, obj));
  }

  private typeOf(apiVersion: string, kind: string): TypeDef | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    return this.schemas.kind(group, version, kind);
  }

  private compile(typeName: string): Compiled {
    let c = this.compiled.get(typeName);
    if (!c) {
      const def = this.schemas.type(typeName);
      c = { def, byNumber: new Map(def.fields.map((f) => [f.proto, f])), ordered: [...def.fields].sort((a, b) => a.proto - b.proto) };
      this.compiled.set(typeName, c);
    }
    return c;
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  private readMessage(typeName: string, bytes: Uint8Array): Obj {
    const c = this.compile(typeName);
    const r = protobuf.Reader.create(bytes);
    const got = new Map<Field, unknown>();
    while (r.pos < r.len) {
      const t = r.uint32();
      const f = c.byNumber.get(t >>> 3);
      const wire = t & 7;
      if (!f) {
        r.skipType(wire);
        continue;
      }
      const s = f.shape;
      if (s.kind === 'list') {
        const items = (got.get(f) as unknown[] | undefined) ?? [];
        if (wire === LEN && isPackable(s.item)) {
          const end = r.uint32() + r.pos;
          while (r.pos < end) items.push(this.readValue(s.item, r, wireOf(s.item)));
        } else {
          items.push(this.readValue(s.item, r, wire));
        }
        got.set(f, items);
      } else if (s.kind === 'map') {
        const entries = (got.get(f) as Obj | undefined) ?? {};
        expectWire(wire, LEN, f.name);
        const entry = r.bytes();
        const er = protobuf.Reader.create(entry);
        let key = '';
        let value: unknown;
        while (er.pos < er.len) {
          const et = er.uint32();
          if (et >>> 3 === 1) key = er.string();
          else if (et >>> 3 === 2) value = this.readValue(s.value, er, et & 7);
          else er.skipType(et & 7);
        }
        entries[key] = value ?? zeroJson(s.value);
        got.set(f, entries);
      } else {
        got.set(f, this.readValue(s, r, wire));
      }
    }
    const out: Obj = {};
    for (const f of c.def.fields) {
      if (!got.has(f)) continue;
      const v = got.get(f);
      if (f.inline) {
        Object.assign(out, v as Obj);
        continue;
      }
      const j = dropZero(f, v);
      if (j !== undefined) out[f.name] = j;
    }
    return out;
  }

  /** Reads one value of a (non-collection) shape; answers its JSON form. */
  private readValue(shape: Shape, r: protobuf.Reader, wire: number): unknown {
    switch (shape.kind) {
      case 'string': expectWire(wire, LEN, 'string'); return r.string();
      case 'bool': expectWire(wire, VARINT, 'bool'); return r.bool();
      case 'int32': expectWire(wire, VARINT, 'int32'); return r.int32();
      case 'int64': expectWire(wire, VARINT, 'int64'); return toNumber(r.int64());
      case 'double': expectWire(wire, FIXED64, 'double'); return r.double();
      case 'bytes': expectWire(wire, LEN, 'bytes'); return Buffer.from(r.bytes()).toString('base64');
      case 'time':
      case 'microTime': {
        expectWire(wire, LEN, shape.kind);
        const m = readFields(r.bytes());
        const seconds = toNumber(m.get(1) ?? 0);
        const nanos = toNumber(m.get(2) ?? 0);
        if (m.size === 0 || (seconds === 0 && nanos === 0)) return null;
        return shape.kind === 'time' ? formatTime(seconds, 0, 0) : formatTime(seconds, nanos, 6);
      }
      case 'quantity': {
        expectWire(wire, LEN, 'quantity');
        const m = readFields(r.bytes());
        return m.get(1) === undefined ? '' : Buffer.from(m.get(1) as Uint8Array).toString('utf8');
      }
      case 'intOrString': {
        expectWire(wire, LEN, 'intOrString');
        const m = readFields(r.bytes());
        if (toNumber(m.get(1) ?? 0) === 1) return m.get(3) === undefined ? '' : Buffer.from(m.get(3) as Uint8Array).toString('utf8');
        return int32Of(toNumber(m.get(2) ?? 0));
      }
      case 'rawExtension':
      case 'rawJson': {
        expectWire(wire, LEN, shape.kind);
        const raw = readFields(r.bytes()).get(1) as Uint8Array | undefined;
        if (!raw || raw.length === 0) return null;
        return this.embedded(raw, shape.kind);
      }
      case 'ref': expectWire(wire, LEN, shape.type); return this.readMessage(shape.type, r.bytes());
      case 'map':
      case 'list': throw new ProtobufError('nested collections are not described by Kubernetes types');
    }
  }

  /** The JSON of an embedded document: JSON as is, or a protobuf body of a described kind. */
  private embedded(raw: Uint8Array, what: string): unknown {
    if (raw.length >= 4 && Buffer.from(raw.subarray(0, 4)).equals(MAGIC)) {
      const env = this.unwrap(Buffer.from(raw));
      const t = this.typeOf(env.apiVersion, env.kind);
      if (!t) throw new ProtobufError(`${what} holds ${env.kind} in version ${JSON.stringify(env.apiVersion)}, which has no protobuf description`);
      return { apiVersion: env.apiVersion, kind: env.kind, ...this.readMessage(t.name, env.raw) };
    }
    try {
      return JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      throw new ProtobufError(`${what === 'rawJson' ? 'fieldsV1' : 'an embedded object'} does not hold JSON`);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Writing

  private writeMessage(typeName: string, obj: Obj, w: protobuf.Writer): void {
    for (const f of this.compile(typeName).ordered) {
      if (f.inline && f.shape.kind === 'ref') {
        w.uint32(tag(f.proto, LEN)).fork();
        this.writeMessage(f.shape.type, obj, w);
        w.ldelim();
        continue;
      }
      const v = obj[f.name];
      const s = f.shape;
      if (s.kind === 'list') {
        if (!Array.isArray(v)) continue;
        for (const item of v) this.writeValue(f.proto, s.item, item, w);
      } else if (s.kind === 'map') {
        if (!isObj(v)) continue;
        for (const key of Object.keys(v).sort(byBytes)) {
          const value = v[key];
          w.uint32(tag(f.proto, LEN)).fork();
          w.uint32(tag(1, LEN)).string(key);
          if (!(s.value.kind === 'bytes' && (value === null || value === undefined))) this.writeValue(2, s.value, value, w);
          w.ldelim();
        }
      } else if (v === undefined || v === null) {
        if (!f.pointer && s.kind !== 'bytes' && s.kind !== 'rawJson') this.writeValue(f.proto, s, undefined, w);
      } else {
        this.writeValue(f.proto, s, v, w);
      }
    }
  }

  /** Writes one value (undefined: the Go zero value) of a non-collection shape as field `no`. */
  private writeValue(no: number, shape: Shape, v: unknown, w: protobuf.Writer): void {
    const absent = v === undefined || v === null;
    switch (shape.kind) {
      case 'string': w.uint32(tag(no, LEN)).string(absent ? '' : String(v)); return;
      case 'bool': w.uint32(tag(no, VARINT)).bool(v === true); return;
      case 'int32': w.uint32(tag(no, VARINT)).int32(absent ? 0 : Number(v)); return;
      case 'int64': w.uint32(tag(no, VARINT)).int64(absent ? 0 : Number(v)); return;
      case 'double': w.uint32(tag(no, FIXED64)).double(absent ? 0 : Number(v)); return;
      case 'bytes': w.uint32(tag(no, LEN)).bytes(absent ? new Uint8Array(0) : Buffer.from(String(v), 'base64')); return;
      case 'time':
      case 'microTime': {
        w.uint32(tag(no, LEN)).fork();
        if (!absent) {
          const { seconds, nanos } = parseTime(String(v));
          w.uint32(tag(1, VARINT)).int64(seconds).uint32(tag(2, VARINT)).int32(shape.kind === 'time' ? 0 : nanos - (nanos % 1000));
        }
        w.ldelim();
        return;
      }
      case 'quantity': w.uint32(tag(no, LEN)).fork().uint32(tag(1, LEN)).string(absent ? '0' : String(v)).ldelim(); return;
      case 'intOrString': {
        const isString = typeof v === 'string';
        w.uint32(tag(no, LEN)).fork()
          .uint32(tag(1, VARINT)).int64(isString ? 1 : 0)
          .uint32(tag(2, VARINT)).int32(isString || absent ? 0 : Number(v))
          .uint32(tag(3, LEN)).string(isString ? v : '')
          .ldelim();
        return;
      }
      case 'rawExtension':
      case 'rawJson': {
        w.uint32(tag(no, LEN)).fork();
        if (!absent) w.uint32(tag(1, LEN)).bytes(Buffer.from(JSON.stringify(v), 'utf8'));
        w.ldelim();
        return;
      }
      case 'ref': {
        if (!absent && !isObj(v)) throw new ProtobufError(`a ${shape.type} must be an object`);
        w.uint32(tag(no, LEN)).fork();
        this.writeMessage(shape.type, absent ? {} : v, w);
        w.ldelim();
        return;
      }
      case 'map':
      case 'list': throw new ProtobufError('nested collections are not described by Kubernetes types');
    }
  }
}

function tag(no: number, wire: number): number {
  return ((no << 3) | wire) >>> 0;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPackable(s: Shape): boolean {
  return s.kind === 'bool' || s.kind === 'int32' || s.kind === 'int64' || s.kind === 'double';
}

function wireOf(s: Shape): number {
  return s.kind === 'double' ? FIXED64 : VARINT;
}

function expectWire(got: number, want: number, what: string): void {
  if (got !== want) throw new ProtobufError(`unable to decode ${what}: wire type ${got}, expected ${want}`);
}

/** protobufjs answers 64-bit integers as Long objects (or numbers); JSON wants numbers. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

function int32Of(n: number): number {
  return n | 0;
}

/** The fields of a small message (Time, Quantity, IntOrString, RawExtension): varints and bytes by number. */
function readFields(bytes: Uint8Array): Map<number, unknown> {
  const r = protobuf.Reader.create(bytes);
  const m = new Map<number, unknown>();
  while (r.pos < r.len) {
    const t = r.uint32();
    const wire = t & 7;
    if (wire === VARINT) m.set(t >>> 3, r.int64());
    else if (wire === LEN) m.set(t >>> 3, r.bytes());
    else r.skipType(wire);
  }
  return m;
}

/** Go's JSON leaves zero values out of omitempty fields; protobuf always carries them. */
function dropZero(f: Field, v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v;
  if (f.shape.kind === 'map') return Object.keys(v as Obj).length === 0 ? undefined : v;
  if (f.keepZero) return v;
  if (v === '' || v === false || v === 0) return undefined;
  // A pointer to an empty struct is on the wire only when it was set, and Go's JSON prints it.
  if (f.shape.kind === 'ref' && !f.pointer && Object.keys(v as Obj).length === 0) return undefined;
  return v;
}

/** The JSON a map holds for an entry without a value. */
function zeroJson(s: Shape): unknown {
  switch (s.kind) {
    case 'string':
    case 'bytes': return '';
    case 'quantity': return '0';
    case 'ref': return {};
    default: return null;
  }
}

/** Go sorts map keys by bytes; for keys that are not ASCII that differs from UTF-16 order. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** RFC 3339 in UTC with `digits` fractional digits (0: whole seconds). */
function formatTime(seconds: number, nanos: number, digits: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (digits === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos)).padStart(9, '0').slice(0, digits)}Z`;
}

/** Seconds and nanoseconds of an RFC 3339 timestamp (any number of fractional digits, any offset). */
function parseTime(s: string): { seconds: number; nanos: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(s);
  if (!m) throw new ProtobufError(`${JSON.stringify(s)} is not an RFC 3339 timestamp`);
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) throw new ProtobufError(`${JSON.stringify(s)} is not an RFC 3339 timestamp`);
  return { seconds: Math.floor(ms / 1000), nanos: m[2] ? Number(m[2].padEnd(9, '0')) : 0 };
}
