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
