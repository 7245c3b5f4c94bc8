import type { FieldError } from './status.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Upstream's explanation of a DNS-1123 label. */
export const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
/** Upstream's explanation of a DNS-1123 subdomain. */
export const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** A field error `<field>: Invalid value: "<value>": <why>`. */
export function invalidValue(field: string, value: unknown, why: string): FieldError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${shown}: ${why}` };
}

/** A field error `<field>: Required value[: <why>]`. */
export function requiredValue(field: string, why?: string): FieldError {
  return { type: 'FieldValueRequired', field, detail: why ? `Required value: ${why}` : 'Required value' };
}

/** Errors for a name that must be a DNS-1123 label (at most 63 characters). */
export function validateDns1123Label(field: string, name: string): FieldError[] {
  const errs: FieldError[] = [];
  if (name.length > 63) errs.push(invalidValue(field, name, 'must be no more than 63 characters'));
  if (!DNS1123_LABEL.test(name)) errs.push(invalidValue(field, name, DNS1123_LABEL_MSG));
  return errs;
}

/** Errors for a name that must be a DNS-1123 subdomain (at most 253 characters). */
export function validateDns1123Subdomain(field: string, name: string): FieldError[] {
  const errs: FieldError[] = [];
  if (name.length > 253) errs.push(invalidValue(field, name, 'must be no more than 253 characters'));
  if (!DNS1123_SUBDOMAIN.test(name)) errs.push(invalidValue(field, name, DNS1123_SUBDOMAIN_MSG));
  return errs;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** Upstream's `IsQualifiedName` messages for `[prefix/]name`, every one of them, in upstream's order. */
export function qualifiedNameMessages(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [`a qualified name ${QUALIFIED_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const msgs: string[] = [];
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) msgs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) msgs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(prefix)) msgs.push(`prefix part ${DNS1123_SUBDOMAIN_MSG}`);
    }
  }
  if (name.length === 0) msgs.push('name part must be non-empty');
  else if (name.length > 63) msgs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) msgs.push(`name part ${QUALIFIED_MSG}`);
  return msgs;
}

/** Errors for a qualified name (`prefix/name`: label and annotation keys, condition types, controller names). */
export function validateQualifiedName(field: string, key: string): FieldError[] {
  return qualifiedNameMessages(key).map((m) => invalidValue(field, key, m));
}

/** Errors for labels: qualified-name keys, values of at most 63 label characters. */
export function validateLabels(field: string, labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [invalidValue(field, JSON.stringify(labels), 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateQualifiedName(field, k));
    if (typeof v !== 'string') { errs.push(invalidValue(`${field}`, String(v), 'label values must be strings')); continue; }
    if (v.length > 63) errs.push(invalidValue(field, v, 'must be no more than 63 characters'));
    if (!LABEL_VALUE.test(v)) {
      errs.push(invalidValue(field, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
    }
  }
  return errs;
}

/** Errors for annotations: qualified-name keys, total size at most 256 KiB. */
export function validateAnnotations(field: string, annotations: unknown): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [invalidValue(field, JSON.stringify(annotations), 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...validateQualifiedName(field, k));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) errs.push({ type: 'FieldValueTooLong', field, detail: `Too long: may not be more than ${256 * 1024} bytes` });
  return errs;
}
