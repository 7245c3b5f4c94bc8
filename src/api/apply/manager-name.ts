/**
 * Field manager names: the default a request without `fieldManager` gets (derived from its
 * User-Agent), and the checks upstream makes on `fieldManager` and `force` with their 422 answers
 * (`PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`).
 */
import { ApiError, type FieldError } from '../../machinery/status.js';
import { goQuote, isGoPrintable } from './go-format.js';

/** The longest field manager name, in bytes. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/**
 * The manager name derived from a User-Agent: the part before the first `/`, without unprintable
 * characters, cut to 128 bytes (`kubectl/v1.32.0 (linux/amd64) kubernetes/abc` gives `kubectl`).
 */
export function prefixFromUserAgent(userAgent: string): string {
  const head = userAgent.split('/')[0];
  let out = '';
  let bytes = 0;
  for (const ch of head) {
    if (!isGoPrintable(ch.codePointAt(0)!)) continue;
    const n = Buffer.byteLength(ch);
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * The manager of a write: the request's `fieldManager` when given (kubectl sends
 * `kubectl-client-side-apply`, `kubectl-edit`, `kubectl-label`, `kubectl-create`...), otherwise
 * the User-Agent prefix. An empty answer is recorded as `unknown`.
 */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  return fieldManager ? fieldManager : prefixFromUserAgent(userAgent ?? '');
}

/** The errors of a `fieldManager` value: longer than 128 bytes, or with unprintable characters. */
export function validateFieldManager(fieldManager: string, field = 'fieldManager'): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
    errs.push({ type: 'FieldValueTooLong', field, detail: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` });
  }
  let pos = 0;
  for (const ch of fieldManager) {
    const c = ch.codePointAt(0)!;
    if (!isGoPrintable(c)) {
      const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      errs.push({ type: 'FieldValueInvalid', field, detail: `Invalid value: ${goQuote(fieldManager)}: invalid character ${code} (at position ${pos})` });
    }
    pos += Buffer.byteLength(ch);
  }
  return errs;
}

/** The options kinds whose `fieldManager` is checked. */
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/**
 * Upstream's check of write options: an apply patch needs a `fieldManager`; `force` is only for
 * apply patches; `fieldManager` must be valid. Answers the 422 to send, or undefined. (dryRun and
 * fieldValidation values are checked elsewhere.)
 */
export function validateWriteOptions(kind: OptionsKind, opts: { fieldManager?: string; force?: boolean; isApply?: boolean }): ApiError | undefined {
  const errs: FieldError[] = [];
  if (kind === 'PatchOptions') {
    if (opts.isApply) {
      if (!opts.fieldManager) errs.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'Required value: is required for apply patch' });
    } else if (opts.force !== undefined) {
      errs.push({ type: 'FieldValueForbidden', field: 'force', detail: 'Forbidden: may not be specified for non-apply patch' });
    }
  }
  errs.push(...validateFieldManager(opts.fieldManager ?? ''));
  if (errs.length === 0) return undefined;
  return optionsInvalid(kind, errs);
}

/** 422 `<Kind>.meta.k8s.io "" is invalid: ...` for invalid request options. */
export function optionsInvalid(kind: OptionsKind, errs: FieldError[]): ApiError {
  const parts = [...new Set(errs.map((e) => `${e.field}: ${e.detail}`))];
  const msg = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${msg}`, {
    group: 'meta.k8s.io',
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
  });
}
