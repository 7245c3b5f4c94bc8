import { randomInt, randomUUID } from 'node:crypto';
import type { FieldError } from '../../machinery/status.js';
import {
  requiredValue, validateAnnotations, validateDns1123Label, validateDns1123Subdomain, validateLabels, invalidValue,
} from '../../machinery/validation.js';
import type { ApiObject, ResourceDefinition } from './resource.js';

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A name from `generateName`: the prefix and five random characters, as upstream does. */
export function generateName(prefix: string): string {
  let s = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[randomInt(GENERATE_ALPHABET.length)];
  return s;
}

/** Now as the API writes timestamps: RFC 3339, whole seconds, UTC. */
export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sets the server-owned metadata of a new object. */
export function prepareMetaForCreate(obj: ApiObject, namespace: string | undefined): void {
  const m = obj.metadata;
  if (!m.name && m.generateName) m.name = generateName(m.generateName);
  if (namespace !== undefined) m.namespace = namespace;
  else delete m.namespace;
  m.uid = randomUUID();
  m.creationTimestamp = nowTimestamp();
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
}

/** Keeps the immutable metadata of `old` on update. */
export function prepareMetaForUpdate(obj: ApiObject, old: ApiObject): void {
  const m = obj.metadata;
  m.uid = old.metadata.uid;
  m.creationTimestamp = old.metadata.creationTimestamp;
  if (old.metadata.deletionTimestamp) m.deletionTimestamp = old.metadata.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (old.metadata.generation !== undefined) m.generation = old.metadata.generation;
  delete m.selfLink;
}

/** Field errors of an object's metadata, for a resource whose names follow `def`'s rules. */
export function validateObjectMeta(def: ResourceDefinition, obj: ApiObject): FieldError[] {
  const m = obj.metadata;
  const errs: FieldError[] = [];
  if (!m.name) {
    errs.push(requiredValue('metadata.name', 'name or generateName is required'));
  } else {
    const nameErrs = def.validateName ? def.validateName(String(m.name)).map((why) => invalidValue('metadata.name', m.name, why))
      : def.kind === 'Namespace' ? validateDns1123Label('metadata.name', m.name) : validateDns1123Subdomain('metadata.name', m.name);
    errs.push(...nameErrs);
  }
  if (def.namespaced && !m.namespace) errs.push(requiredValue('metadata.namespace'));
  errs.push(...validateLabels('metadata.labels', m.labels));
  errs.push(...validateAnnotations('metadata.annotations', m.annotations));
  if (m.finalizers !== undefined && !Array.isArray(m.finalizers)) errs.push(invalidValue('metadata.finalizers', JSON.stringify(m.finalizers), 'must be a list of strings'));
  return errs;
}

/** Field errors of an update's metadata against the stored object. */
export function validateObjectMetaUpdate(def: ResourceDefinition, obj: ApiObject, old: ApiObject): FieldError[] {
  const errs = validateObjectMeta(def, obj);
  if (obj.metadata.name !== old.metadata.name) errs.push(invalidValue('metadata.name', obj.metadata.name, 'field is immutable'));
  return errs;
}
