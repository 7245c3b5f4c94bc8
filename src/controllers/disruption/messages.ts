/** Texts of the disruption controller's events, as upstream formats them. */

/** A metav1.LabelSelector as Go's generated `String()` prints it (`&LabelSelector{...}`). */
export function labelSelectorString(sel: any): string {
  if (!sel) return 'nil';
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}: ${sel.matchLabels[k]},`).join('');
  const exprs = (sel.matchExpressions ?? []).map((e: any) =>
    `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

/** The UnmanagedPods warning. */
export function unmanagedPodsMessage(selector: unknown): string {
  return `Pods selected by this PodDisruptionBudget (selector: ${labelSelectorString(selector)}) were found `
    + 'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. '
    + 'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.';
}
