/**
 * Decoding the body of an `application/apply-patch+yaml` request: YAML (JSON is YAML too) read as
 * upstream's YAML library reads it (YAML 1.1 scalars: `yes`/`on` are booleans, `0777` is octal;
 * timestamps stay strings), only the first document, into a JSON object. Errors are upstream's
 * 400 `error decoding YAML: ...`.
 */
import { parseAllDocuments, type Tags } from 'yaml';
import { badRequest } from '../../machinery/status.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../../machinery/json-depth.js';
import type { Json } from './go-format.js';

function goYamlTags(tags: Tags): Tags {
  return tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && (t as { format?: string }).format !== 'TIME'));
}

/** A JSON object from an apply patch body; `{}` for an empty or null document. Throws a 400 ApiError. */
export function decodeApplyPatch(body: Buffer | string): { [key: string]: Json } {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  // Flow collections nest with brackets as JSON does; refuse a hostile depth before parsing.
  if (exceedsDepth(buf, MAX_JSON_DEPTH)) throw badRequest('error decoding YAML: error converting YAML to JSON: exceeded max depth');
  const text = buf.toString('utf8');
  const docs = parseAllDocuments(text, { version: '1.1', customTags: goYamlTags, uniqueKeys: false });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return {};
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? 1;
    const why = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw badRequest(`error decoding YAML: error converting YAML to JSON: yaml: line ${line}: ${why}`);
  }
  let value: unknown;
  try {
    value = toJson(doc.toJS({ maxAliasCount: 1000 }));
  } catch (err) {
    throw badRequest(`error decoding YAML: error converting YAML to JSON: ${(err as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
    throw badRequest(`error decoding YAML: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return value as { [key: string]: Json };
}

/** The decoded YAML as plain JSON values; non-finite numbers cannot be represented. */
function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN'}`);
    return v;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Map) {
    const o: { [k: string]: Json } = {};
    for (const [k, val] of v) o[String(k)] = toJson(val);
    return o;
  }
  if (v instanceof Set) return [...v].map(toJson);
  const o: { [k: string]: Json } = {};
  for (const [k, val] of Object.entries(v as object)) o[k] = toJson(val);
  return o;
}
