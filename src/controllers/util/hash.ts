/**
 * Template hashing for generated names (pod-template-hash, controller revisions): a 32-bit FNV-1a
 * over a canonical JSON rendering of the object, optionally salted with a collision count, printed
 * in decimal and then mapped onto upstream's "safe" alphabet (no vowels, no 0/1/3), which gives
 * the familiar strings of up to ten characters such as `5d8f9c7b6`.
 */

/** Upstream's alphabet for names that must not spell words. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps each character of `s` onto {@link SAFE_ALPHABET} by its code modulo the alphabet size. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** FNV-1a, 32 bits, over bytes; `seed` continues an earlier hash. */
export function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * JSON with object keys sorted and null/undefined members dropped, so that objects equal in content
 * render identically whatever their key order.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v as object).sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== null && (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The stable hash of an object (a pod template) and an optional collision count, encoded with
 * {@link safeEncodeString}. Equal content and count give equal hashes in every process.
 */
export function computeHash(obj: unknown, collisionCount?: number): string {
  let h = fnv1a32(new TextEncoder().encode(canonicalJson(obj)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const salt = new Uint8Array(8);
    new DataView(salt.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(salt, h);
  }
  return safeEncodeString(String(h));
}
