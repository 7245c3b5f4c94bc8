/**
 * Name and path checks several API groups share, with upstream's messages: path-segment names
 * (RBAC objects, references), domain-prefixed paths (`acme.io/foo`: ingress class controllers, job
 * `managedBy`), and the `Too long`/`Too many` field errors.
 */
import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateDns1123Subdomain } from '../../../machinery/validation.js';

/** Upstream's `IsValidPathSegmentName`: not `.` or `..`, no `/` or `%`. */
export function pathSegmentNameMessages(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const msgs: string[] = [];
  if (name.includes('/')) msgs.push("may not contain '/'");
  if (name.includes('%')) msgs.push("may not contain '%'");
  return msgs;
}

/** Field errors of a name that must be a path segment. */
export function validatePathSegmentName(field: string, name: string): FieldError[] {
  return pathSegmentNameMessages(name).map((m) => invalidValue(field, name, m));
}

const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** Upstream's `IsDomainPrefixedPath` (`acme.io/foo`). */
export function validateDomainPrefixedPath(field: string, value: string): FieldError[] {
  if (value.length === 0) return [requiredValue(field)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const path = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || path.length === 0) return [invalidValue(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = validateDns1123Subdomain(field, host);
  if (!HTTP_PATH.test(path)) errs.push(invalidValue(field, path, "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"));
  return errs;
}

/** `<field>: Too long: may not be more than <n> bytes`. */
export function tooLong(field: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, detail: `Too long: may not be more than ${max} bytes` };
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QUALIFIED_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** Upstream's `IsQualifiedName` messages (`prefix/name`), every one of them, in upstream's order. */
export function qualifiedNameMessages(value: string): string[] {
  const parts = value.split('/');
  const msgs: string[] = [];
  if (parts.length > 2) {
    return [`a qualified name ${QUALIFIED_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts.length === 2 ? parts[1] : parts[0];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) msgs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) msgs.push('prefix part must be no more than 253 characters');
      if (!SUBDOMAIN.test(prefix)) msgs.push(`prefix part ${SUBDOMAIN_MSG}`);
    }
  }
  if (name.length === 0) msgs.push('name part must be non-empty');
  else if (name.length > 63) msgs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) msgs.push(`name part ${QUALIFIED_MSG}`);
  return msgs;
}

/** Field errors of a qualified name (label keys, condition types, controller names). */
export function validateQualifiedNameExact(field: string, value: string): FieldError[] {
  return qualifiedNameMessages(value).map((m) => invalidValue(field, value, m));
}
