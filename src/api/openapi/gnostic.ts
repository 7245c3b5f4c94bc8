import protobuf from 'protobufjs';
import { OPENAPI_V2_DESCRIPTOR } from './proto/openapi-v2-descriptor.js';

/**
 * Encoding of a Swagger 2.0 document as gnostic's OpenAPI v2 protobuf (`openapi.v2.Document` of
 * github.com/google/gnostic-models), the form kubectl 1.27/1.28 read `/openapi/v2` in.
 *
 * The mapping follows gnostic's own reading of the JSON: each JSON object becomes its message, maps
 * (`paths`, `definitions`, `properties`, `responses`, ...) become repeated `Named*` pairs in
 * document order, `type` and `items` become `TypeItem` and `ItemsItem`, parameters and responses
 * choose the oneof member their content matches (`$ref` gives a `JsonReference`), and every value
 * kept as free-form YAML (`x-...` vendor extensions, `default`, `enum`) becomes `Any { yaml }`.
 * Zero values (empty strings, false) are left out, and fields are written in field-number order,
 * as Go's proto3 marshalling does.
 *
 * The bytes are written with protobufjs's Writer, field by field from the message definitions in
 * the descriptor; this avoids building protobufjs's generated coders for the sixty-odd messages,
 * which would triple the time the one encoding of a document takes.
 */

type Json = Record<string, unknown>;
/** A message as the writer takes it: field names as in the .proto. */
type Msg = Record<string, unknown>;

/** A document construct the encoder does not know; raised rather than silently dropped. */
export class GnosticError extends Error {}

/** The bytes of a Swagger 2.0 document as `openapi.v2.Document`; throws {@link GnosticError} on a construct it does not map. */
export function encodeGnosticV2(doc: Json): Uint8Array {
  const msg = new Converter(new Map()).document(doc);
  const w = protobuf.Writer.create();
  writeMessage(w, messagePlans(), 'openapi.v2.Document', msg);
  return w.finish();
}

// --- Writing messages from the descriptor -------------------------------------------------------

type Scalar = 'string' | 'bool' | 'double' | 'int64' | 'bytes';
interface FieldPlan {
  name: string;
  id: number;
  repeated: boolean;
  /** A scalar type, or the full name of a message type. */
  type: Scalar | { message: string };
}
interface MessagePlan {
  byName: Map<string, FieldPlan>;
}

const SCALARS = new Set<string>(['string', 'bool', 'double', 'int64', 'bytes']);
let plans: Map<string, MessagePlan> | undefined;

/** Each message's fields by name, from the descriptor; built once. */
function messagePlans(): Map<string, MessagePlan> {
  if (plans) return plans;
  const out = new Map<string, MessagePlan>();
  const add = (pkg: string, messages: Record<string, unknown>) => {
    for (const [name, def] of Object.entries(messages)) {
      const fields = Object.entries((def as { fields: Record<string, { type: string; id: number; rule?: string }> }).fields).map(([fname, f]): FieldPlan => ({
        name: fname,
        id: f.id,
        repeated: f.rule === 'repeated',
        type: SCALARS.has(f.type) ? f.type as Scalar : { message: f.type.includes('.') ? f.type : `${pkg}.${f.type}` },
      }));
      out.set(`${pkg}.${name}`, { byName: new Map(fields.map((f) => [f.name, f])) });
    }
  };
  const root = OPENAPI_V2_DESCRIPTOR.nested as Record<string, { nested: Record<string, { nested: Record<string, { nested: Record<string, unknown> }> }> }>;
  add('openapi.v2', root.openapi.nested.v2.nested);
  add('google.protobuf', root.google.nested.protobuf.nested);
  plans = out;
  return out;
}

function writeMessage(w: protobuf.Writer, all: Map<string, MessagePlan>, type: string, msg: Msg): void {
  const plan = all.get(type);
  if (!plan) throw new GnosticError(`no message ${type}`);
  // The fields present, in number order (a message carries few of its fields, so this beats a walk over all of them).
  const present: FieldPlan[] = [];
  for (const key of Object.keys(msg)) {
    const f = plan.byName.get(key);
    if (!f) throw new GnosticError(`${type} has no field ${key}`);
    if (msg[key] !== undefined) present.push(f);
  }
  if (present.length > 1) present.sort((a, b) => a.id - b.id);
  for (const f of present) {
    const v = msg[f.name];
    if (!f.repeated) writeField(w, all, f, v);
    else if (typeof f.type === 'object' || f.type === 'string' || f.type === 'bytes') for (const x of v as unknown[]) writeField(w, all, f, x);
    else {
      // Repeated numbers and booleans are packed in proto3.
      w.uint32((f.id << 3) | 2).fork();
      for (const x of v as unknown[]) writeScalar(w, f.type, x);
      w.ldelim();
    }
  }
}

function writeField(w: protobuf.Writer, all: Map<string, MessagePlan>, f: FieldPlan, v: unknown): void {
  if (typeof f.type === 'object') {
    w.uint32((f.id << 3) | 2).fork();
    writeMessage(w, all, f.type.message, v as Msg);
    w.ldelim();
    return;
  }
  const wire = f.type === 'double' ? 1 : f.type === 'string' || f.type === 'bytes' ? 2 : 0;
  w.uint32((f.id << 3) | wire);
  writeScalar(w, f.type, v);
}

function writeScalar(w: protobuf.Writer, type: Scalar, v: unknown): void {
  switch (type) {
    case 'string': w.string(v as string); break;
    case 'bytes': w.bytes(v as Uint8Array); break;
    case 'bool': w.bool(v as boolean); break;
    case 'double': w.double(v as number); break;
    case 'int64': w.int64(v as number); break;
  }
}

/** Converts the JSON of a Swagger document into the plain objects protobufjs encodes. */
class Converter {
  constructor(private readonly yamlCache: Map<string, string>) {}

  document(j: Json): Msg {
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      switch (k) {
        case 'swagger': setStr(out, 'swagger', v); break;
        case 'info': out.info = this.info(obj(v, k)); break;
        case 'host': setStr(out, 'host', v); break;
        case 'basePath': setStr(out, 'base_path', v); break;
        case 'schemes': case 'consumes': case 'produces': out[k] = strings(v, k); break;
        case 'paths': out.paths = this.paths(obj(v, k)); break;
        case 'definitions': out.definitions = { additional_properties: this.namedSchemas(obj(v, k)) }; break;
        case 'parameters':
          out.parameters = { additional_properties: Object.entries(obj(v, k)).map(([name, p]) => ({ name, value: this.parameter(obj(p, name)) })) };
          break;
        case 'responses':
          out.responses = { additional_properties: Object.entries(obj(v, k)).map(([name, r]) => ({ name, value: this.response(obj(r, name)) })) };
          break;
        case 'security': out.security = list(v, k).map((s) => securityRequirement(obj(s, k))); break;
        case 'securityDefinitions': out.security_definitions = this.securityDefinitions(obj(v, k)); break;
        case 'tags': out.tags = list(v, k).map((t) => this.tag(obj(t, k))); break;
        case 'externalDocs': out.external_docs = this.externalDocs(obj(v, k)); break;
        default: this.extension(ext, k, v, 'document');
      }
    }
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  private info(j: Json): Msg {
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      switch (k) {
        case 'title': case 'version': case 'description': setStr(out, k, v); break;
        case 'termsOfService': setStr(out, 'terms_of_service', v); break;
        case 'contact': out.contact = this.simple(obj(v, k), ['name', 'url', 'email'], k); break;
        case 'license': out.license = this.simple(obj(v, k), ['name', 'url'], k); break;
        default: this.extension(ext, k, v, 'info');
      }
    }
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  /** A message of string fields (same names in JSON and protobuf) plus extensions. */
  private simple(j: Json, names: string[], where: string): Msg {
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      if (names.includes(k)) setStr(out, k, v);
      else this.extension(ext, k, v, where);
    }
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  private externalDocs(j: Json): Msg {
    return this.simple(j, ['description', 'url'], 'externalDocs');
  }

  private tag(j: Json): Msg {
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      if (k === 'name' || k === 'description') setStr(out, k, v);
      else if (k === 'externalDocs') out.external_docs = this.externalDocs(obj(v, k));
      else this.extension(ext, k, v, 'tag');
    }
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  private paths(j: Json): Msg {
    const path: Msg[] = [];
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      if (k.startsWith('/')) path.push({ name: k, value: this.pathItem(obj(v, k)) });
      else this.extension(ext, k, v, 'paths');
    }
    const out: Msg = {};
    if (ext.length) out.vendor_extension = ext;
    if (path.length) out.path = path;
    return out;
  }

  private pathItem(j: Json): Msg {
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      switch (k) {
        case '$ref': setStr(out, '_ref', v); break;
        case 'get': case 'put': case 'post': case 'delete': case 'options': case 'head': case 'patch':
          out[k] = this.operation(obj(v, k));
          break;
        case 'parameters': out.parameters = list(v, k).map((p) => this.parametersItem(obj(p, k))); break;
        default: this.extension(ext, k, v, 'path item');
      }
    }
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  private operation(j: Json): Msg {
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      switch (k) {
        case 'tags': case 'produces': case 'consumes': case 'schemes': out[k] = strings(v, k); break;
        case 'summary': case 'description': setStr(out, k, v); break;
        case 'externalDocs': out.external_docs = this.externalDocs(obj(v, k)); break;
        case 'operationId': setStr(out, 'operation_id', v); break;
        case 'parameters': out.parameters = list(v, k).map((p) => this.parametersItem(obj(p, k))); break;
        case 'responses': out.responses = this.responses(obj(v, k)); break;
        case 'deprecated': setBool(out, 'deprecated', v); break;
        case 'security': out.security = list(v, k).map((s) => securityRequirement(obj(s, k))); break;
        default: this.extension(ext, k, v, 'operation');
      }
    }
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  private parametersItem(j: Json): Msg {
    if ('$ref' in j) return { json_reference: jsonReference(j) };
    return { parameter: this.parameter(j) };
  }

  private parameter(j: Json): Msg {
    if (j.in === 'body') {
      const out: Msg = {};
      const ext: Msg[] = [];
      for (const [k, v] of Object.entries(j)) {
        switch (k) {
          case 'description': case 'name': case 'in': setStr(out, k, v); break;
          case 'required': setBool(out, k, v); break;
          case 'schema': out.schema = this.schema(obj(v, k)); break;
          default: this.extension(ext, k, v, 'body parameter');
        }
      }
      if (ext.length) out.vendor_extension = ext;
      return { body_parameter: out };
    }
    const member = NON_BODY[String(j.in)];
    if (!member) throw new GnosticError(`parameter ${String(j.name)}: unknown location ${String(j.in)}`);
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      switch (k) {
        case 'required': case 'uniqueItems': case 'allowEmptyValue': case 'exclusiveMaximum': case 'exclusiveMinimum':
          setBool(out, snake(k), v);
          break;
        case 'in': case 'description': case 'name': case 'type': case 'format': case 'pattern': case 'collectionFormat':
          setStr(out, snake(k), v);
          break;
        case 'maximum': case 'minimum': case 'multipleOf': case 'maxLength': case 'minLength': case 'maxItems': case 'minItems':
          out[snake(k)] = num(v, k);
          break;
        case 'default': out.default = this.any(v); break;
        case 'enum': out.enum = list(v, k).map((e) => this.any(e)); break;
        default: this.extension(ext, k, v, `parameter ${String(j.name)}`);
      }
    }
    if (ext.length) out.vendor_extension = ext;
    return { non_body_parameter: { [member]: out } };
  }

  private responses(j: Json): Msg {
    const codes: Msg[] = [];
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      if (k.startsWith('x-')) this.extension(ext, k, v, 'responses');
      else codes.push({ name: k, value: '$ref' in obj(v, k) ? { json_reference: jsonReference(obj(v, k)) } : { response: this.response(obj(v, k)) } });
    }
    const out: Msg = {};
    if (codes.length) out.response_code = codes;
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  private response(j: Json): Msg {
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      switch (k) {
        case 'description': setStr(out, k, v); break;
        case 'schema': out.schema = { schema: this.schema(obj(v, k)) }; break;
        default: this.extension(ext, k, v, 'response');
      }
    }
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  private namedSchemas(j: Json): Msg[] {
    return Object.entries(j).map(([name, s]) => ({ name, value: this.schema(obj(s, name)) }));
  }

  private schema(j: Json): Msg {
    const out: Msg = {};
    const ext: Msg[] = [];
    for (const [k, v] of Object.entries(j)) {
      switch (k) {
        case '$ref': setStr(out, '_ref', v); break;
        case 'format': case 'title': case 'description': case 'pattern': case 'discriminator': setStr(out, k, v); break;
        case 'default': out.default = this.any(v); break;
        case 'example': out.example = this.any(v); break;
        case 'multipleOf': case 'maximum': case 'minimum': case 'maxLength': case 'minLength': case 'maxItems': case 'minItems':
        case 'maxProperties': case 'minProperties':
          out[snake(k)] = num(v, k);
          break;
        case 'exclusiveMaximum': case 'exclusiveMinimum': case 'uniqueItems': case 'readOnly': setBool(out, snake(k), v); break;
        case 'required': out.required = strings(v, k); break;
        case 'enum': out.enum = list(v, k).map((e) => this.any(e)); break;
        case 'additionalProperties':
          out.additional_properties = typeof v === 'boolean' ? { boolean: v } : { schema: this.schema(obj(v, k)) };
          break;
        case 'type': out.type = { value: typeof v === 'string' ? [v] : strings(v, k) }; break;
        case 'items': out.items = { schema: Array.isArray(v) ? v.map((s) => this.schema(obj(s, k))) : [this.schema(obj(v, k))] }; break;
        case 'allOf': out.all_of = list(v, k).map((s) => this.schema(obj(s, k))); break;
        case 'properties': out.properties = { additional_properties: this.namedSchemas(obj(v, k)) }; break;
        case 'externalDocs': out.external_docs = this.externalDocs(obj(v, k)); break;
        default: this.extension(ext, k, v, 'schema');
      }
    }
    if (ext.length) out.vendor_extension = ext;
    return out;
  }

  private securityDefinitions(j: Json): Msg {
    const items: Msg[] = [];
    for (const [name, v] of Object.entries(j)) {
      const d = obj(v, name);
      const ext: Msg[] = [];
      const out: Msg = {};
      let member: string;
      if (d.type === 'apiKey') {
        member = 'api_key_security';
        for (const [k, x] of Object.entries(d)) {
          if (['type', 'name', 'in', 'description'].includes(k)) setStr(out, k, x);
          else this.extension(ext, k, x, `security definition ${name}`);
        }
      } else if (d.type === 'basic') {
        member = 'basic_authentication_security';
        for (const [k, x] of Object.entries(d)) {
          if (k === 'type' || k === 'description') setStr(out, k, x);
          else this.extension(ext, k, x, `security definition ${name}`);
        }
      } else {
        throw new GnosticError(`security definition ${name}: type ${String(d.type)} is not supported`);
      }
      if (ext.length) out.vendor_extension = ext;
      items.push({ name, value: { [member]: out } });
    }
    return { additional_properties: items };
  }

  /** Appends an `x-` member as `NamedAny`; any other unknown member is an error. */
  private extension(into: Msg[], key: string, value: unknown, where: string): void {
    if (!key.startsWith('x-')) throw new GnosticError(`${where}: member ${key} has no place in OpenAPI v2`);
    into.push({ name: key, value: this.any(value) });
  }

  /** `Any { yaml }`: the value as YAML, as gnostic re-marshals it (block style). */
  private any(value: unknown): Msg {
    const key = JSON.stringify(value);
    let text = this.yamlCache.get(key);
    if (text === undefined) {
      text = toYaml(value);
      this.yamlCache.set(key, text);
    }
    return { yaml: text };
  }
}

/** Which `NonBodyParameter` member each parameter location fills. */
const NON_BODY: Record<string, string> = {
  header: 'header_parameter_sub_schema',
  formData: 'form_data_parameter_sub_schema',
  query: 'query_parameter_sub_schema',
  path: 'path_parameter_sub_schema',
};

function jsonReference(j: Json): Msg {
  const out: Msg = {};
  for (const [k, v] of Object.entries(j)) {
    if (k === '$ref') setStr(out, '_ref', v);
    else if (k === 'description') setStr(out, 'description', v);
    else throw new GnosticError(`reference: member ${k} has no place beside $ref`);
  }
  return out;
}

function securityRequirement(j: Json): Msg {
  return { additional_properties: Object.entries(j).map(([name, scopes]) => ({ name, value: { value: strings(scopes, name) } })) };
}

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function obj(v: unknown, where: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new GnosticError(`${where}: expected an object`);
  return v as Json;
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new GnosticError(`${where}: expected a list`);
  return v;
}

function strings(v: unknown, where: string): string[] {
  return list(v, where).map((s) => {
    if (typeof s !== 'string') throw new GnosticError(`${where}: expected strings`);
    return s;
  });
}

function num(v: unknown, where: string): number {
  if (typeof v !== 'number') throw new GnosticError(`${where}: expected a number`);
  return v;
}

function setStr(out: Msg, name: string, v: unknown): void {
  if (typeof v !== 'string') throw new GnosticError(`${name}: expected a string`);
  if (v !== '') out[name] = v;
}

function setBool(out: Msg, name: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new GnosticError(`${name}: expected a boolean`);
  if (v) out[name] = true;
}

// --- YAML, as gnostic's re-marshalling with yaml.v3 writes it ----------------------------------

/** Words YAML 1.1 readers (kubectl's yaml.v2) take for booleans or null: quoted when meant as strings. */
const YAML11_WORDS = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;

/** A JSON value as block-style YAML: nested mappings indented by four, sequence items by `- `. */
export function toYaml(value: unknown): string {
  const lines: string[] = [];
  emit(value, 0, lines);
  return `${lines.join('\n')}\n`;
}

function scalar(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new GnosticError(`${v} has no JSON form`);
    return String(v);
  }
  if (typeof v === 'string') return /^[A-Za-z][A-Za-z0-9_./,-]*$/.test(v) && !YAML11_WORDS.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (typeof v === 'object' && Object.keys(v).length === 0) return '{}';
  return undefined;
}

/** Appends the lines of `v` at `indent`; a mapping or sequence starts on the current line's continuation. */
function emit(v: unknown, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  const s = scalar(v);
  if (s !== undefined) {
    lines.push(pad + s);
    return;
  }
  if (Array.isArray(v)) {
    for (const item of v) {
      const inner: string[] = [];
      emit(item, 0, inner);
      // The first line follows the dash; the rest align with it.
      lines.push(`${pad}- ${inner[0]}`);
      for (const l of inner.slice(1)) lines.push(`${pad}  ${l}`);
    }
    return;
  }
  for (const [k, x] of Object.entries(v as Json)) {
    const key = scalar(k)!;
    const xs = scalar(x);
    if (xs !== undefined) lines.push(`${pad}${key}: ${xs}`);
    else {
      lines.push(`${pad}${key}:`);
      emit(x, indent + 4, lines);
    }
  }
}
