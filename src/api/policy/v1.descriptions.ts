/**
 * tskube's own descriptions of policy/v1 types and fields ('Type' or 'Type.field' → text), merged
 * into the generated v1.ts by scripts/gen-api-types.mjs.
 */
export const POLICY_V1_DESCRIPTIONS: Record<string, string> = {
  PodDisruptionBudget: 'A bound on how many pods of a set voluntary disruptions, such as evictions during a drain, may take down at once.',
  'PodDisruptionBudget.spec': 'The pods covered and how many must stay up.',
  'PodDisruptionBudget.status': 'How many disruptions are allowed now, as last computed.',
  PodDisruptionBudgetSpec: 'The desired state of a pod disruption budget.',
  'PodDisruptionBudgetSpec.minAvailable': 'How many pods, or what percentage, must stay available after an eviction.',
  'PodDisruptionBudgetSpec.selector': 'Labels of the pods the budget covers.',
  'PodDisruptionBudgetSpec.maxUnavailable': 'How many pods, or what percentage, may be unavailable after an eviction.',
  'PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': 'When pods that are running but not ready may be evicted: IfHealthyBudget or AlwaysAllow.',
  PodDisruptionBudgetStatus: 'The observed state of a pod disruption budget.',
  'PodDisruptionBudgetStatus.observedGeneration': 'The generation of the budget this status describes.',
  'PodDisruptionBudgetStatus.disruptedPods': 'Pods evicted but not yet gone, with the time of eviction.',
  'PodDisruptionBudgetStatus.disruptionsAllowed': 'How many pods may be evicted now.',
  'PodDisruptionBudgetStatus.currentHealthy': 'How many covered pods are healthy.',
  'PodDisruptionBudgetStatus.desiredHealthy': 'How many covered pods must stay healthy.',
  'PodDisruptionBudgetStatus.expectedPods': 'How many pods the budget covers.',
  'PodDisruptionBudgetStatus.conditions': 'The latest observations of the budget\'s state (DisruptionAllowed).',
  Eviction: 'A request to evict a pod, honouring disruption budgets, sent to the pod\'s eviction subresource.',
  'Eviction.metadata': 'The name and namespace of the pod to evict.',
  'Eviction.deleteOptions': 'Options of the deletion that carries out the eviction.',
};
