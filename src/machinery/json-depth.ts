/** The deepest nesting of arrays and objects the server decodes, as upstream's JSON decoder. */
export const MAX_JSON_DEPTH = 10_000;

/**
 * True when JSON text nests arrays/objects deeper than `max`: one linear scan (brackets inside strings
 * do not count), so a hostile body is refused before any recursive code sees it.
 */
export function exceedsDepth(buf: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
