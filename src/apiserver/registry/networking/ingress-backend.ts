/**
 * Checks of ingress backends and hosts shared by Ingresses (default backend and rule paths), with
 * upstream's field paths and messages.
 */
import { isIP } from 'node:net';
import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateDns1123Subdomain } from '../../../machinery/validation.js';
import { inclusiveRange, portNameErrors } from '../core/pod-spec.js';
import type { ApiObject } from '../resource.js';
import { validatePathSegmentName } from '../apps/name-checks.js';
import { isApiObject as isObj } from '../resource.js';

const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const WILDCARD = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;


/** Upstream's `NameIsDNS1035Label` errors (service names). */
export function dns1035LabelErrors(field: string, name: string): FieldError[] {
  const errs: FieldError[] = [];
  if (name.length > 63) errs.push(invalidValue(field, name, 'must be no more than 63 characters'));
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) errs.push(invalidValue(field, name, DNS1035_MSG));
  return errs;
}

/** A host: a DNS subdomain, or a `*.`-wildcard one; never an IP address. */
export function hostErrors(field: string, host: string, allowIp = false): FieldError[] {
  const errs: FieldError[] = [];
  if (!allowIp && isIP(host) !== 0) errs.push(invalidValue(field, host, 'must be a DNS name, not an IP address'));
  if (host.includes('*')) {
    if (host.length > 253) errs.push(invalidValue(field, host, 'must be no more than 253 characters'));
    if (!WILDCARD.test(host)) errs.push(invalidValue(field, host, WILDCARD_MSG));
  } else {
    errs.push(...validateDns1123Subdomain(field, host));
  }
  return errs;
}

/** Upstream's `validateIngressTypedLocalObjectReference`. */
export function validateTypedReference(ref: ApiObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof ref.apiGroup === 'string') errs.push(...validateDns1123Subdomain(`${path}.apiGroup`, ref.apiGroup));
  if (!ref.kind) errs.push(requiredValue(`${path}.kind`, 'kind is required'));
  else errs.push(...validatePathSegmentName(`${path}.kind`, String(ref.kind)));
  if (!ref.name) errs.push(requiredValue(`${path}.name`, 'name is required'));
  else errs.push(...validatePathSegmentName(`${path}.name`, String(ref.name)));
  return errs;
}

/** Upstream's `validateIngressBackend`: a service (name and port) or a resource, not both. */
export function validateBackend(backend: unknown, path: string): FieldError[] {
  const b: ApiObject = isObj(backend) ? backend : {};
  const hasResource = isObj(b.resource);
  const hasService = isObj(b.service);
  if (hasResource && hasService) return [invalidValue(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedReference(b.resource, `${path}.resource`);
  if (!hasService) return [invalidValue(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = String(b.service.name ?? '');
  if (!name) errs.push(requiredValue(`${path}.service.name`));
  else errs.push(...dns1035LabelErrors(`${path}.service.name`, name));
  const port: ApiObject = isObj(b.service.port) ? b.service.port : {};
  const hasName = typeof port.name === 'string' && port.name.length > 0;
  const hasNumber = typeof port.number === 'number' && port.number !== 0;
  if (hasName && hasNumber) errs.push(invalidValue(path, '', 'cannot set both port name & port number'));
  else if (hasName) errs.push(...portNameErrors(port.name).map((m) => invalidValue(`${path}.service.port.name`, port.name, m)));
  else if (hasNumber) {
    if (port.number < 1 || port.number > 65535) errs.push(invalidValue(`${path}.service.port.number`, port.number, inclusiveRange(1, 65535)));
  } else errs.push(requiredValue(path, 'port name or number is required'));
  return errs;
}
