/**
 * API errors as `metav1.Status` objects, with upstream Kubernetes' codes, reasons and messages.
 * Every error a client sees is built here; handlers throw {@link ApiError} and the server's error
 * filter writes it.
 */

/** One cause of a Status (for example a field that failed validation). */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The `details` of a Status. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The wire form of a `metav1.Status`. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A resource named as in messages: `configmaps`, or `deployments.apps` for a group. */
export interface QualifiedResource {
  group: string;
  resource: string;
}

/** An error carrying the Status that answers it. */
export class ApiError extends Error {
  /** List metadata of the Status (a continue token that may be used anyway). */
  listMeta: { continue?: string } = {};

  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
  }

  /** The Status object sent to the client. */
  toStatus(): Status {
    // Field order as metav1.Status: … message, reason, details, code.
    const s = { kind: 'Status', apiVersion: 'v1', metadata: { ...this.listMeta }, status: 'Failure', message: this.message } as Status;
    if (this.reason) s.reason = this.reason;
    if (this.details) s.details = this.details;
    s.code = this.code;
    return s;
  }
}

/** `configmaps` or `deployments.apps`, as upstream's messages name a resource. */
export function qualifiedName(qr: QualifiedResource): string {
  return qr.group ? `${qr.resource}.${qr.group}` : qr.resource;
}

function details(qr: QualifiedResource, name: string): StatusDetails {
  const d: StatusDetails = { name };
  if (qr.group) d.group = qr.group;
  d.kind = qr.resource;
  return d;
}

/** 404 `configmaps "x" not found`. */
export function notFound(qr: QualifiedResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedName(qr)} "${name}" not found`, details(qr, name));
}

/** 409 `configmaps "x" already exists`. */
export function alreadyExists(qr: QualifiedResource, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedName(qr)} "${name}" already exists`, details(qr, name));
}

/** The message of a conflict caused by a stale resourceVersion. */
export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** 409 `Operation cannot be fulfilled on configmaps "x": <why>`. */
export function conflict(qr: QualifiedResource, name: string, why: string = OBJECT_MODIFIED): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(qr)} "${name}": ${why}`, details(qr, name));
}

/** One field error of a 422 Invalid, in upstream's wording (`Required value`, `Invalid value: …`). */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueDuplicate' | 'FieldValueNotFound';
  field: string;
  /** The full message after the field path, e.g. `Required value` or `Invalid value: "x": …`. */
  detail: string;
}

/** 422 `ConfigMap "x" is invalid: <field>: <detail>, …` (`Deployment.apps "x"` for a named group). */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): ApiError {
  const parts = errs.map((e) => `${e.field}: ${e.detail}`);
  const msg = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const d: StatusDetails = { name };
  if (group) d.group = group;
  d.kind = kind;
  d.causes = errs.map((e) => ({ reason: e.type, message: e.detail, field: e.field }));
  return new ApiError(422, 'Invalid', `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${msg}`, d);
}

/** 400 with the given message. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** 401 for a request without valid credentials. */
export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

/** 405 for a verb the resource does not support. */
export function methodNotSupported(qr: QualifiedResource, verb: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualifiedName(qr)}"`, { group: qr.group || undefined, kind: qr.resource });
}

/** 410 for a watch that starts before the available history. */
export function tooOldResourceVersion(requested: number, oldest: number): ApiError {
  return new ApiError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** 410 for a list (or continue token) at a compacted revision. */
export function listExpired(): ApiError {
  return new ApiError(410, 'Expired', 'The resourceVersion for the provided list is too old.');
}

/**
 * 410 for a continue token whose revision was compacted. `token`, when given, continues the list at
 * the newest revision: the client may use it and accept an inconsistent list.
 */
export function continueExpired(token?: string): ApiError {
  const head = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter';
  if (!token) return new ApiError(410, 'Expired', `${head}.`);
  const e = new ApiError(410, 'Expired', `${head}, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.`);
  e.listMeta = { continue: token };
  return e;
}

/** 413 for a body over the limit. */
export function requestEntityTooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/** 415 for a body in a format the server does not read. */
export function unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
  return new ApiError(415, 'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] });
}

/** 504 for a resourceVersion the server has not reached in time. */
export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return new ApiError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`,
    { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
}

/** 404 for a path that names nothing the server serves. */
export function pathNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** 422 with upstream's generic message, as a patch that cannot be applied answers. */
export function unprocessablePatch(): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** 500 for an unexpected failure. */
export function internalError(err: unknown): ApiError {
  const msg = err instanceof Error ? err.message : String(err);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

/** 503 when storage cannot answer. */
export function serviceUnavailable(message: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', message);
}

/** A success Status, as a delete of some resources answers. */
export function successStatus(qr: QualifiedResource, name: string, uid: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { ...details(qr, name), uid } };
}
