/**
 * tskube's own descriptions of scheduling.k8s.io/v1 types and fields ('Type' or 'Type.field' →
 * text), merged into the generated v1.ts by scripts/gen-api-types.mjs.
 */
export const SCHEDULING_V1_DESCRIPTIONS: Record<string, string> = {
  PriorityClass: 'A named priority value pods refer to through priorityClassName.',
  'PriorityClass.value': 'The priority; higher values schedule first and may preempt lower ones.',
  'PriorityClass.globalDefault': 'Whether pods without a priority class get this one; at most one class may be the default.',
  'PriorityClass.description': 'What the class is meant for.',
  'PriorityClass.preemptionPolicy': 'Whether pods of this class may preempt others: PreemptLowerPriority (the default) or Never.',
};
