/** A `metav1.Status` failure answer, as the API server sends it. */
export interface Status {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

/** A request the API server refused: `code` is the HTTP status, `reason` the Status reason. */
export class StatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: Status;

  constructor(code: number, status: Status) {
    super(status.message || `the server answered ${code}`);
    this.name = 'StatusError';
    this.code = code;
    this.reason = status.reason ?? '';
    this.status = status;
  }
}

function hasReason(e: unknown, code: number, reason: string): boolean {
  return e instanceof StatusError && (e.reason === reason || (e.reason === '' && e.code === code));
}

/** 404 NotFound. */
export const isNotFound = (e: unknown): boolean => hasReason(e, 404, 'NotFound');
/** 409 Conflict (a stale resourceVersion or precondition). */
export const isConflict = (e: unknown): boolean => hasReason(e, 409, 'Conflict');
/** 409 AlreadyExists. */
export const isAlreadyExists = (e: unknown): boolean => hasReason(e, 409, 'AlreadyExists');
/** 410 Gone / Expired (a resourceVersion that was compacted). */
export const isGone = (e: unknown): boolean => e instanceof StatusError && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
/** 422 Invalid. */
export const isInvalid = (e: unknown): boolean => hasReason(e, 422, 'Invalid');
/** 403 Forbidden. */
export const isForbidden = (e: unknown): boolean => hasReason(e, 403, 'Forbidden');
