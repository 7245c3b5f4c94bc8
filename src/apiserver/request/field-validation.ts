import type { ServerResponse } from 'node:http';
import { pruneUnknownFields } from '../../api/schema/prune.js';
import { typeMismatch } from '../../api/schema/type-check.js';
import type { SchemaRegistry } from '../../api/schema/registry.js';
import { badRequest } from '../../machinery/status.js';

/** What the `fieldValidation` parameter asks for. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Reads `fieldValidation` (default Warn, as upstream); other values answer 400. */
export function parseFieldValidation(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Ignore' || v === 'Warn' || v === 'Strict') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/**
 * Refuses a value of the wrong JSON type with upstream's 400 (`Deployment in version "v1" cannot be
 * handled as a Deployment: json: cannot unmarshal …`). Then drops the fields an object's type does not describe and acts on them as the directive says:
 * Strict refuses the request (400 `strict decoding error: unknown field "…"`); Warn answers the
 * `Warning` header values to send (`299 - "unknown field \"…\""`); Ignore answers none. Objects of
 * types without a description are left alone.
 */
export function enforceKnownFields(schemas: SchemaRegistry, kind: { group: string; version: string; kind: string }, obj: unknown,
  directive: FieldValidation): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [];
  const type = schemas.kind(kind.group, kind.version, kind.kind);
  if (!type) return [];
  // A value of the wrong JSON type fails decoding before unknown fields are looked at, as upstream.
  const mismatch = typeMismatch(schemas, type.name, obj as Record<string, unknown>);
  if (mismatch) throw badRequest(`${kind.kind} in version ${JSON.stringify(kind.version)} cannot be handled as a ${kind.kind}: ${mismatch}`);
  const unknown = pruneUnknownFields(schemas, type.name, obj as Record<string, unknown>);
  if (unknown.length === 0 || directive === 'Ignore') return [];
  if (directive === 'Strict') throw badRequest(`strict decoding error: ${unknown.map((p) => `unknown field "${p}"`).join(', ')}`);
  return unknown.map((p) => `299 - ${JSON.stringify(`unknown field "${p}"`)}`);
}

/** Adds `Warning` header values to an answer. */
export function addWarnings(res: ServerResponse, warnings: string[]): void {
  if (warnings.length === 0) return;
  const prior = res.getHeader('Warning');
  res.setHeader('Warning', [...(Array.isArray(prior) ? prior : prior ? [String(prior)] : []), ...warnings]);
}
