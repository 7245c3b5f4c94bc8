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
  /** The writer encodings reuse; a nested encoding while it is in use gets its own. */
  private readonly scratch = new ByteWriter(4096);
  private scratchBusy = false;

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
    const w = this.writer();
    try {
      w.raw(MAGIC);
      this.writeEnvelopeHead(w, apiVersion, kind);
      w.uint32(tag(2, LEN));
      w.bytes(raw);
      w.uint32(tag(3, LEN));
      w.byte(0);
      w.uint32(tag(4, LEN));
      w.byte(0);
      return w.finish();
    } finally {
      this.release(w);
    }
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
    const w = this.writer();
    try {
      this.writeMessage(typeName, obj, w);
      return w.finish();
    } finally {
      this.release(w);
    }
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
    const w = this.writer();
    try {
      w.raw(MAGIC);
      this.writeEnvelopeHead(w, apiVersion, kind);
      w.uint32(tag(2, LEN));
      const at = w.fork();
      this.writeMessage(t.name, obj, w);
      w.ldelim(at);
      w.uint32(tag(3, LEN));
      w.byte(0);
      w.uint32(tag(4, LEN));
      w.byte(0);
      return w.finish();
    } finally {
      this.release(w);
    }
  }

  /** The envelope's typeMeta field. */
  private writeEnvelopeHead(w: ByteWriter, apiVersion: string, kind: string): void {
    w.uint32(tag(1, LEN));
    const at = w.fork();
    w.uint32(tag(1, LEN));
    w.string(apiVersion);
    w.uint32(tag(2, LEN));
    w.string(kind);
    w.ldelim(at);
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

  /** A writer for one encoding: the shared scratch one when free, else a fresh one. */
  private writer(): ByteWriter {
    if (this.scratchBusy) return new ByteWriter(1024);
    this.scratchBusy = true;
    this.scratch.pos = 0;
    return this.scratch;
  }

  private release(w: ByteWriter): void {
    if (w === this.scratch) this.scratchBusy = false;
  }

  private writeMessage(typeName: string, obj: Obj, w: ByteWriter): void {
    const fields = this.compile(typeName).ordered;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const s = f.shape;
      if (f.inline && s.kind === 'ref') {
        w.uint32(tag(f.proto, LEN));
        const at = w.fork();
        this.writeMessage(s.type, obj, w);
        w.ldelim(at);
        continue;
      }
      const v = obj[f.name];
      if (s.kind === 'list') {
        if (!Array.isArray(v)) continue;
        for (const item of v) this.writeValue(f.proto, s.item, item, w);
      } else if (s.kind === 'map') {
        if (!isObj(v)) continue;
        const keys = Object.keys(v);
        for (const key of keys.length > 1 ? keys.sort(byBytes) : keys) {
          const value = v[key];
          w.uint32(tag(f.proto, LEN));
          const at = w.fork();
          w.uint32(tag(1, LEN));
          w.string(key);
          if (!(s.value.kind === 'bytes' && (value === null || value === undefined))) this.writeValue(2, s.value, value, w);
          w.ldelim(at);
        }
      } else if (v === undefined || v === null) {
        if (!f.pointer && s.kind !== 'bytes' && s.kind !== 'rawJson') this.writeValue(f.proto, s, undefined, w);
      } else {
        this.writeValue(f.proto, s, v, w);
      }
    }
  }

  /** Writes one value (undefined: the Go zero value) of a non-collection shape as field `no`. */
  private writeValue(no: number, shape: Shape, v: unknown, w: ByteWriter): void {
    const absent = v === undefined || v === null;
    switch (shape.kind) {
      case 'string': w.uint32(tag(no, LEN)); w.string(absent ? '' : typeof v === 'string' ? v : String(v)); return;
      case 'bool': w.uint32(tag(no, VARINT)); w.byte(v === true ? 1 : 0); return;
      case 'int32': w.uint32(tag(no, VARINT)); w.int32(absent ? 0 : Number(v)); return;
      case 'int64': w.uint32(tag(no, VARINT)); w.int64(absent ? 0 : Number(v)); return;
      case 'double': w.uint32(tag(no, FIXED64)); w.double(absent ? 0 : Number(v)); return;
      case 'bytes': w.uint32(tag(no, LEN)); w.bytes(absent ? EMPTY : Buffer.from(String(v), 'base64')); return;
      case 'time':
      case 'microTime': {
        w.uint32(tag(no, LEN));
        const at = w.fork();
        if (!absent) {
          const { seconds, nanos } = parseTime(String(v));
          w.uint32(tag(1, VARINT));
          w.int64(seconds);
          w.uint32(tag(2, VARINT));
          w.int32(shape.kind === 'time' ? 0 : nanos - (nanos % 1000));
        }
        w.ldelim(at);
        return;
      }
      case 'quantity': {
        w.uint32(tag(no, LEN));
        const at = w.fork();
        w.uint32(tag(1, LEN));
        w.string(absent ? '0' : String(v));
        w.ldelim(at);
        return;
      }
      case 'intOrString': {
        const isString = typeof v === 'string';
        w.uint32(tag(no, LEN));
        const at = w.fork();
        w.uint32(tag(1, VARINT));
        w.int64(isString ? 1 : 0);
        w.uint32(tag(2, VARINT));
        w.int32(isString || absent ? 0 : Number(v));
        w.uint32(tag(3, LEN));
        w.string(isString ? v : '');
        w.ldelim(at);
        return;
      }
      case 'rawExtension':
      case 'rawJson': {
        w.uint32(tag(no, LEN));
        const at = w.fork();
        if (!absent) {
          w.uint32(tag(1, LEN));
          w.utf8Bytes(JSON.stringify(v));
        }
        w.ldelim(at);
        return;
      }
      case 'ref': {
        if (!absent && !isObj(v)) throw new ProtobufError(`a ${shape.type} must be an object`);
        w.uint32(tag(no, LEN));
        const at = w.fork();
        this.writeMessage(shape.type, absent ? {} : v, w);
        w.ldelim(at);
        return;
      }
      case 'map':
      case 'list': throw new ProtobufError('nested collections are not described by Kubernetes types');
    }
  }
}

const EMPTY = new Uint8Array(0);

/** Scratch for the bytes of a double, little-endian as protobuf writes them. */
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);

/**
 * A protobuf writer over one growing buffer. Length-delimited fields reserve one length byte
 * (`fork`) and, when their content turns out to be 128 bytes or longer, move it up to make room
 * for the longer length (`ldelim`). Values are written exactly as protobufjs' BufferWriter writes
 * them: int32 sign-extended to ten bytes when negative, 64-bit numbers split as protobufjs'
 * LongBits.fromNumber splits them, strings shorter than 40 UTF-16 units with protobufjs' own UTF-8
 * loop (lone surrogates as three bytes) and longer ones with Buffer's encoder.
 */
class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.pos);
    this.buf = b;
  }

  /** A copy of what was written. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  uint32(value: number): void {
    let v = value >>> 0;
    this.reserve(5);
    const buf = this.buf;
    let pos = this.pos;
    while (v > 127) {
      buf[pos++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  int32(value: number): void {
    const v = value | 0;
    if (v < 0) this.int64(v);
    else this.uint32(v);
  }

  int64(value: number): void {
    if (value === 0) {
      this.byte(0);
      return;
    }
    const sign = value < 0;
    const abs = sign ? -value : value;
    let lo = abs >>> 0;
    let hi = ((abs - lo) / 4294967296) >>> 0;
    if (sign) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
      if (++lo > 4294967295) {
        lo = 0;
        if (++hi > 4294967295) hi = 0;
      }
    }
    if (hi === 0) {
      this.uint32(lo);
      return;
    }
    this.reserve(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi) {
      buf[pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 127) {
      buf[pos++] = (lo & 127) | 128;
      lo >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  double(value: number): void {
    F64[0] = value;
    this.raw(F64_BYTES);
  }

  /** A length-prefixed string. */
  string(s: string): void {
    const n = s.length;
    if (n === 0) {
      this.byte(0);
      return;
    }
    if (n >= 40) {
      this.utf8Bytes(s);
      return;
    }
    let len = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 128) len += 1;
      else if (c < 2048) len += 2;
      else if ((c & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        len += 4;
        i++;
      } else len += 3;
    }
    this.uint32(len);
    this.reserve(len);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      let c1 = s.charCodeAt(i);
      let c2: number;
      if (c1 < 128) {
        buf[pos++] = c1;
      } else if (c1 < 2048) {
        buf[pos++] = (c1 >> 6) | 192;
        buf[pos++] = (c1 & 63) | 128;
      } else if ((c1 & 0xfc00) === 0xd800 && ((c2 = s.charCodeAt(i + 1)) & 0xfc00) === 0xdc00) {
        c1 = 0x10000 + ((c1 & 0x03ff) << 10) + (c2 & 0x03ff);
        ++i;
        buf[pos++] = (c1 >> 18) | 240;
        buf[pos++] = ((c1 >> 12) & 63) | 128;
        buf[pos++] = ((c1 >> 6) & 63) | 128;
        buf[pos++] = (c1 & 63) | 128;
      } else {
        buf[pos++] = (c1 >> 12) | 224;
        buf[pos++] = ((c1 >> 6) & 63) | 128;
        buf[pos++] = (c1 & 63) | 128;
      }
    }
    this.pos = pos;
  }

  /** A length-prefixed string encoded by Buffer (unpaired surrogates become U+FFFD). */
  utf8Bytes(s: string): void {
    const len = Buffer.byteLength(s);
    this.uint32(len);
    if (len === 0) return;
    this.reserve(len);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }

  /** Length-prefixed bytes. */
  bytes(b: Uint8Array): void {
    this.uint32(b.length);
    if (b.length > 0) this.raw(b);
  }

  /** Starts a length-delimited value; answers where its length goes. */
  fork(): number {
    this.reserve(1);
    return this.pos++;
  }

  /** Ends the length-delimited value started at `at`, writing its length there. */
  ldelim(at: number): void {
    let len = this.pos - at - 1;
    if (len < 128) {
      this.buf[at] = len;
      return;
    }
    const n = len < 16384 ? 2 : len < 2097152 ? 3 : len < 268435456 ? 4 : 5;
    this.reserve(n - 1);
    const buf = this.buf;
    buf.copyWithin(at + n, at + 1, this.pos);
    this.pos += n - 1;
    let pos = at;
    while (len > 127) {
      buf[pos++] = (len & 127) | 128;
      len >>>= 7;
    }
    buf[pos] = len;
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
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Below the surrogates, UTF-16 units order as UTF-8 bytes do.
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  if (n > 0 && (a.charCodeAt(n - 1) & 0xf800) === 0xd800) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** RFC 3339 in UTC with `digits` fractional digits (0: whole seconds). */
function formatTime(seconds: number, nanos: number, digits: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (digits === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos)).padStart(9, '0').slice(0, digits)}Z`;
}

/** Seconds and nanoseconds of an RFC 3339 timestamp (any number of fractional digits, any offset). */
function parseTime(s: string): { seconds: number; nanos: number } {
  let t = parsedTimes.get(s);
  if (!t) {
    t = parseTimeUncached(s);
    if (parsedTimes.size >= 1024) parsedTimes.clear();
    parsedTimes.set(s, t);
  }
  return t;
}

/** Recently parsed timestamps (entries are never modified). */
const parsedTimes = new Map<string, { seconds: number; nanos: number }>();

function parseTimeUncached(s: string): { seconds: number; nanos: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(s);
  if (!m) throw new ProtobufError(`${JSON.stringify(s)} is not an RFC 3339 timestamp`);
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) throw new ProtobufError(`${JSON.stringify(s)} is not an RFC 3339 timestamp`);
  return { seconds: Math.floor(ms / 1000), nanos: m[2] ? Number(m[2].padEnd(9, '0')) : 0 };
}
