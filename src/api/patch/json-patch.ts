import jsonpatch from 'fast-json-patch';
import { ApiError, unprocessablePatch } from '../../machinery/status.js';

/** A JSON object. */
type Doc = Record<string, any>;

/** The most operations one JSON patch may hold, as upstream. */
const MAX_JSON_PATCH_OPERATIONS = 10_000;

/**
 * Applies a JSON patch (RFC 6902) to `doc` with fast-json-patch: 413 for more operations than
 * upstream allows, and upstream's one generic 422 for any operation that cannot be applied.
 */
export function applyJsonPatch(doc: Doc, ops: unknown[]): Doc {
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  try {
    return jsonpatch.applyPatch(doc, ops as jsonpatch.Operation[], true, true).newDocument;
  } catch {
    // Upstream answers every failure to apply a well-formed patch with the same generic 422.
    throw unprocessablePatch();
  }
}
