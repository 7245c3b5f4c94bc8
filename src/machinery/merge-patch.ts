/**
 * JSON merge patch (RFC 7386): objects merge key by key, `null` removes a key, anything else
 * (arrays included) replaces. Written here because it is a dozen lines with no edge cases a
 * library would add.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    // defineProperty keeps a key named `__proto__` an ordinary key.
    else Object.defineProperty(out, k, { value: applyMergePatch(out[k], v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
