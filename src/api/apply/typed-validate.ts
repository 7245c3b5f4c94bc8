/**
 * Checking a value against its schema as structured-merge-diff does before applying it: fields the
 * type does not declare, values of the wrong kind, associative list items without their keys and
 * (unless allowed) duplicate items. Messages and paths are upstream's
 * (`.spec.foo: field not declared in schema`).
 */
import { goPlain, goSharp, goTypeName, type Json } from './go-format.js';
import { listItemElement, ListItemError } from './list-items.js';
import { pathElementToString, serializePathElement, type PathElement } from './path-element.js';
import { deduce, type Atom, type TypeSchema } from './schema-atoms.js';

/** One validation error: where (a printed field path, possibly empty) and what. */
export interface ValidationError {
  path: string;
  message: string;
}

/** The errors of `value` read as `atom`; an empty list when it is valid. */
export function validateValue(schema: TypeSchema, atom: Atom, value: Json, allowDuplicates = false): ValidationError[] {
  return walk(schema, atom, value, allowDuplicates);
}

/** The errors as upstream prints them: one error alone, several under `errors:`. */
export function formatValidationErrors(errs: ValidationError[]): string {
  const one = (e: ValidationError) => (e.path ? `${e.path}: ${e.message}` : e.message);
  if (errs.length === 1) return one(errs[0]);
  return ['errors:', ...errs.map((e) => `  ${one(e)}`)].join('\n');
}

function err(message: string): ValidationError[] {
  return [{ path: '', message }];
}

function prefixed(errs: ValidationError[], prefix: string): ValidationError[] {
  for (const e of errs) e.path = prefix + e.path;
  return errs;
}

function scalarErrors(kind: string, v: Json): ValidationError[] {
  if (v === null) return [];
  const isNum = typeof v === 'number';
  const isScalar = isNum || typeof v === 'string' || typeof v === 'boolean';
  switch (kind) {
    case 'numeric':
      return isNum ? [] : err(`expected numeric (int or float), got ${goTypeName(v)}`);
    case 'string':
      return typeof v === 'string' ? [] : err(`expected string, got &value.valueUnstructured{Value:${goSharp(v)}}`);
    case 'boolean':
      return typeof v === 'boolean' ? [] : err(`expected boolean, got &{${goPlain(v)}}`);
    default:
      return isScalar ? [] : err(`expected any scalar, got &{${goPlain(v)}}`);
  }
}

function walk(schema: TypeSchema, declared: Atom, v: Json, allowDuplicates: boolean): ValidationError[] {
  const atom = deduce(declared, v);
  switch (atom.kind) {
    case 'scalar':
      return scalarErrors(atom.scalar, v);
    case 'list': {
      if (v === null) return [];
      if (!Array.isArray(v)) return err(`expected list, got &{${goPlain(v)}}`);
      const errs: ValidationError[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < v.length; i++) {
        let pe: PathElement;
        if (!atom.associative) {
          pe = { index: i };
        } else {
          try {
            pe = listItemElement(atom, v[i]);
          } catch (e) {
            if (!(e instanceof ListItemError)) throw e;
            errs.push(...err(`element ${i}: ${e.message}`));
            return errs;
          }
          const k = serializePathElement(pe);
          if (seen.has(k) && !allowDuplicates) errs.push(...err(`duplicate entries for key ${pathElementToString(pe)}`));
          seen.add(k);
        }
        errs.push(...prefixed(walk(schema, atom.item, v[i], allowDuplicates), pathElementToString(pe)));
      }
      return errs;
    }
    case 'map':
    case 'struct': {
      if (v === null) return [];
      if (typeof v !== 'object' || Array.isArray(v)) return err(`expected map, got &{${goPlain(v)}}`);
      const errs: ValidationError[] = [];
      for (const [key, val] of Object.entries(v)) {
        if (val === undefined) continue;
        const pe = `.${key}`;
        let child: Atom | undefined;
        if (atom.kind === 'struct') {
          child = schema.field(atom, key);
          if (!child) {
            errs.push({ path: pe, message: 'field not declared in schema' });
            break;
          }
        } else {
          child = atom.value;
        }
        errs.push(...prefixed(walk(schema, child, val, allowDuplicates), pe));
      }
      return errs;
    }
    default:
      return [];
  }
}
