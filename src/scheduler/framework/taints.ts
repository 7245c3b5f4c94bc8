/** Taints and tolerations with upstream's matching rules. */

/** A node taint (`spec.taints[]`). */
export interface Taint {
  key: string;
  value: string;
  effect: string;
}

/** A pod toleration (`spec.tolerations[]`). */
export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

/** Normalizes `spec.taints` (missing fields become ''). */
export function parseTaints(raw: unknown): Taint[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((t: any) => ({ key: String(t?.key ?? ''), value: String(t?.value ?? ''), effect: String(t?.effect ?? '') }));
}

/** Normalizes `spec.tolerations`. */
export function parseTolerations(raw: unknown): Toleration[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((t: any) => ({
    key: String(t?.key ?? ''), operator: String(t?.operator ?? ''), value: String(t?.value ?? ''), effect: String(t?.effect ?? ''),
  }));
}

/**
 * Whether `t` tolerates `taint`: an empty effect matches every effect, an empty key every key
 * (with Exists), operator Exists ignores the value and Equal (or empty) compares it.
 */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== '' && t.key !== taint.key) return false;
  switch (t.operator) {
    case '': case 'Equal': return t.value === taint.value;
    case 'Exists': return true;
    default: return false;
  }
}

/** Whether any toleration tolerates the taint. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (tolerates(t, taint)) return true;
  return false;
}

/** The first taint passing `filter` that no toleration tolerates, or undefined. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], filter: (t: Taint) => boolean): Taint | undefined {
  for (const taint of taints) {
    if (filter(taint) && !tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
