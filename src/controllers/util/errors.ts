import { isAlreadyExists, isConflict, isInvalid, isNotFound, StatusError } from '../../client/index.js';

/** 404 NotFound (the client's test, under the name the controllers use). */
export const isNotFoundError = isNotFound;
/** 409 AlreadyExists. */
export const isAlreadyExistsError = isAlreadyExists;
/** 422 Invalid. */
export const isInvalidError = isInvalid;
/** 409 Conflict (stale resourceVersion). */
export const isConflictError = isConflict;

/** Whether a status error lists a cause of the given type (a cause carries its type as `reason`) (e.g. `NamespaceTerminating`). */
export function hasStatusCause(e: unknown, type: string): boolean {
  return e instanceof StatusError && (e.status.details?.causes?.some((c) => c.reason === type) ?? false);
}

/** The cause type the API server sets when creating in a terminating namespace. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

/** The text of an error as Go's `err.Error()` would print it. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
